import { CorruptArtifactError } from '@wordloom/core';

/** Largest values a checkpoint's config may claim; beyond them a config is refused before any allocation. */
export const CHECKPOINT_LIMITS = {
  units: 2 ** 16,
  layers: 1024,
  inputSize: 2 ** 24,
  classes: 2 ** 24,
  embeddingSize: 2 ** 16,
  vocabulary: 2 ** 24,
  window: 2 ** 16,
  sequenceLength: 2 ** 20,
  truncate: 2 ** 20,
} as const;

const CHOICES: Record<string, readonly unknown[]> = {
  cell: ['lstm', 'gru', 'rnn', undefined],
  bidirectional: ['concat', 'sum', 'average', null, undefined],
  activation: ['tanh', 'relu', 'sigmoid', undefined],
  resetAfter: [true, false, undefined],
  recurrentInitializer: ['glorotUniform', 'orthogonal', 'identity', 'zeros', undefined],
  mode: ['window', 'full', undefined],
};

/**
 * Checks a checkpoint's `kind` and `config` before a model is built from them: every size an integer in
 * range ({@link CHECKPOINT_LIMITS}), every choice a known one, and the parameters such a model must
 * have at least — its recurrent kernels `layers·units²`, input kernel and output layer — no more than
 * the weights file holds (`elements` float32 values). A small manifest claiming a huge model fails here,
 * in microseconds, instead of allocating gigabytes.
 */
export function checkModelConfig(where: string, kind: unknown, config: unknown, elements: number): void {
  const bad = (what: string) => new CorruptArtifactError(where, `config: ${what}`);
  if (kind !== 'sequence-classifier' && kind !== 'language-model')
    throw new CorruptArtifactError(
      where,
      `kind '${String(kind)}' is not 'sequence-classifier' or 'language-model'`,
    );
  if (config === null || typeof config !== 'object' || Array.isArray(config)) throw bad('is not an object');
  const c = config as Record<string, unknown>;
  const int = (key: keyof typeof CHECKPOINT_LIMITS | 'seed', min: number, fallback?: number): number => {
    const v = c[key] ?? fallback;
    const max = key === 'seed' ? 2 ** 31 : CHECKPOINT_LIMITS[key];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max)
      throw bad(`${key} must be an integer in [${min}, ${max}], got ${JSON.stringify(v) ?? 'nothing'}`);
    return v;
  };
  for (const [key, allowed] of Object.entries(CHOICES))
    if (!allowed.includes(c[key])) throw bad(`${key} ${JSON.stringify(c[key])} is not a known choice`);
  int('seed', 0, 1);
  int('truncate', 0, 0);
  let lowerBound: number;
  if (kind === 'sequence-classifier') {
    const inputSize = int('inputSize', 1);
    const classes = int('classes', 2);
    const units = int('units', 1, 128);
    const layers = int('layers', 1, 1);
    const directions = c.bidirectional ? 2 : 1;
    lowerBound = directions * (layers * units * units + inputSize * units) + units * classes;
  } else {
    const vocabulary = c.vocabulary;
    if (
      !Array.isArray(vocabulary) ||
      vocabulary.length < 2 ||
      vocabulary.length > CHECKPOINT_LIMITS.vocabulary
    )
      throw bad(`vocabulary must be a list of 2 to ${CHECKPOINT_LIMITS.vocabulary} words`);
    if (!vocabulary.every((w) => typeof w === 'string')) throw bad('vocabulary holds a non-string');
    const V = vocabulary.length;
    int('window', 1, 3);
    int('sequenceLength', 1, 32);
    const units = int('units', 1, 512);
    const layers = int('layers', 1, 2);
    const E = int('embeddingSize', 0, 0);
    lowerBound = layers * units * units + (E > 0 ? E : V) * units + units * V + V * E;
  }
  if (lowerBound > elements)
    throw bad(
      `a ${kind} of this size has at least ${lowerBound} parameters, the weights file holds ${elements}`,
    );
}
