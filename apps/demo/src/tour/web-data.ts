/** `web-data.json`: what the tour wrote for the web page, so the page knows what to fetch and how big it is. */
export interface WebDataManifest {
  format: 'wordloom-web-data';
  version: 1;
  /** Word vectors (word2vec binary) and their 2-D t-SNE map. */
  projector: { vectors: string; map: string; corpus: string };
  /** The BM25 index file and the paragraph snippets (JSON array, doc id = position). */
  search: { index: string; paragraphs: string; corpus: string };
  /** The Alice language model checkpoint folder (checkpoint.json + the weights file it names). */
  languageModel: { checkpoint: string; prompt: string };
  /** The MNIST LSTM checkpoint folder. */
  mnist: { checkpoint: string; testAccuracy: number };
  /** Size in bytes of every file above, by path: the page refuses a file that grew past it. */
  sizes: Record<string, number>;
}

/** Name of the manifest in the output folder. */
export const WEB_DATA_FILE = 'web-data.json';
