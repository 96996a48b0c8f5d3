/** Longest text the page accepts in a box (a word, a query, a prompt); longer input gets a message. */
export const MAX_INPUT_CHARS = 1000;

/** Largest data file the page fetches unless `web-data.json` says the file is smaller. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** Largest JSON manifest (`web-data.json`, `checkpoint.json`) the page reads. */
export const MAX_MANIFEST_BYTES = 1024 * 1024;

/** Words the completion box may ask for. */
export const MAX_COMPLETION_WORDS = 60;

/** Largest vectors file (or Projector pair) the page reads from the user's disk: 100,000 × 300 as text fits. */
export const MAX_USER_FILE_BYTES = 1_000_000_000;

/** Longest text the page trains word2vec on (characters). */
export const MAX_TRAIN_TEXT_CHARS = 20_000_000;
