// Cuts any byte stream into parts of exactly `partSize` bytes (the last may be shorter), copying into one
// buffer per part so memory stays at one part per reader whatever chunk sizes the source yields.

/** Yields consecutive parts of `partSize` bytes; yields nothing for an empty source. */
export async function* readParts(
  source: AsyncIterable<Uint8Array>,
  partSize: number,
): AsyncGenerator<Buffer> {
  let part = Buffer.allocUnsafe(partSize);
  let filled = 0;
  for await (const chunk of source) {
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(partSize - filled, chunk.length - offset);
      part.set(chunk.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
      if (filled === partSize) {
        yield part;
        part = Buffer.allocUnsafe(partSize);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield part.subarray(0, filled);
}
