// One request/response pair as the handlers see it: routing results, server time (with skew),
// the request body as bytes (with reset/bandwidth faults), and response writing with the common
// OSS headers (§3.5 item 6) and the response-side faults.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitForDrain } from './body-file.js';
import type { FaultAction, OpName } from './faults.js';
import { errorXml, type OssError } from './oss-error.js';
import type { QueryParams } from './query.js';
import type { HeaderMap } from './signature-v1.js';

const CRC_HEADER = 'x-oss-hash-crc64ecma';
/** Largest slice written at once under a bandwidth cap, so pacing stays smooth. */
const PACED_SLICE_BYTES = 16 * 1024;

function find<T extends FaultAction['type']>(actions: readonly FaultAction[], type: T) {
  return actions.find((a): a is Extract<FaultAction, { type: T }> => a.type === type);
}

/** A request's headers by lower-case name, repeated headers joined with commas as HTTP allows. */
export function headerMap(req: IncomingMessage): HeaderMap {
  const map = new Map<string, string>();
  for (const [name, values] of Object.entries(req.headersDistinct)) {
    if (values) map.set(name, values.join(','));
  }
  return map;
}

/** A request being served. Handlers read `bucket`, `key`, `query`, `headers`, `now` and call `send*`. */
export class Exchange {
  readonly requestId = randomBytes(12).toString('hex').toUpperCase();
  op: OpName = 'Unknown';
  bucket: string | undefined;
  key: string | undefined;
  auth: 'v1' | 'v4' | 'anonymous' = 'anonymous';
  presigned = false;
  bytesIn = 0;
  status = 0;
  now: number;
  actions: readonly FaultAction[] = [];

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly headers: HeaderMap,
    readonly query: QueryParams,
    clockMs: number,
  ) {
    this.now = clockMs;
  }

  /** The Host header as OSS echoes it in `HostId`. */
  get hostId(): string {
    return this.headers.get('host') ?? '';
  }

  /** Installs the faults matched for this request; a `skew` shifts `now` at once. */
  useFaults(actions: readonly FaultAction[]): void {
    this.actions = actions;
    const skew = find(actions, 'skew');
    if (skew) this.now += skew.ms;
  }

  private hasRequestBody(): boolean {
    const length = this.headers.get('content-length');
    return this.headers.has('transfer-encoding') || (length !== undefined && Number(length) > 0);
  }

  /** The request body as chunks, counting `bytesIn` and applying `reset`/`bandwidth` faults. */
  async *body(): AsyncGenerator<Buffer> {
    const reset = this.hasRequestBody() ? find(this.actions, 'reset') : undefined;
    const bandwidth = find(this.actions, 'bandwidth');
    for await (const chunk of this.req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      this.bytesIn += chunk.length;
      if (reset && this.bytesIn >= reset.afterBytes) {
        this.req.socket.destroy();
        throw new Error('fault injected: connection reset');
      }
      if (bandwidth) await sleep((chunk.length / bandwidth.bytesPerSecond) * 1000);
      yield chunk;
    }
  }

  /** Reads and discards what is left of the request body, so an early answer reaches the client. */
  async drain(): Promise<void> {
    if (this.req.readableEnded || this.req.destroyed) return;
    this.req.resume();
    await Promise.race([once(this.req, 'end'), once(this.req, 'close')]);
  }

  /** Sends an OSS error: XML body, or for HEAD no body plus `x-oss-err` (base64 XML) and `x-oss-ec`. */
  async sendError(error: OssError): Promise<void> {
    const xml = errorXml(error, this.requestId, this.hostId);
    const headers: Record<string, string> = { 'x-oss-ec': error.ec };
    if (this.req.method === 'HEAD') {
      headers['x-oss-err'] = Buffer.from(xml).toString('base64');
      await this.send(error.status, headers);
      return;
    }
    headers['content-type'] = 'application/xml';
    await this.send(error.status, headers, Buffer.from(xml));
  }

  /** Sends an XML document with status 200 (or `status`). */
  async sendXml(xml: string, headers: Record<string, string> = {}, status = 200): Promise<void> {
    await this.send(status, { 'content-type': 'application/xml', ...headers }, Buffer.from(xml));
  }

  /**
   * Writes status, headers (plus request id, Date, Server) and an optional body, applying the
   * response-side faults. Never throws for a client that went away.
   */
  async send(status: number, headers: Record<string, string>, body?: Buffer | Readable): Promise<void> {
    this.status = status;
    if (find(this.actions, 'dropResponseAfterWrite')) {
      this.req.socket.destroy();
      return;
    }
    const all: Record<string, string> = {
      'x-oss-request-id': this.requestId,
      date: new Date(this.now).toUTCString(),
      server: 'AliyunOSS',
      ...headers,
    };
    if (all[CRC_HEADER] !== undefined) {
      if (find(this.actions, 'dropCrc')) delete all[CRC_HEADER];
      else if (find(this.actions, 'corruptCrc')) all[CRC_HEADER] = (BigInt(all[CRC_HEADER]) ^ 1n).toString();
    }
    if (Buffer.isBuffer(body)) all['content-length'] = String(body.length);
    else if (body === undefined && all['content-length'] === undefined) all['content-length'] = '0';
    const delay = find(this.actions, 'delay');
    if (delay && delay.phase !== 'body') await sleep(delay.ms);
    if (this.res.destroyed) return;
    this.res.writeHead(status, all);
    if (body === undefined || this.req.method === 'HEAD') {
      if (body instanceof Readable) body.destroy();
      this.res.end();
      return;
    }
    await this.writeBody(
      Buffer.isBuffer(body) ? [body.subarray(0, body.length >> 1), body.subarray(body.length >> 1)] : body,
    );
  }

  private async writeBody(source: AsyncIterable<Buffer> | Buffer[]): Promise<void> {
    const reset = this.hasRequestBody() ? undefined : find(this.actions, 'reset');
    const bandwidth = find(this.actions, 'bandwidth');
    let delay = find(this.actions, 'delay');
    if (delay?.phase !== 'body') delay = undefined;
    let sent = 0;
    try {
      for await (const whole of source) {
        const step = bandwidth ? PACED_SLICE_BYTES : whole.length || 1;
        for (let at = 0; at < whole.length; at += step) {
          let chunk = whole.subarray(at, at + step);
          if (reset && sent + chunk.length >= reset.afterBytes)
            chunk = chunk.subarray(0, reset.afterBytes - sent);
          if (bandwidth) await sleep((chunk.length / bandwidth.bytesPerSecond) * 1000);
          if (this.res.destroyed) return;
          sent += chunk.length;
          if (reset && sent >= reset.afterBytes) {
            // Destroy only once these bytes reached the socket, so the client sees exactly afterBytes.
            this.res.write(chunk, () => this.req.socket.destroy());
            return;
          }
          const flushed = this.res.write(chunk);
          if (!flushed) await waitForDrain(this.res);
          if (delay && sent > 0) {
            await sleep(delay.ms);
            delay = undefined;
          }
        }
      }
      this.res.end();
    } finally {
      if (source instanceof Readable) source.destroy();
    }
  }
}
