// CRC-64 as OSS computes it for `x-oss-hash-crc64ecma` (oss-protocol.md §2.10): CRC-64/XZ, i.e. the
// ECMA-182 polynomial reflected, init and xorout all ones. Slicing-by-16; the byte loop runs in WebAssembly.
import { CRC64_WASM_BASE64 } from './crc64-wasm.js';

/** Reflected ECMA-182 polynomial 0xC96C5795D7870F42, as two 32-bit halves. */
const POLY_HI = 0xc96c5795;
const POLY_LO = 0xd7870f42;
const POLY = 0xc96c5795d7870f42n;
const MASK64 = 0xffffffffffffffffn;

/** Slicing tables: table k, entry i at index k*256+i; `TABLE_HI`/`TABLE_LO` hold the two halves. */
const TABLES = 16;
const TABLE_HI = new Uint32Array(TABLES * 256);
const TABLE_LO = new Uint32Array(TABLES * 256);

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
for (let k = 1; k < TABLES; k++) {
  for (let i = 0; i < 256; i++) {
    const prevHi = TABLE_HI[(k - 1) * 256 + i]!;
    const prevLo = TABLE_LO[(k - 1) * 256 + i]!;
    const idx = prevLo & 0xff;
    TABLE_HI[k * 256 + i] = ((prevHi >>> 8) ^ TABLE_HI[idx]!) >>> 0;
    TABLE_LO[k * 256 + i] = (((prevLo >>> 8) | (prevHi << 24)) ^ TABLE_LO[idx]!) >>> 0;
  }
}

/** Bytes of input the WebAssembly module takes per call: its memory is 18 pages, tables first. */
const WASM_INPUT_OFFSET = TABLES * 256 * 8;
const WASM_INPUT_BYTES = 1024 * 1024;

interface Crc64Wasm {
  memory: { buffer: ArrayBuffer };
  update(register: bigint, length: number): bigint;
}

/** The two WebAssembly constructors we use (TypeScript's ES lib carries no WebAssembly types). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: object };
}
const { Module, Instance } = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

/**
 * The register loop runs in WebAssembly (crc64.wat: slicing-by-16 over 64-bit loads, lookups inlined):
 * faster than the plain-JS loop over 32-bit halves it replaced (see bench/crc64.ts). The module is 310
 * bytes and compiled synchronously at load; the tables above are copied into its memory.
 */
const wasm = new Instance(new Module(Buffer.from(CRC64_WASM_BASE64, 'base64'))).exports as Crc64Wasm;
const wasmBytes = new Uint8Array(wasm.memory.buffer);
{
  const words = new Uint32Array(wasm.memory.buffer, 0, TABLES * 256 * 2);
  for (let i = 0; i < TABLES * 256; i++) {
    words[2 * i] = TABLE_LO[i]!; // little-endian i64: low word first
    words[2 * i + 1] = TABLE_HI[i]!;
  }
}

/** Runs the raw (un-conditioned) register over `data`, a megabyte at a time through the module. */
function update(register: bigint, data: Uint8Array): bigint {
  let value = BigInt.asIntN(64, register);
  for (let offset = 0; offset < data.length; offset += WASM_INPUT_BYTES) {
    const part = data.subarray(offset, offset + WASM_INPUT_BYTES);
    wasmBytes.set(part, WASM_INPUT_OFFSET);
    value = wasm.update(value, part.length);
  }
  return BigInt.asUintN(64, value);
}

/**
 * CRC-64/XZ (the ECMA-182 polynomial as OSS uses it) of `data`. Pass the CRC of the preceding bytes as
 * `previous` to continue a running checksum: `crc64(b, crc64(a))` equals `crc64(a + b)`.
 */
export function crc64(data: Uint8Array, previous = 0n): bigint {
  return ~update(~previous & MASK64, data) & MASK64;
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
  #register = MASK64;
  #length = 0;

  /** Feeds the next chunk. */
  update(data: Uint8Array): this {
    this.#register = update(this.#register, data);
    this.#length += data.length;
    return this;
  }

  /** Bytes fed so far. */
  get length(): number {
    return this.#length;
  }

  /** The CRC of everything fed so far (the hasher stays usable). */
  digest(): bigint {
    return ~this.#register & MASK64;
  }
}
