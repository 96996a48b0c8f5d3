export { installChainedOps } from './chained-ops.js';
export { type FromLayersModelOptions, fromLayersModel } from './from-layers-model.js';
export { type ConvertibleModel, type ToLayersModelOptions, toLayersModel } from './to-layers-model.js';
export { UnsupportedLayersOptionError } from './unsupported-layers-option-error.js';
export { assignKerasWeights, kerasWeightsOf } from './weight-layout.js';
