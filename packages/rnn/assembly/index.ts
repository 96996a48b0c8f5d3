// The BPTT kernel module: every export here is one WebAssembly export (see src/bptt/simd-kernels.ts).
export { gruBackGates, gruGates } from './gru-gates';
export { gruBackward, gruForward } from './gru-sequence';
export { lstmBackGates, lstmGates } from './lstm-gates';
export { lstmBackward, lstmForward } from './lstm-sequence';
export { sgemm, sgemmP, sgemmScratch, sgemmT } from './sgemm';
