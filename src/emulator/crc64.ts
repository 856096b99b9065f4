// CRC-64/XZ (ECMA-182 polynomial, reflected, init and xorout all ones) as OSS computes it for
// `x-oss-hash-crc64ecma`; independent of src/oss on purpose. Slicing-by-8 over 32-bit halves.
// Algorithm facts: oss-protocol.md §2.10 ("Check data integrity by using CRC-64", alibabacloud.com).

/** Reflected ECMA-182 polynomial 0xC96C5795D7870F42, split into 32-bit halves. */
const POLY_HI = 0xc96c5795;
const POLY_LO = 0xd7870f42;
const POLY = 0xc96c5795d7870f42n;
const MASK64 = 0xffffffffffffffffn;

function buildTables(): { lo: Uint32Array; hi: Uint32Array } {
  const lo = new Uint32Array(8 * 256);
  const hi = new Uint32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let l = n;
    let h = 0;
    for (let bit = 0; bit < 8; bit++) {
      const carry = l & 1;
      l = ((l >>> 1) | ((h & 1) << 31)) >>> 0;
      h >>>= 1;
      if (carry) {
        l = (l ^ POLY_LO) >>> 0;
        h = (h ^ POLY_HI) >>> 0;
      }
    }
    lo[n] = l;
    hi[n] = h;
  }
  for (let k = 1; k < 8; k++) {
    for (let n = 0; n < 256; n++) {
      const prevLo = lo[(k - 1) * 256 + n]!;
      const prevHi = hi[(k - 1) * 256 + n]!;
      const idx = prevLo & 0xff;
      lo[k * 256 + n] = (((prevLo >>> 8) | (prevHi << 24)) ^ lo[idx]!) >>> 0;
      hi[k * 256 + n] = ((prevHi >>> 8) ^ hi[idx]!) >>> 0;
    }
  }
  return { lo, hi };
}

const TABLES = buildTables();

/** A running CRC-64/XZ over a byte stream; `update` any number of times, then read `value`. */
export class Crc64 {
  // State is kept inverted (init all ones) in two unsigned 32-bit halves.
  private lo = 0xffffffff;
  private hi = 0xffffffff;

  /** Feeds more bytes; returns `this` for chaining. */
  update(data: Uint8Array): this {
    const tLo = TABLES.lo;
    const tHi = TABLES.hi;
    let lo = this.lo;
    let hi = this.hi;
    let i = 0;
    const end8 = data.length - (data.length % 8);
    while (i < end8) {
      const a = (lo ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24))) >>> 0;
      const b =
        (hi ^ (data[i + 4]! | (data[i + 5]! << 8) | (data[i + 6]! << 16) | (data[i + 7]! << 24))) >>> 0;
      const i7 = 7 * 256 + (a & 0xff);
      const i6 = 6 * 256 + ((a >>> 8) & 0xff);
      const i5 = 5 * 256 + ((a >>> 16) & 0xff);
      const i4 = 4 * 256 + (a >>> 24);
      const i3 = 3 * 256 + (b & 0xff);
      const i2 = 2 * 256 + ((b >>> 8) & 0xff);
      const i1 = 256 + ((b >>> 16) & 0xff);
      const i0 = b >>> 24;
      lo = (tLo[i7]! ^ tLo[i6]! ^ tLo[i5]! ^ tLo[i4]! ^ tLo[i3]! ^ tLo[i2]! ^ tLo[i1]! ^ tLo[i0]!) >>> 0;
      hi = (tHi[i7]! ^ tHi[i6]! ^ tHi[i5]! ^ tHi[i4]! ^ tHi[i3]! ^ tHi[i2]! ^ tHi[i1]! ^ tHi[i0]!) >>> 0;
      i += 8;
    }
    for (; i < data.length; i++) {
      const idx = (lo ^ data[i]!) & 0xff;
      lo = (((lo >>> 8) | (hi << 24)) ^ tLo[idx]!) >>> 0;
      hi = ((hi >>> 8) ^ tHi[idx]!) >>> 0;
    }
    this.lo = lo;
    this.hi = hi;
    return this;
  }

  /** The CRC of everything fed so far, as an unsigned 64-bit bigint. */
  get value(): bigint {
    return ((BigInt(this.hi) << 32n) | BigInt(this.lo)) ^ MASK64;
  }

  /** The CRC as OSS prints it: an unsigned decimal string. */
  toString(): string {
    return this.value.toString(10);
  }
}

/** CRC-64/XZ of one buffer, as an unsigned bigint. */
export function crc64(data: Uint8Array): bigint {
  return new Crc64().update(data).value;
}

// Combining CRCs of concatenated data without re-reading it: crc(A‖B) = (crc(A)·x^(8·len(B)) mod P) ⊕ crc(B).
// This is the polynomial-multiplication form zlib 1.2.12 uses for crc32_combine, applied to 64 bits.
const X0 = 1n << 63n; // x^0 in reflected bit order

function multModP(a: bigint, b: bigint): bigint {
  let m = X0;
  let p = 0n;
  let bb = b;
  for (let bit = 0; bit < 64; bit++) {
    if (a & m) p ^= bb;
    m >>= 1n;
    bb = bb & 1n ? (bb >> 1n) ^ POLY : bb >> 1n;
  }
  return p;
}

/** X2N[k] = x^(2^k) mod P, for k = 0..63. */
const X2N: bigint[] = (() => {
  const table: bigint[] = [X0 >> 1n];
  for (let k = 1; k < 64; k++) table.push(multModP(table[k - 1]!, table[k - 1]!));
  return table;
})();

function xPow8n(lengthBytes: number): bigint {
  let p = X0;
  let n = BigInt(lengthBytes);
  let k = 3; // 8 bits per byte = 2^3
  while (n > 0n) {
    if (n & 1n) p = multModP(X2N[k % 64]!, p);
    n >>= 1n;
    k++;
  }
  return p;
}

/**
 * The CRC-64 of `A‖B` from `crc(A)`, `crc(B)` and `len(B)` in bytes. Used for a multipart object's
 * whole-object CRC, so completing an upload never re-reads its parts.
 */
export function combineCrc64(crcA: bigint, crcB: bigint, lengthB: number): bigint {
  if (lengthB === 0) return crcA;
  return (multModP(xPow8n(lengthB), crcA) ^ crcB) & MASK64;
}
