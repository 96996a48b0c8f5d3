import { describe, expect, it } from 'vitest';
import {
  CHAPTER_DEEP_LEARNING,
  CHAPTER_DEEP_LEARNING_SKIP_GRAM,
  CHAPTER_THREE_SENTENCES,
} from './chapter-corpora.js';
import { listCorpora } from './list-corpora.js';
import { loadCorpus, loadCorpusSentences } from './load-corpus.js';

describe('listCorpora', () => {
  it('lists the 18 NLTK Gutenberg books, their concatenation and the chapter corpora', () => {
    const corpora = listCorpora();
    expect(corpora.filter((c) => c.source === 'gutenberg')).toHaveLength(19);
    expect(corpora.map((c) => c.name)).toEqual(
      expect.arrayContaining([
        'carroll-alice',
        'austen-emma',
        'shakespeare-hamlet',
        'melville-moby_dick',
        'gutenberg',
        'chapter-deep-learning',
        'chapter-three-sentences',
        'chapter-alice',
      ]),
    );
    expect(corpora.find((c) => c.name === 'carroll-alice')).toEqual({
      name: 'carroll-alice',
      title: "Alice's Adventures in Wonderland by Lewis Carroll 1865",
      source: 'gutenberg',
    });
    expect(new Set(corpora.map((c) => c.name)).size).toBe(corpora.length);
  });
});

describe('loadCorpus', () => {
  it('loads every listed corpus', async () => {
    for (const { name } of listCorpora()) {
      if (name === 'gutenberg') continue;
      expect((await loadCorpus(name)).length, name).toBeGreaterThan(50);
    }
  });

  it("starts Alice at chapter I, its first sentence intact, with NLTK's title line gone", async () => {
    const alice = await loadCorpus('carroll-alice');
    expect(alice.startsWith('CHAPTER I. Down the Rabbit-Hole\n\nAlice was beginning')).toBe(true);
    expect(alice.endsWith('remembering her own child-life, and the happy summer days.')).toBe(true);
    const sentences = await loadCorpusSentences('carroll-alice', { lowercase: false });
    expect(sentences[0]).toEqual(['CHAPTER', 'I', 'Down', 'the', 'Rabbit-Hole']);
    expect(sentences[1].slice(0, 7)).toEqual(['Alice', 'was', 'beginning', 'to', 'get', 'very', 'tired']);
    expect(sentences[1].slice(-4)).toEqual(['without', 'pictures', 'or', 'conversation']);
    expect(sentences[1]).toHaveLength(57);
  });

  it('strips the Project Gutenberg footer, CR line ends and decodes Latin-1', async () => {
    const ball = await loadCorpus('chesterton-ball');
    expect(ball).not.toMatch(/Project Gutenberg|SMALL PRINT/i);
    expect(ball.startsWith('I. A DISCUSSION SOMEWHAT IN THE AIR')).toBe(true);
    expect(await loadCorpus('melville-moby_dick')).not.toContain('\r');
    expect(await loadCorpus('shakespeare-caesar')).toContain('Ant. Cæsar');
  });

  it('gives the chapter corpora verbatim', async () => {
    expect(await loadCorpus('chapter-deep-learning')).toBe(CHAPTER_DEEP_LEARNING);
    expect(
      CHAPTER_DEEP_LEARNING.startsWith('Deep Learning has evolved from Artificial Neural Networks, which'),
    ).toBe(true);
    expect(
      CHAPTER_DEEP_LEARNING.endsWith('tagged in the artificial neuron for easy analogy and interpretation.'),
    ).toBe(true);
    expect(CHAPTER_DEEP_LEARNING_SKIP_GRAM).toContain(
      'for reference.The artificial neuron units are inspired from',
    );
    // Listing 4-1a splits on '.': 12 sentences (counted by hand) and an empty tail.
    expect(CHAPTER_DEEP_LEARNING.split('.')).toHaveLength(13);
    expect(await loadCorpusSentences('chapter-deep-learning')).toHaveLength(12);
    expect(CHAPTER_THREE_SENTENCES).toEqual([
      'I like Machine Learning.',
      'I like  TensorFlow.',
      'I prefer Python.',
    ]);
    expect(await loadCorpusSentences('chapter-three-sentences')).toEqual([
      ['i', 'like', 'machine', 'learning'],
      ['i', 'like', 'tensorflow'],
      ['i', 'prefer', 'python'],
    ]);
    expect((await loadCorpusSentences('chapter-alice', { punctuation: true }))[0].slice(0, 3)).toEqual([
      "'",
      'you',
      "can't",
    ]);
  });

  it('concatenates all 18 books as gutenberg', async () => {
    const all = await loadCorpus('gutenberg');
    expect(all.startsWith((await loadCorpus('austen-emma')).slice(0, 200))).toBe(true);
    expect(all.endsWith((await loadCorpus('whitman-leaves')).slice(-200))).toBe(true);
  });

  it('names the corpora when given an unknown name', async () => {
    await expect(loadCorpus('carroll')).rejects.toThrow(
      /Argument 'name' passed to 'loadCorpus' must be one of austen-emma, .*chapter-alice, got "carroll"/,
    );
  });
});
