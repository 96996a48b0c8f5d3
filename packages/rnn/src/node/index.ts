export { fileSystemIO } from '../interop/file-system-io.js';
export { type Checkpoint, type CheckpointModel, loadCheckpoint, saveCheckpoint } from './checkpoint.js';
