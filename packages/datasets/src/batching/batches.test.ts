import { describe, expect, it } from 'vitest';
import type { MnistSet } from '../mnist/mnist-set.js';
import { batchCount, batches } from './batches.js';
import { batchesAsync } from './batches-async.js';
import { shuffle, shuffledIndices } from './shuffle.js';
import { trainValidationSplit } from './train-validation-split.js';

const isPermutation = (values: ArrayLike<number>, n: number) =>
  values.length === n &&
  Array.from(values)
    .sort((a, b) => a - b)
    .every((v, i) => v === i);

describe('shuffle', () => {
  it('is a seeded permutation: same seed same order, other seed other order', () => {
    const a = shuffledIndices(1000, { seed: 7 });
    expect(isPermutation(a, 1000)).toBe(true);
    expect(shuffledIndices(1000, { seed: 7 })).toEqual(a);
    expect(shuffledIndices(1000, { seed: 8 })).not.toEqual(a);
    expect(a).not.toEqual(shuffledIndices(1000, { seed: 7 }).sort());
    expect(shuffle(['a', 'b', 'c', 'd'], { seed: 7 }).sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('rejects a bad count or seed by name', () => {
    expect(() => shuffledIndices(-1)).toThrow(/Argument 'count' passed to 'shuffledIndices'/);
    expect(() => shuffledIndices(3, { seed: 0.5 })).toThrow(/Argument 'seed'/);
  });
});

describe('batches', () => {
  it('cuts in order with a short last batch unless dropLast', () => {
    const items = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    expect([...batches(items, 3)]).toEqual([['a', 'b', 'c'], ['d', 'e', 'f'], ['g']]);
    expect([...batches(items, 3, { dropLast: true })]).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e', 'f'],
    ]);
    expect([...batches(7, 4)].map((b) => [...b])).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6],
    ]);
    expect([batchCount(7, 3), batchCount(7, 3, { dropLast: true }), batchCount(6, 3)]).toEqual([3, 2, 2]);
    expect(() => batches(items, 0).next()).toThrow(/Argument 'size' passed to 'batches'/);
  });

  it('shuffles deterministically and covers every example once per epoch', () => {
    const epoch = (seed: number) => [...batches(100, 16, { shuffle: true, seed })].flatMap((b) => [...b]);
    expect(isPermutation(epoch(3), 100)).toBe(true);
    expect(epoch(3)).toEqual(epoch(3));
    expect(epoch(4)).not.toEqual(epoch(3));
  });

  it('gathers MnistSet batches image by image', () => {
    const set: MnistSet = {
      images: Float32Array.from({ length: 5 * 4 }, (_, i) => i),
      labels: new Uint8Array([0, 1, 2, 3, 4]),
      count: 5,
      rows: 2,
      cols: 2,
    };
    const [first, second] = [...batches(set, 3)];
    expect([first.count, [...first.labels], second.count, [...second.images]]).toEqual([
      3,
      [0, 1, 2],
      2,
      [12, 13, 14, 15, 16, 17, 18, 19],
    ]);
  });
});

describe('trainValidationSplit', () => {
  it('splits by fraction into disjoint parts that cover everything, deterministically', () => {
    const { train, validation } = trainValidationSplit(1000, { validationFraction: 0.25, seed: 1 });
    expect([train.length, validation.length]).toEqual([750, 250]);
    expect(isPermutation([...train, ...validation], 1000)).toBe(true);
    expect(trainValidationSplit(1000, { validationFraction: 0.25, seed: 1 }).validation).toEqual(validation);
    expect(trainValidationSplit(1000, { validationFraction: 0.25, seed: 2 }).validation).not.toEqual(
      validation,
    );
  });

  it('keeps order without shuffle (validation = the last examples) and rounds the count', () => {
    const { train, validation } = trainValidationSplit(['a', 'b', 'c', 'd', 'e', 'f', 'g'], {
      validationFraction: 0.3,
      shuffle: false,
    });
    expect([train, validation]).toEqual([
      ['a', 'b', 'c', 'd', 'e'],
      ['f', 'g'],
    ]);
    expect(() => trainValidationSplit(10, { validationFraction: 1.5 })).toThrow(
      /Argument 'validationFraction' passed to 'trainValidationSplit' must be a finite number >= 0 and <= 1, got 1.5/,
    );
  });
});

describe('batchesAsync', () => {
  async function* numbers(n: number) {
    for (let i = 0; i < n; i++) yield i;
  }
  const collect = async <T>(it: AsyncIterable<T>) => {
    const out: T[] = [];
    for await (const x of it) out.push(x);
    return out;
  };

  it('groups a stream in order, keeping or dropping the short tail', async () => {
    expect(await collect(batchesAsync(numbers(5), 2))).toEqual([[0, 1], [2, 3], [4]]);
    expect(await collect(batchesAsync(numbers(5), 2, { dropLast: true }))).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(await collect(batchesAsync(['x', 'y'], 5))).toEqual([['x', 'y']]);
  });

  it('shuffles through a bounded, seeded buffer', async () => {
    const run = (seed: number) => collect(batchesAsync(numbers(200), 10, { shuffleBuffer: 50, seed }));
    const a = (await run(1)).flat();
    expect(isPermutation(a, 200)).toBe(true);
    expect((await run(1)).flat()).toEqual(a);
    expect((await run(2)).flat()).not.toEqual(a);
    // The k-th item out is drawn from a buffer holding only items 0 … 50 + k.
    expect(a.every((v, k) => v <= 50 + k)).toBe(true);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const seen: number[][] = [];
    await expect(
      (async () => {
        for await (const batch of batchesAsync(numbers(100), 10, { signal: controller.signal })) {
          seen.push(batch);
          controller.abort(new Error('enough'));
        }
      })(),
    ).rejects.toThrow('enough');
    expect(seen).toHaveLength(1);
  });
});
