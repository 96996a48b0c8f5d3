/** True when `bytes` start with the gzip magic number 1f 8b (RFC 1952 §2.3.1). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decompresses gzip with the web-standard `DecompressionStream` (browsers, Node ≥ 18), streaming the
 * output into `sink` (which stops the stream by throwing), and returns the error that broke the stream
 * midway (truncated or corrupt input), if any.
 */
export async function gunzipWebInto(
  bytes: Uint8Array,
  sink: { push(chunk: Uint8Array): void },
): Promise<unknown> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream('gzip'));
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return undefined;
      try {
        sink.push(value);
      } catch (refused) {
        await reader.cancel().catch(() => {});
        return refused;
      }
    }
  } catch (error) {
    return error;
  }
}
