export {
  Float64Provider,
  type Floats,
  type MatmulProvider,
  type MatrixHandle,
  type SequenceProjection,
  TfjsProvider,
} from './bptt/matmul-provider.js';
export {
  backpropCell,
  type CellDropout,
  type CellGradients,
  type CellRun,
  type CellTape,
  runCell,
} from './bptt/run-cell.js';
export { reverseTime, type SequenceInput, toBatchMajor, toTimeMajor } from './bptt/sequence-input.js';
export { SimdProvider, type SimdProviderOptions } from './bptt/simd-provider.js';
export {
  type CellCache,
  type CellConfig,
  type CellOptions,
  type PreparedWeights,
  RecurrentCell,
} from './cells/cell.js';
export { GruCell, type GruCellOptions } from './cells/gru.js';
export { LstmCell, type LstmCellOptions } from './cells/lstm.js';
export { type RnnActivation, SimpleRnnCell, type SimpleRnnCellOptions } from './cells/simple-rnn.js';
export { clipBuffersByGlobalNorm, clipBuffersByValue, clipByGlobalNorm, clipByValue } from './clip.js';
export { hiddenJacobianNorms } from './diagnostics/gradient-flow.js';
export { TrainingDivergedError } from './errors/training-diverged-error.js';
export {
  glorotUniform,
  INITIALIZERS,
  type InitializerName,
  identity,
  initialize,
  orthogonal,
} from './init/initializers.js';
export { Bidirectional, type BidirectionalOptions, type MergeMode } from './layers/bidirectional.js';
export { type CellType, createCell, createEncoder, type EncoderConfig } from './layers/create-encoder.js';
export { assertDropoutRate, Rnn, type RnnOptions } from './layers/rnn.js';
export type {
  SequenceBackward,
  SequenceForward,
  SequenceForwardOptions,
  SequenceLayer,
  SequenceUpstream,
} from './layers/sequence-layer.js';
export { subSeed } from './layers/sequence-layer.js';
export { Stacked } from './layers/stacked.js';
export { type SequenceTensorOptions, sequenceApply, sequenceCall } from './layers/tensor-api.js';
export {
  buildVocabulary,
  type CompleteOptions,
  LanguageModel,
  type LanguageModelConfig,
  type LanguageModelEvaluation,
  type LanguageModelFitOptions,
  type TokenInput,
  tokenizeWords,
} from './models/language-model.js';
export { applyGradients, type ClipOptions } from './models/optimizer-step.js';
export { type SamplingOptions, sampleLogits } from './models/sampling.js';
export {
  type Evaluation,
  SequenceClassifier,
  type SequenceClassifierConfig,
  type SequenceClassifierFitOptions,
  type SequenceDataset,
} from './models/sequence-classifier.js';
export {
  type SampledCandidates,
  SoftmaxHead,
  type SoftmaxResult,
  sampleCandidates,
  sampledSoftmaxLoss,
} from './models/softmax-head.js';
export {
  type BatchInfo,
  type BatchResult,
  batchSeed,
  type Callback,
  checkOptionNames,
  type EarlyStoppingOptions,
  type EpochInfo,
  epochBatches,
  epochOrder,
  type FitOptions,
  type FitResult,
  type HoldOutData,
  holdOut,
  type LearningRateSchedule,
  type Monitor,
  type MonitorState,
  type TrainHooks,
  type TrainingControl,
  type TrainingState,
  trainLoop,
} from './models/train-loop.js';
