export { availableThreads } from './available-threads.js';
export { KernelPool } from './kernel-pool.js';
