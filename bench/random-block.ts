// Benchmark payload: one pseudo-random MiB from an xorshift32 generator, repeated by the caller. Cheap to
// make, not compressible, and the same bytes for a given seed on every run.

const MIB = 1024 * 1024;

/** One MiB of xorshift32 output starting from `seed` (non-zero). */
export function randomBlock(seed: number): Buffer {
  const out = Buffer.allocUnsafe(MIB);
  let x = seed;
  for (let i = 0; i < MIB; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out.writeUInt32LE(x >>> 0, i);
  }
  return out;
}
