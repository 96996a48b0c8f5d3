import { InvalidArgumentError } from '@wordloom/core';
import { SparseMatrix } from './sparse/sparse-matrix.js';
import { assertTokenArrays, assertTokens } from './tokens-argument.js';
import type { Vocabulary } from './vocabulary.js';

/** Options of {@link countVectors}. */
export interface CountVectorOptions {
  /**
   * Store 1 for every word present instead of its count (binary incidence vectors, the chapter's
   * "如果单词出现在文档中，则将特定于文档的组件设置为 1").
   * @default false
   */
  binary?: boolean;
}

/**
 * Term-count document vectors (the chapter's VSM): row d, column `vocabulary.id(w)` holds how often w
 * occurs in tokenized document d. Words outside the vocabulary are ignored; an empty document is an
 * all-zero row.
 */
export function countVectors(
  documents: readonly (readonly string[])[],
  vocabulary: Vocabulary,
  options: CountVectorOptions = {},
): SparseMatrix {
  assertTokenArrays(documents, 'documents', 'countVectors');
  const binary = options.binary ?? false;
  const indptr = new Int32Array(documents.length + 1);
  const indices: number[] = [];
  const values: number[] = [];
  const counts = new Map<number, number>();
  documents.forEach((doc, d) => {
    counts.clear();
    for (const t of doc) {
      const id = vocabulary.id(t);
      if (id >= 0) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const ids = [...counts.keys()].sort((a, b) => a - b);
    for (const id of ids) {
      indices.push(id);
      values.push(binary ? 1 : counts.get(id)!);
    }
    indptr[d + 1] = indices.length;
  });
  return new SparseMatrix(
    documents.length,
    vocabulary.size,
    indptr,
    Int32Array.from(indices),
    Float64Array.from(values),
  );
}

/** Binary incidence vectors: {@link countVectors} with `binary: true`. */
export function binaryVectors(
  documents: readonly (readonly string[])[],
  vocabulary: Vocabulary,
): SparseMatrix {
  return countVectors(documents, vocabulary, { binary: true });
}

/**
 * One-hot word vectors (the chapter's 一次性编码): row i has a single 1 at `vocabulary.id(words[i])`.
 * @throws InvalidArgumentError when a word is not in the vocabulary.
 */
export function oneHotVectors(words: readonly string[], vocabulary: Vocabulary): SparseMatrix {
  assertTokens(words, 'words', 'oneHotVectors');
  const indices = new Int32Array(words.length);
  words.forEach((w, i) => {
    const id = vocabulary.id(w);
    if (id < 0) throw new InvalidArgumentError('words', 'oneHotVectors', 'words of the vocabulary', w);
    indices[i] = id;
  });
  return new SparseMatrix(
    words.length,
    vocabulary.size,
    Int32Array.from({ length: words.length + 1 }, (_, i) => i),
    indices,
    new Float64Array(words.length).fill(1),
  );
}

/**
 * Word-by-document vectors (the chapter's 单词的向量表示): row `vocabulary.id(w)` holds the count of w in
 * each document (1/0 with `binary`) — the transpose of {@link countVectors}.
 */
export function wordByDocumentVectors(
  documents: readonly (readonly string[])[],
  vocabulary: Vocabulary,
  options: CountVectorOptions = {},
): SparseMatrix {
  return countVectors(documents, vocabulary, options).transpose();
}
