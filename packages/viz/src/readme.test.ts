import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeReadme } from '@wordloom/core/testing';

describeReadme(resolve(dirname(fileURLToPath(import.meta.url)), '..'));
