// Sends one signed OSS request with retries: builds the URL for the location, signs it with V4 on the
// corrected clock, maps error responses, retries what §4.4 says is retryable. Knows no operation.
import type { Readable } from 'node:stream';
import { Agent, request } from 'undici';
import { type AppError, isAppError } from '../errors.js';
import { type OssLocation, originOf, pathOf } from './addressing.js';
import { ossNetworkError, ossResponseError } from './errors.js';
import { backoffDelayMs, cancelled, decideRetry, delay, serverTimeOf } from './retry.js';
import { canonicalQuery, signV4Headers } from './signer.js';

/** Connection and retry settings of a transport; all times in ms. */
export interface TransportOptions {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string | undefined;
  location: OssLocation;
  maxAttempts: number;
  retryBaseMs: number;
  retryCapMs: number;
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  now: () => number;
}

/** A request body; a factory is called once per attempt so every retry re-sends the same bytes. */
export type BodyFactory = () => Uint8Array | Readable | undefined;

/** One logical OSS call. */
export interface OssRequest {
  operation: string;
  method: 'GET' | 'PUT' | 'POST' | 'DELETE' | 'HEAD';
  /** Object key; `''` or absent for bucket-level operations. */
  key?: string | undefined;
  query?: Record<string, string> | undefined;
  headers?: Record<string, string> | undefined;
  body?: BodyFactory | undefined;
  /** False when the body cannot be produced twice: then only one attempt is made. */
  replayable?: boolean | undefined;
  signal?: AbortSignal | undefined;
  /** Checks a successful response (e.g. CRC-64); throw a retryable AppError to send again. */
  verify?: ((response: OssTextResponse) => void) | undefined;
  /**
   * Called when a non-retryable error follows an attempt whose outcome is unknown (lost response): may
   * prove the earlier attempt succeeded and return the result to use instead of the error.
   */
  reconcile?: ((error: AppError) => Promise<OssTextResponse | undefined>) | undefined;
  /** Called with the error of a failed attempt just before it is sent again. */
  onRetry?: ((error: AppError) => void) | undefined;
}

/** A response whose body was read as text. */
export interface OssTextResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** A response whose body is still a stream; the caller must consume or destroy it. */
export interface OssStreamResponse {
  status: number;
  headers: Record<string, string>;
  body: Readable;
}

const MAX_ERROR_BODY_BYTES = 64 * 1024;

function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

async function readText(body: AsyncIterable<Uint8Array>, limit = Number.POSITIVE_INFINITY): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    if (size < limit) chunks.push(Buffer.from(chunk));
    size += chunk.length;
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Signs and sends OSS requests over one keep-alive undici Agent. */
export class OssTransport {
  readonly #options: TransportOptions;
  readonly #agent: Agent;
  /** Added to the local clock when signing; learnt from RequestTimeTooSkewed. */
  clockOffsetMs = 0;

  constructor(options: TransportOptions) {
    this.#options = options;
    this.#agent = new Agent({
      connect: { timeout: options.connectTimeoutMs },
      headersTimeout: options.idleTimeoutMs,
      bodyTimeout: options.idleTimeoutMs,
      keepAliveTimeout: 4_000,
      connections: 16,
    });
  }

  /** The bucket every request addresses. */
  get bucket(): string {
    return this.#options.location.bucket;
  }

  /** Sends and reads the body as text (errors, XML results, empty bodies). */
  async send(req: OssRequest): Promise<OssTextResponse> {
    return this.#withRetry(req, async (signal) => {
      const response = await this.#attempt(req, signal);
      const text = req.method === 'HEAD' ? '' : await readText(response.body);
      const result = { status: response.status, headers: response.headers, text };
      req.verify?.(result);
      return result;
    });
  }

  /** Sends and returns the body as a stream once the status is successful (GET). */
  async stream(req: OssRequest): Promise<OssStreamResponse> {
    return this.#withRetry(req, (signal) => this.#attempt(req, signal));
  }

  /** Closes idle sockets; in-flight requests finish first. */
  async close(): Promise<void> {
    await this.#agent.close();
  }

  async #withRetry<T>(req: OssRequest, run: (signal?: AbortSignal) => Promise<T>): Promise<T> {
    const maxAttempts = req.replayable === false ? 1 : this.#options.maxAttempts;
    let uncertain = false;
    for (let attempt = 1; ; attempt++) {
      if (req.signal?.aborted) throw cancelled(req.signal);
      try {
        return await run(req.signal);
      } catch (thrown) {
        const error = this.#normalize(thrown, req);
        if (uncertain && req.reconcile && !error.retryable && error.code !== 'CANCELLED') {
          const recovered = await req.reconcile(error);
          if (recovered) return recovered as T;
        }
        // A lost answer, or a CRC-64 that disagrees after OSS accepted the write: either way the object
        // may be stored, so a later conflict is checked against it (reconcile).
        if (error.code === 'OSS_NETWORK_ERROR' || error.code === 'OSS_CRC_MISMATCH') uncertain = true;
        const serverTime =
          error.code === 'OSS_REQUEST_TIME_SKEWED'
            ? serverTimeOf(error.details.serverTime as string | undefined, undefined)
            : undefined;
        const decision = decideRetry(error, attempt, maxAttempts, serverTime, this.#options.now());
        if (!decision.retry) throw error;
        req.onRetry?.(error);
        if (decision.clockOffsetMs !== undefined) {
          this.clockOffsetMs = decision.clockOffsetMs;
          continue;
        }
        await delay(backoffDelayMs(attempt, this.#options.retryBaseMs, this.#options.retryCapMs), req.signal);
      }
    }
  }

  #normalize(thrown: unknown, req: OssRequest): AppError {
    if (req.signal?.aborted) return cancelled(req.signal);
    if (isAppError(thrown)) return thrown;
    return ossNetworkError(thrown, { operation: req.operation, key: req.key });
  }

  async #attempt(req: OssRequest, signal?: AbortSignal): Promise<OssStreamResponse> {
    const loc = this.#options.location;
    const key = req.key ?? '';
    const query = req.query ?? {};
    const signed = signV4Headers({
      method: req.method,
      bucket: loc.bucket,
      key,
      query,
      headers: req.headers ?? {},
      accessKeyId: this.#options.accessKeyId,
      accessKeySecret: this.#options.accessKeySecret,
      securityToken: this.#options.securityToken,
      region: loc.region,
      date: new Date(this.#options.now() + this.clockOffsetMs),
    });
    const search = canonicalQuery(query);
    const url = `${originOf(loc)}${pathOf(loc, key)}${search ? `?${search}` : ''}`;
    const response = await request(url, {
      method: req.method,
      headers: signed.headers,
      body: req.body?.() ?? null,
      dispatcher: this.#agent,
      signal: signal ?? null,
    });
    const headers = flatHeaders(response.headers);
    if (response.statusCode >= 200 && response.statusCode < 300) {
      return { status: response.statusCode, headers, body: response.body };
    }
    const text = req.method === 'HEAD' ? '' : await readText(response.body, MAX_ERROR_BODY_BYTES);
    if (req.method === 'HEAD') await response.body.dump();
    throw ossResponseError(
      { status: response.statusCode, headers, body: text },
      { operation: req.operation, key: req.key || undefined },
    );
  }
}
