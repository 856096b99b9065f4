// What every signature check shares: the request and credential types, date parsing, the 15-minute skew
// rule, credential and STS-token lookup, and the constant-time signature comparison with OSS's error detail.
// Facts: oss-protocol.md §2.6, §2.11, §2.13.
import { timingSafeEqual } from 'node:crypto';
import { OssError } from './oss-error.js';
import type { QueryParams } from './query.js';
import type { HeaderMap } from './signature-v1.js';

/** One accepted key pair; with `securityToken` it is an STS credential that must carry that token. */
export interface EmulatorCredential {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
  /** Epoch ms after which the STS token answers `SecurityTokenExpired`. */
  expiresAt?: number;
}

/** What the request proved about its sender. */
export interface AuthResult {
  kind: 'v1' | 'v4' | 'anonymous';
  presigned: boolean;
  accessKeyId?: string;
}

/** The parts of a request the verifier reads. `key` is the decoded object key. */
export interface AuthInput {
  method: string;
  bucket: string | undefined;
  key: string | undefined;
  query: QueryParams;
  headers: HeaderMap;
  /** Server time in epoch ms (after any injected skew). */
  now: number;
  region: string;
  credentials: ReadonlyMap<string, EmulatorCredential>;
}

/** OSS allows 15 minutes between request time and server time (§2.6). */
export const MAX_SKEW_MS = 15 * 60 * 1000;
/** V4 presigned URLs live at most 7 days (§2.7). */
export const MAX_V4_EXPIRES_SECONDS = 604_800;

/** ISO compact date for V4 (`yyyymmddTHHMMSSZ`) of an epoch-ms time; handy for tests and callers. */
export function toIsoCompact(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** Parses `yyyymmddTHHMMSSZ`; `undefined` when malformed. */
export function parseIsoCompact(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A V4 compact date or any date `Date.parse` reads (V1's RFC 1123); `undefined` when neither. */
export function parseAnyDate(text: string): number | undefined {
  const iso = parseIsoCompact(text);
  if (iso !== undefined) return iso;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Throws RequestTimeTooSkewed when `requestTime` is more than 15 minutes from `now`. */
export function checkSkew(requestTime: number, raw: string, now: number): void {
  if (Math.abs(requestTime - now) > MAX_SKEW_MS) {
    throw new OssError('RequestTimeTooSkewed', {
      extra: { RequestTime: raw, ServerTime: new Date(now).toISOString().replace(/\.\d{3}Z$/, '.000Z') },
    });
  }
}

/** The credential of `accessKeyId`, its STS token checked; throws the OSS error for each mismatch. */
export function lookup(input: AuthInput, accessKeyId: string, token: string | undefined): EmulatorCredential {
  const credential = input.credentials.get(accessKeyId);
  if (!credential) throw new OssError('InvalidAccessKeyId', { extra: { OSSAccessKeyId: accessKeyId } });
  if ((credential.securityToken ?? '') !== (token ?? '')) throw new OssError('InvalidSecurityToken');
  if (credential.expiresAt !== undefined && input.now > credential.expiresAt) {
    throw new OssError('SecurityTokenExpired');
  }
  return credential;
}

function bytesHex(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** Throws SignatureDoesNotMatch (with the StringToSign, as OSS does) unless the signatures are equal. */
export function compareSignature(
  expected: string,
  provided: string,
  details: { accessKeyId: string; stringToSign: string; canonicalRequest?: string },
): void {
  const a = Buffer.from(expected);
  const b = Buffer.from(provided);
  if (a.length === b.length && timingSafeEqual(a, b)) return;
  // Real OSS echoes the StringToSign (a debugging aid, §2.11); clients must redact it.
  const extra: Record<string, string> = {
    OSSAccessKeyId: details.accessKeyId,
    SignatureProvided: provided,
    StringToSign: details.stringToSign,
    StringToSignBytes: bytesHex(details.stringToSign),
  };
  if (details.canonicalRequest !== undefined) extra.CanonicalRequest = details.canonicalRequest;
  throw new OssError('SignatureDoesNotMatch', { extra });
}

/** `{ token }` when a security token was sent, else nothing (exact optional properties). */
export function tokenField(token: string | undefined): { token?: string } {
  return token === undefined ? {} : { token };
}
