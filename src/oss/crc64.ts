// CRC-64 as OSS computes it for `x-oss-hash-crc64ecma` (oss-protocol.md §2.10): CRC-64/XZ, i.e. the
// ECMA-182 polynomial reflected, init and xorout all ones. Pure JS, slicing-by-8 over 32-bit halves.

/** Reflected ECMA-182 polynomial 0xC96C5795D7870F42, as two 32-bit halves. */
const POLY_HI = 0xc96c5795;
const POLY_LO = 0xd7870f42;
const POLY = 0xc96c5795d7870f42n;
const MASK64 = 0xffffffffffffffffn;

/** Slicing tables: table k, entry i at index k*256+i; `TABLE_HI`/`TABLE_LO` hold the two halves. */
const TABLE_HI = new Uint32Array(8 * 256);
const TABLE_LO = new Uint32Array(8 * 256);

for (let i = 0; i < 256; i++) {
  let hi = 0;
  let lo = i;
  for (let bit = 0; bit < 8; bit++) {
    const carry = lo & 1;
    lo = ((lo >>> 1) | (hi << 31)) >>> 0;
    hi >>>= 1;
    if (carry) {
      hi = (hi ^ POLY_HI) >>> 0;
      lo = (lo ^ POLY_LO) >>> 0;
    }
  }
  TABLE_HI[i] = hi;
  TABLE_LO[i] = lo;
}
for (let k = 1; k < 8; k++) {
  for (let i = 0; i < 256; i++) {
    const prevHi = TABLE_HI[(k - 1) * 256 + i]!;
    const prevLo = TABLE_LO[(k - 1) * 256 + i]!;
    const idx = prevLo & 0xff;
    TABLE_HI[k * 256 + i] = ((prevHi >>> 8) ^ TABLE_HI[idx]!) >>> 0;
    TABLE_LO[k * 256 + i] = (((prevLo >>> 8) | (prevHi << 24)) ^ TABLE_LO[idx]!) >>> 0;
  }
}

/** Runs the raw (un-conditioned) register over `data`; returns the new halves. */
function update(hiIn: number, loIn: number, data: Uint8Array): [number, number] {
  let hi = hiIn;
  let lo = loIn;
  const th = TABLE_HI;
  const tl = TABLE_LO;
  const length = data.length;
  let i = 0;
  const end8 = length - (length % 8);
  while (i < end8) {
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
    hi = th[a]! ^ th[b]! ^ th[c]! ^ th[d]! ^ th[e]! ^ th[f]! ^ th[g]! ^ th[j]!;
    lo = tl[a]! ^ tl[b]! ^ tl[c]! ^ tl[d]! ^ tl[e]! ^ tl[f]! ^ tl[g]! ^ tl[j]!;
    i += 8;
  }
  while (i < length) {
    const idx = (lo ^ data[i]!) & 0xff;
    lo = ((lo >>> 8) | (hi << 24)) ^ tl[idx]!;
    hi = (hi >>> 8) ^ th[idx]!;
    i++;
  }
  return [hi >>> 0, lo >>> 0];
}

function toHalves(value: bigint): [number, number] {
  return [Number((value >> 32n) & 0xffffffffn), Number(value & 0xffffffffn)];
}

function fromHalves(hi: number, lo: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

/**
 * CRC-64/XZ (the ECMA-182 polynomial as OSS uses it) of `data`. Pass the CRC of the preceding bytes as
 * `previous` to continue a running checksum: `crc64(b, crc64(a))` equals `crc64(a + b)`.
 */
export function crc64(data: Uint8Array, previous = 0n): bigint {
  const [hi, lo] = toHalves(~previous & MASK64);
  const [outHi, outLo] = update(hi, lo, data);
  return ~fromHalves(outHi, outLo) & MASK64;
}

/** Product of two polynomials modulo the CRC polynomial, in the reflected bit order. */
function multiplyModPoly(a: bigint, bIn: bigint): bigint {
  let b = bIn;
  let m = 1n << 63n;
  let product = 0n;
  while (m !== 0n) {
    if ((a & m) !== 0n) {
      product ^= b;
      if ((a & (m - 1n)) === 0n) break;
    }
    m >>= 1n;
    b = (b & 1n) !== 0n ? (b >> 1n) ^ POLY : b >> 1n;
  }
  return product;
}

/** X2N[k] = x^(2^k) modulo the polynomial; 64 entries repeat with period dividing the field order. */
const X2N: bigint[] = [];
{
  let p = 1n << 62n; // x^1
  for (let k = 0; k < 64; k++) {
    X2N.push(p);
    p = multiplyModPoly(p, p);
  }
}

/** x^(n * 2^k) modulo the polynomial. */
function xPowerModPoly(nIn: number, kIn: number): bigint {
  let n = nIn;
  let k = kIn;
  let p = 1n << 63n; // x^0
  while (n > 0) {
    if (n % 2 === 1) p = multiplyModPoly(X2N[k & 63]!, p);
    n = Math.floor(n / 2);
    k++;
  }
  return p;
}

/**
 * CRC of the concatenation A+B from `crc1` = CRC(A), `crc2` = CRC(B) and the byte length of B; used to
 * derive a whole-object CRC from part CRCs (same method as zlib's crc32_combine).
 */
export function crc64Combine(crc1: bigint, crc2: bigint, len2: number): bigint {
  if (len2 <= 0) return crc1;
  return multiplyModPoly(xPowerModPoly(len2, 3), crc1) ^ crc2;
}

/** An incremental CRC-64 hasher: `update()` chunks in order, then `digest()` (decimal via `toString()`). */
export class Crc64Hasher {
  #hi = 0xffffffff;
  #lo = 0xffffffff;
  #length = 0;

  /** Feeds the next chunk. */
  update(data: Uint8Array): this {
    [this.#hi, this.#lo] = update(this.#hi, this.#lo, data);
    this.#length += data.length;
    return this;
  }

  /** Bytes fed so far. */
  get length(): number {
    return this.#length;
  }

  /** The CRC of everything fed so far (the hasher stays usable). */
  digest(): bigint {
    return ~fromHalves(this.#hi, this.#lo) & MASK64;
  }
}
