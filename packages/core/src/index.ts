export { crc32 } from './checksum/crc32.js';
export { CorruptArtifactError } from './errors/corrupt-artifact-error.js';
export { InvalidArgumentError } from './errors/invalid-argument-error.js';
export { LockedError } from './errors/locked-error.js';
export { UnavailableError } from './errors/unavailable-error.js';
export { WordloomError } from './errors/wordloom-error.js';
export { Random } from './random.js';
export { assertInteger, assertNonEmptyString, assertNumber, assertOneOf } from './validate.js';
