import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** A fenced ```ts block of a README and the `// prints: …` lines it promises. */
export interface ReadmeExample {
  code: string;
  expected: string[];
}

/**
 * The `ts` examples of a package README. Each must be plain JavaScript-compatible TypeScript (no type
 * annotations) so it runs as an ES module; `// prints: X` comments give its expected stdout lines.
 */
export function readmeExamples(readmePath: string): ReadmeExample[] {
  const text = readFileSync(readmePath, 'utf8');
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map(([, code]) => ({
    code,
    expected: [...code.matchAll(/^\s*\/\/ prints: (.*)$/gm)].map(([, line]) => line),
  }));
}

/**
 * Runs an example as an ES module inside `packageDir`, so `import '@wordloom/x'` resolves to the built
 * package through its own exports map, exactly as an installed user would import it.
 * Returns the stdout lines; throws with stderr when it exits non-zero.
 */
export function runExample(packageDir: string, code: string, env: Record<string, string> = {}): string[] {
  const file = join(packageDir, `.readme-example-${process.pid}-${Date.now()}.mjs`);
  writeFileSync(file, code);
  try {
    const result = spawnSync(process.execPath, [file], {
      cwd: packageDir,
      encoding: 'utf8',
      env: { ...process.env, ...env },
      timeout: 300_000,
    });
    if (result.status !== 0)
      throw new Error(`README example failed (exit ${result.status}):\n${result.stderr}`);
    return result.stdout.trimEnd().split('\n');
  } finally {
    rmSync(file, { force: true });
  }
}

/**
 * A vitest suite that runs every `ts` example of `<packageDir>/README.md` and checks it prints the
 * `// prints:` lines. Fails when the README has no example with expectations.
 */
export function describeReadme(packageDir: string, env: Record<string, string> = {}): void {
  const examples = readmeExamples(join(packageDir, 'README.md'));
  describe(`README examples of ${packageDir.split('/').slice(-2).join('/')}`, () => {
    it('has at least one example with expected output', () => {
      expect(examples.some((e) => e.expected.length > 0)).toBe(true);
    });
    examples.forEach((example, i) => {
      it(`example ${i + 1} prints what the README says`, () => {
        expect(runExample(packageDir, example.code, env)).toEqual(example.expected);
      });
    });
  });
}
