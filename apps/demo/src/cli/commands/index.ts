import type { Command } from 'commander';
import { registerDatasets } from './datasets.js';
import { registerEmbed } from './embed.js';
import { registerInfo } from './info.js';
import { registerLm } from './lm.js';
import { registerMnist } from './mnist.js';
import { registerPlot } from './plot.js';
import { registerSearch } from './search.js';
import { registerServe } from './serve.js';
import { registerTour } from './tour.js';
import { registerTsne } from './tsne.js';

/** Every sub-command of `wordloom`; each issue's command registers itself here. */
export const registrars: ReadonlyArray<(program: Command) => void> = [
  registerInfo,
  registerDatasets,
  registerSearch,
  registerTsne,
  registerPlot,
  registerMnist,
  registerLm,
  registerEmbed,
  registerTour,
  registerServe,
];
