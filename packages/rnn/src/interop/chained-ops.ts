import * as tf from '@tensorflow/tfjs-core';

/**
 * The tensor methods tfjs-core's `public/chained_ops/register_all_chained_ops` installs (`x.flatten()`,
 * `x.reshape()`, …), which tfjs-layers calls. `@tensorflow/tfjs` imports that module; with
 * `@tensorflow/tfjs-core` alone it is missing, and under plain Node its extension-less ESM imports do not
 * even resolve. Methods whose name is the op's name and whose first argument is the tensor.
 */
const SAME_NAME = [
  'abs',
  'acos',
  'acosh',
  'add',
  'all',
  'any',
  'argMax',
  'argMin',
  'asin',
  'asinh',
  'atan',
  'atan2',
  'atanh',
  'avgPool',
  'batchToSpaceND',
  'batchNorm',
  'broadcastTo',
  'cast',
  'ceil',
  'clipByValue',
  'conv1d',
  'conv2d',
  'conv2dTranspose',
  'cos',
  'cosh',
  'cumprod',
  'cumsum',
  'depthToSpace',
  'depthwiseConv2d',
  'dilation2d',
  'div',
  'divNoNan',
  'dot',
  'elu',
  'equal',
  'erf',
  'euclideanNorm',
  'exp',
  'expandDims',
  'expm1',
  'fft',
  'floor',
  'floorDiv',
  'gather',
  'greater',
  'greaterEqual',
  'ifft',
  'irfft',
  'isFinite',
  'isInf',
  'isNaN',
  'leakyRelu',
  'less',
  'lessEqual',
  'localResponseNormalization',
  'log',
  'log1p',
  'logSigmoid',
  'logSoftmax',
  'logSumExp',
  'logicalAnd',
  'logicalNot',
  'logicalOr',
  'logicalXor',
  'matMul',
  'max',
  'maxPool',
  'maximum',
  'mean',
  'min',
  'minimum',
  'mirrorPad',
  'mod',
  'mul',
  'neg',
  'norm',
  'notEqual',
  'oneHot',
  'onesLike',
  'pad',
  'pool',
  'pow',
  'prelu',
  'prod',
  'reciprocal',
  'relu',
  'relu6',
  'reshape',
  'resizeBilinear',
  'resizeNearestNeighbor',
  'reverse',
  'rfft',
  'round',
  'rsqrt',
  'selu',
  'separableConv2d',
  'sigmoid',
  'sign',
  'sin',
  'sinh',
  'slice',
  'softmax',
  'softplus',
  'spaceToBatchND',
  'split',
  'sqrt',
  'square',
  'squaredDifference',
  'squeeze',
  'step',
  'stridedSlice',
  'sub',
  'sum',
  'tan',
  'tanh',
  'tile',
  'topk',
  'transpose',
  'unique',
  'unsortedSegmentSum',
  'unstack',
  'zerosLike',
] as const;

type Method = (this: tf.Tensor, ...args: unknown[]) => unknown;
type OpTable = Record<string, ((...args: unknown[]) => unknown) | undefined>;

/** The methods whose body is not `op(this, ...args)` (same semantics as the tfjs-core files). */
function special(): Record<string, Method> {
  const asArray = (x: unknown, self: tf.Tensor): tf.Tensor[] =>
    x instanceof tf.Tensor ? [self, x] : [self, ...(x as tf.Tensor[])];
  return {
    as1D() {
      return tf.reshape(this, [this.size]);
    },
    flatten() {
      return tf.reshape(this, [this.size]);
    },
    as2D(...s) {
      return tf.reshape(this, s as number[]);
    },
    as3D(...s) {
      return tf.reshape(this, s as number[]);
    },
    as4D(...s) {
      return tf.reshape(this, s as number[]);
    },
    as5D(...s) {
      return tf.reshape(this, s as number[]);
    },
    asScalar() {
      tf.util.assert(this.size === 1, () => 'The array must have only 1 element.');
      return tf.reshape(this, []);
    },
    asType(dtype) {
      return tf.cast(this, dtype as tf.DataType);
    },
    toBool() {
      return tf.cast(this, 'bool');
    },
    toFloat() {
      return tf.cast(this, 'float32');
    },
    toInt() {
      return tf.cast(this, 'int32');
    },
    reshapeAs(x) {
      return tf.reshape(this, (x as tf.Tensor).shape);
    },
    concat(x, axis) {
      return tf.concat(asArray(x, this), axis as number | undefined);
    },
    stack(x, axis) {
      return tf.stack(asArray(x, this), axis as number | undefined);
    },
    where(condition, x) {
      return tf.where(condition as tf.Tensor, this, x as tf.Tensor);
    },
  };
}

/**
 * Installs tfjs-core's chained tensor methods on `tf.Tensor.prototype` where they are missing — what
 * `@tensorflow/tfjs` does on import, needed by tfjs-layers when only `@tensorflow/tfjs-core` is
 * installed. Idempotent; methods that already exist are left alone. The converters of
 * `@wordloom/rnn/layers` call it themselves; call it before using tfjs-layers directly
 * (`tf.loadLayersModel`, `model.predict`) in a program that does not import `@tensorflow/tfjs`.
 */
export function installChainedOps(): void {
  const proto = tf.Tensor.prototype as unknown as Record<string, unknown>;
  if (typeof proto.flatten === 'function' && typeof proto.reshape === 'function') return;
  const sources = [tf, tf.image, tf.spectral] as unknown as OpTable[];
  for (const name of SAME_NAME) {
    if (typeof proto[name] === 'function') continue;
    const op = sources.map((s) => s[name]).find((f) => typeof f === 'function');
    if (!op) continue;
    proto[name] = function (this: tf.Tensor, ...args: unknown[]) {
      this.throwIfDisposed();
      return op(this, ...args);
    };
  }
  for (const [name, method] of Object.entries(special())) {
    if (typeof proto[name] === 'function') continue;
    proto[name] = function (this: tf.Tensor, ...args: unknown[]) {
      this.throwIfDisposed();
      return method.apply(this, args);
    };
  }
}
