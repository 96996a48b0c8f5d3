// The bench's kernel module (see bench/src/peak.ts).
export { peak } from './peak';
