import type { Command } from 'commander';
import { registerInfo } from './info.js';

/** Every sub-command of `wordloom`; each issue's command registers itself here. */
export const registrars: ReadonlyArray<(program: Command) => void> = [registerInfo];
