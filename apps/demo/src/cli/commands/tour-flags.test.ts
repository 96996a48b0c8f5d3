import { describe, expect, it } from 'vitest';
import { runCli } from '../test-support/run-cli.js';

describe('wordloom tour flags', () => {
  it('describes every size flag in words, not by its internal name', () => {
    const { code, stdout } = runCli(['tour', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/--search-top <n> +search hits shown per query \(default 5\)/);
    expect(stdout).not.toMatch(/size: \w+/);
  });

  it.each([
    [['--threads', '1000'], '--threads: 1000 is out of range (expected an integer >= 1 and <= '],
    [['--threads', 'abc'], '--threads: not a number: "abc" (expected an integer >= 1 and <= '],
    [['--mnist-train', '0x10'], '--mnist-train: not a number: "0x10"'],
  ])('refuses %j before any work, naming the flag', (args, message) => {
    const { code, stdout, stderr } = runCli(['tour', '--tiny', ...args]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(`wordloom: ${message}`);
  });

  it('prints one JSON error object under --json', () => {
    const { code, stdout } = runCli(['--json', 'tour', '--tiny', '--threads', 'abc']);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toEqual({
      error: {
        name: 'FlagError',
        message: expect.stringMatching(
          /^--threads: not a number: "abc" \(expected an integer >= 1 and <= \d+\)$/,
        ),
        argument: '--threads',
      },
    });
  });
});
