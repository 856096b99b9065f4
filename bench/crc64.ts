// CRC-64 micro-benchmark (not a test): MiB/s of our crc64() (WebAssembly register loop) against the
// plain-JS slicing-by-8 loop over 32-bit halves it replaced, with MD5 and SHA-256 for scale.
import { createHash, randomBytes } from 'node:crypto';
import { crc64 } from '../src/oss/crc64.js';

const MIB = 1024 * 1024;
const SIZE_MIB = Number(process.env.BENCH_SIZE_MIB ?? 256);
const ROUNDS = 3;

/** The replaced plain-JS loop, kept here only as the baseline: tables as 32-bit halves. */
function jsBaseline(): (data: Uint8Array) => void {
  const hiTable = new Uint32Array(8 * 256);
  const loTable = new Uint32Array(8 * 256);
  for (let i = 0; i < 256; i++) {
    let hi = 0;
    let lo = i;
    for (let bit = 0; bit < 8; bit++) {
      const carry = lo & 1;
      lo = ((lo >>> 1) | (hi << 31)) >>> 0;
      hi >>>= 1;
      if (carry) {
        hi = (hi ^ 0xc96c5795) >>> 0;
        lo = (lo ^ 0xd7870f42) >>> 0;
      }
    }
    hiTable[i] = hi;
    loTable[i] = lo;
  }
  for (let k = 1; k < 8; k++) {
    for (let i = 0; i < 256; i++) {
      const ph = hiTable[(k - 1) * 256 + i]!;
      const pl = loTable[(k - 1) * 256 + i]!;
      hiTable[k * 256 + i] = ((ph >>> 8) ^ hiTable[pl & 0xff]!) >>> 0;
      loTable[k * 256 + i] = (((pl >>> 8) | (ph << 24)) ^ loTable[pl & 0xff]!) >>> 0;
    }
  }
  return (data) => {
    let hi = 0xffffffff;
    let lo = 0xffffffff;
    for (let i = 0; i + 8 <= data.length; i += 8) {
      const l = lo ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24));
      const h = hi ^ (data[i + 4]! | (data[i + 5]! << 8) | (data[i + 6]! << 16) | (data[i + 7]! << 24));
      const a = 1792 + (l & 0xff);
      const b = 1536 + ((l >>> 8) & 0xff);
      const c = 1280 + ((l >>> 16) & 0xff);
      const d = 1024 + (l >>> 24);
      const e = 768 + (h & 0xff);
      const f = 512 + ((h >>> 8) & 0xff);
      const g = 256 + ((h >>> 16) & 0xff);
      const j = h >>> 24;
      hi =
        hiTable[a]! ^
        hiTable[b]! ^
        hiTable[c]! ^
        hiTable[d]! ^
        hiTable[e]! ^
        hiTable[f]! ^
        hiTable[g]! ^
        hiTable[j]!;
      lo =
        loTable[a]! ^
        loTable[b]! ^
        loTable[c]! ^
        loTable[d]! ^
        loTable[e]! ^
        loTable[f]! ^
        loTable[g]! ^
        loTable[j]!;
    }
  };
}

function measure(name: string, run: (data: Buffer) => void, data: Buffer): string {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    run(data);
    best = Math.min(best, performance.now() - started);
  }
  return `| ${name} | ${((SIZE_MIB * 1000) / best).toFixed(0)} |`;
}

const data = randomBytes(SIZE_MIB * MIB);
console.log(`CRC-64 over ${SIZE_MIB} MiB, best of ${ROUNDS}, Node ${process.version}\n`);
console.log('| function | MiB/s |\n|---|---:|');
console.log(measure('crc64() (WebAssembly loop)', (d) => crc64(d), data));
console.log(measure('plain-JS slicing-by-8 (replaced)', jsBaseline(), data));
console.log(measure('md5 (node:crypto)', (d) => createHash('md5').update(d).digest(), data));
console.log(measure('sha256 (node:crypto)', (d) => createHash('sha256').update(d).digest(), data));
