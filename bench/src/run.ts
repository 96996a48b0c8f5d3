import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// `pnpm bench [name ...]`: runs the named benchmarks (file names in benchmarks/), or all of them.
const dir = join(dirname(fileURLToPath(import.meta.url)), 'benchmarks');
const available = readdirSync(dir)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3))
  .sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${available.join(', ')}`);
  process.exit(2);
}
for (const name of wanted.length > 0 ? wanted : available) {
  const { default: run } = (await import(`./benchmarks/${name}.ts`)) as {
    default: (command: string) => Promise<void>;
  };
  console.error(`— ${name}`);
  await run(`pnpm bench ${name}`);
}
