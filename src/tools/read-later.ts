// A blob's stream waits before anyone reads it: while its tool yields the text, JSON and link that come
// first, and until the face gets to it. An error in that time (a connection reset) must stay on the stream,
// where the face's read finds it, not be emitted to no listener, which Node turns into a process crash.
import type { Readable } from 'node:stream';

/**
 * Marks `stream` as read later and returns it: its errors are kept in `stream.errored`, and `for await`,
 * `pipeline` and `finished` on it still reject with them.
 */
export function readLater<T extends Readable>(stream: T): T {
  stream.on('error', keptForTheReader);
  return stream;
}

function keptForTheReader(): void {
  // Nothing to do: Node stores the error on the stream for whoever reads it.
}
