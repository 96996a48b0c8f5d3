import { WordloomError } from '@wordloom/core';

const marker = Symbol.for('wordloom.error.word-not-in-vocabulary');

/** A word was looked up that the vectors do not contain; `word` names it. */
export class WordNotInVocabularyError extends WordloomError {
  readonly [marker] = true;
  /** The missing word. */
  readonly word: string;

  constructor(word: string, functionName: string) {
    super(`Word ${JSON.stringify(word)} passed to '${functionName}' is not in the vocabulary`);
    this.name = 'WordNotInVocabularyError';
    this.word = word;
  }

  static override isInstance(error: unknown): error is WordNotInVocabularyError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
