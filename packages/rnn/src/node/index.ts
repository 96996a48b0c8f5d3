export { type Checkpoint, type CheckpointModel, loadCheckpoint, saveCheckpoint } from './checkpoint.js';
