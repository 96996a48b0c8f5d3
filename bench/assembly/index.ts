// The bench's kernel module (see bench/src/peak.ts and benchmarks/kernels.ts): the peak loop, and rnn's
// sgemm compiled again here so that its relaxed-SIMD (FMA) build can be timed without shipping it.
// build: relaxed-simd

export { sgemm } from '../../packages/rnn/assembly/sgemm';
export { peak } from './peak';
