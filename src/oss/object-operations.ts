// Wire details of each OSS operation: which method, query, headers and body, how the response is read and
// checked (CRC-64), and how a lost response after a successful write is reconciled. Used by OssClient.
import { createHash } from 'node:crypto';
import { type Readable, Transform } from 'node:stream';
import { isAppError } from '../errors.js';
import { type CopyOptions, copyObject, listObjectsV2 } from './bucket-operations.js';
import { Crc64Hasher, crc64 } from './crc64.js';
import { ossNetworkError } from './errors.js';
import { MultipartRequests } from './multipart-requests.js';
import {
  checkKey,
  metaFromHeaders,
  type ObjectMeta,
  objectHeaders,
  type PutOptions,
  type PutResult,
} from './object-headers.js';
import type { OssTransport } from './transport.js';
import { checkCrc, crcMismatch, putResult, syntheticResponse } from './write-checks.js';

/** Body of a single PUT: bytes in memory, or a stream factory (replayable when it re-opens a file). */
export type PutBody =
  /** Bytes in memory, with their CRC-64 when the caller already has it. */
  | { data: Uint8Array; crc64?: bigint }
  | { stream: () => Readable; size?: number | undefined; replayable: boolean };

/** The operations of one bucket over a transport. */
export class ObjectOperations {
  readonly #transport: OssTransport;

  /** Initiate, UploadPart, Complete, Abort and the multipart listings. */
  readonly multipart: MultipartRequests;

  constructor(transport: OssTransport) {
    this.#transport = transport;
    this.multipart = new MultipartRequests(transport, (key, signal) => this.headObject(key, signal));
  }

  /** One PUT with CRC check; a forbid-overwrite conflict after a lost response is checked by HEAD + CRC. */
  async putObject(key: string, body: PutBody, options: PutOptions): Promise<PutResult> {
    checkKey(key);
    const headers = objectHeaders(key, options);
    let hasher = new Crc64Hasher();
    let fixedCrc: bigint | undefined;
    if ('data' in body) {
      fixedCrc = body.crc64 ?? crc64(body.data);
      headers['content-length'] = String(body.data.length);
      headers['content-md5'] = createHash('md5').update(body.data).digest('base64');
    } else if (body.size !== undefined) {
      headers['content-length'] = String(body.size);
    }
    const makeBody = (): Uint8Array | Readable => {
      if ('data' in body) return body.data;
      hasher = new Crc64Hasher();
      const counter = hasher;
      const source = body.stream();
      const tap = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          counter.update(chunk);
          callback(null, chunk);
        },
      });
      source.on('error', (error) => tap.destroy(error));
      return source.pipe(tap);
    };
    const crcOf = (): bigint => fixedCrc ?? hasher.digest();
    const sizeOf = (): number => ('data' in body ? body.data.length : hasher.length);
    const response = await this.#transport.send({
      operation: 'PutObject',
      method: 'PUT',
      key,
      headers,
      body: makeBody,
      replayable: 'data' in body || body.replayable,
      signal: options.signal,
      verify: (res) => checkCrc('PutObject', key, res, crcOf()),
      reconcile: async (error) => {
        if (error.code !== 'OSS_FILE_ALREADY_EXISTS') return undefined;
        const meta = await this.headObject(key, options.signal).catch(() => undefined);
        return meta && meta.crc64 === crcOf().toString() && meta.size === sizeOf()
          ? syntheticResponse(meta)
          : undefined;
      },
    });
    options.onProgress?.({ loadedBytes: sizeOf(), totalBytes: sizeOf() });
    return putResult(key, response, response.headers.etag ?? '', crcOf(), sizeOf(), false);
  }

  /** Streaming GET; a full (non-range, unprocessed) body is CRC-checked as it streams. */
  async getObject(
    key: string,
    options: { range?: [number, number?]; signal?: AbortSignal; ifMatch?: string; process?: string },
  ): Promise<ObjectMeta & { body: Readable; status: number }> {
    checkKey(key);
    const headers: Record<string, string> = {};
    if (options.range) headers.range = `bytes=${options.range[0]}-${options.range[1] ?? ''}`;
    if (options.ifMatch) headers['if-match'] = `"${options.ifMatch.replace(/^"|"$/g, '')}"`;
    const query: Record<string, string> = options.process ? { 'x-oss-process': options.process } : {};
    const response = await this.#transport.stream({
      operation: 'GetObject',
      method: 'GET',
      key,
      headers,
      query,
      signal: options.signal,
    });
    const meta = metaFromHeaders(key, response.headers);
    const expected = response.headers['x-oss-hash-crc64ecma'];
    const verify = response.status === 200 && !options.process && expected !== undefined;
    const hasher = new Crc64Hasher();
    const checked = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        if (verify) hasher.update(chunk);
        callback(null, chunk);
      },
      flush(callback) {
        const actual = verify ? hasher.digest().toString() : expected;
        callback(
          actual === expected ? null : crcMismatch('GetObject', key, String(actual), String(expected), true),
        );
      },
    });
    // A connection lost in the middle of the body is a network failure with a code, not an INTERNAL one.
    response.body.on('error', (error) =>
      checked.destroy(isAppError(error) ? error : ossNetworkError(error, { operation: 'GetObject', key })),
    );
    // A consumer that stops early (destroys the body) must release the connection now, not at idle timeout.
    checked.on('close', () => {
      if (!response.body.readableEnded) response.body.destroy();
    });
    return { ...meta, body: response.body.pipe(checked), status: response.status };
  }

  /** HeadObject (errors decoded from `x-oss-err`). */
  async headObject(key: string, signal?: AbortSignal): Promise<ObjectMeta> {
    checkKey(key);
    const response = await this.#transport.send({ operation: 'HeadObject', method: 'HEAD', key, signal });
    return metaFromHeaders(key, response.headers);
  }

  /** DeleteObject. */
  async deleteObject(key: string, signal?: AbortSignal): Promise<void> {
    checkKey(key);
    await this.#transport.send({ operation: 'DeleteObject', method: 'DELETE', key, signal });
  }

  /** Server-side copy (see bucket-operations.ts). */
  copyObject(
    sourceKey: string,
    targetKey: string,
    options: CopyOptions,
    copyPartSize: number,
    concurrency: number,
  ) {
    return copyObject(
      this.#transport,
      this.#copyHost(),
      sourceKey,
      targetKey,
      options,
      copyPartSize,
      concurrency,
    );
  }

  #copyHost() {
    return {
      headObject: (key: string, signal?: AbortSignal) => this.headObject(key, signal),
      multipartFor: (options: PutOptions) => this.multipart.multipartFor(options),
    };
  }

  /** ListObjectsV2 (see bucket-operations.ts). */
  listObjectsV2(options: Parameters<typeof listObjectsV2>[1]) {
    return listObjectsV2(this.#transport, options);
  }
}
