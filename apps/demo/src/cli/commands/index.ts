import type { Command } from 'commander';
import { registerDatasets } from './datasets.js';
import { registerEmbed } from './embed.js';
import { registerInfo } from './info.js';
import { registerSearch } from './search.js';

/** Every sub-command of `wordloom`; each issue's command registers itself here. */
export const registrars: ReadonlyArray<(program: Command) => void> = [
  registerInfo,
  registerDatasets,
  registerSearch,
  registerEmbed,
];
