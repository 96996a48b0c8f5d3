export { isProcessAlive, sweepStaleTemps, syncDirectory, writeFileAtomic } from './atomic-write.js';
export {
  GENERATION_FIELD,
  type GenerationFile,
  type GenerationReader,
  listGenerations,
  type ReadGenerationOptions,
  readGeneration,
  type WriteGenerationOptions,
  type WrittenGeneration,
  writeGeneration,
} from './generations.js';
export { acquireLock } from './lock.js';
