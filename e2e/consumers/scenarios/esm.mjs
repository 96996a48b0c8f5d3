// Node ESM consumer: loads the package under test with `import` and runs its scenario's checks.
import { run } from './checks.mjs';

await run((specifier) => import(specifier));
