import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeReadme } from './testing/readme-examples.js';

describeReadme(resolve(dirname(fileURLToPath(import.meta.url)), '..'));
