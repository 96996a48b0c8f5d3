/**
 * The bytes of a `File`, streamed in chunks (never the whole file as one buffer), with the running byte
 * count reported to `onBytes`; refuses a file larger than `maxBytes` before reading it.
 */
export async function* readFileChunks(
  file: Blob & { name?: string },
  maxBytes: number,
  onBytes?: (read: number, total: number) => void,
  isStopped?: () => boolean,
): AsyncGenerator<Uint8Array> {
  if (file.size > maxBytes)
    throw new Error(
      `${file.name ?? 'the file'} is ${formatBytes(file.size)}; the page reads files of at most ${formatBytes(maxBytes)}`,
    );
  const reader = file.stream().getReader();
  let read = 0;
  try {
    for (;;) {
      if (isStopped?.()) throw new Error('stopped');
      const { done, value } = await reader.read();
      if (done) return;
      read += value.byteLength;
      // A file that grows while it is read must not get past the cap either.
      if (read > maxBytes) throw new Error(`${file.name ?? 'the file'} grew past ${formatBytes(maxBytes)}`);
      onBytes?.(read, file.size);
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/** "1.5 MB"-style size (decimal units, as file managers show them). */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} bytes`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = -1;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}
