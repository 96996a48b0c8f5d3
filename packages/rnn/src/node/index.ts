export { fileSystemIO } from '../interop/file-system-io.js';
export {
  type Checkpoint,
  type CheckpointModel,
  checkpointFiles,
  type LoadCheckpointOptions,
  loadCheckpoint,
  type SaveCheckpointOptions,
  saveCheckpoint,
} from './checkpoint.js';
export { CHECKPOINT_LIMITS } from './checkpoint-config.js';
