// Raw HTTP helpers for the emulator tests: node:http requests with full control of Host and headers,
// a V4 header signer built on the emulator's own (vector-checked) signing functions, and XML field reads.
import { request } from 'node:http';
import { toIsoCompact } from '../../src/emulator/auth-checks.js';
import {
  rfc3986Encode,
  v4CanonicalRequest,
  v4Signature,
  v4StringToSign,
} from '../../src/emulator/signature-v4.js';

/** A response read whole (tests only use small bodies). */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
}

/** Sends one request to `endpoint` with `path` verbatim (already encoded) and returns the whole answer. */
export function rawRequest(
  endpoint: string,
  options: { method: string; path: string; headers?: Record<string, string>; body?: Buffer | string },
): Promise<RawResponse> {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: options.method,
        path: options.path,
        headers: options.headers ?? {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The text of the first `<name>…</name>` in an XML document (entities decoded), or `undefined`. */
export function xmlField(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  return m?.[1]?.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Encodes a query object (`null` = bare name) as the wire string, RFC 3986 style. */
export function encodeQuery(query: Record<string, string | null>): string {
  return Object.entries(query)
    .map(([k, v]) =>
      v === null ? rfc3986Encode(k, false) : `${rfc3986Encode(k, false)}=${rfc3986Encode(v, false)}`,
    )
    .join('&');
}

/** What `signedRequest` sends. Path style: `/bucket/key`. */
export interface SignedRequestInput {
  method: string;
  bucket: string;
  key?: string;
  query?: Record<string, string | null>;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** Signing time in ms; default now. */
  time?: number;
  credential: { accessKeyId: string; accessKeySecret: string; securityToken?: string };
  region?: string;
}

/** Signs a request with a V4 Authorization header (path style) and sends it. */
export function signedRequest(endpoint: string, input: SignedRequestInput): Promise<RawResponse> {
  const isoDate = toIsoCompact(input.time ?? Date.now());
  const region = input.region ?? 'cn-hangzhou';
  const headers: Record<string, string> = {
    ...(input.headers ?? {}),
    'x-oss-date': isoDate,
    'x-oss-content-sha256': 'UNSIGNED-PAYLOAD',
  };
  if (input.credential.securityToken !== undefined)
    headers['x-oss-security-token'] = input.credential.securityToken;
  const query = Object.entries(input.query ?? {}).map(([k, v]) => [k, v ?? ''] as const);
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const canonical = v4CanonicalRequest({
    method: input.method,
    bucket: input.bucket,
    key: input.key,
    query,
    headers: lower,
    additionalHeaders: [],
  });
  const scope = `${isoDate.slice(0, 8)}/${region}/oss/aliyun_v4_request`;
  const signature = v4Signature(
    input.credential.accessKeySecret,
    { day: isoDate.slice(0, 8), region, product: 'oss' },
    v4StringToSign(isoDate, scope, canonical),
  );
  headers.authorization = `OSS4-HMAC-SHA256 Credential=${input.credential.accessKeyId}/${scope},Signature=${signature}`;
  const qs = encodeQuery(input.query ?? {});
  const path = `/${input.bucket}/${rfc3986Encode(input.key ?? '', true)}${qs ? `?${qs}` : ''}`;
  const body = input.body;
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  else if (input.method === 'PUT' || input.method === 'POST') headers['content-length'] = '0';
  return rawRequest(endpoint, {
    method: input.method,
    path,
    headers,
    ...(body !== undefined ? { body } : {}),
  });
}
