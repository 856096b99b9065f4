// OSS Signature V1 (HMAC-SHA1) string-to-sign and signature, for the emulator's verifier.
// Spec: oss-protocol.md §2.4-§2.5 ("Include a V1 signature in the Authorization header",
// alibabacloud.com/help/doc-detail/31951.html); sub-resource list per Go SDK v2 plus older SDKs' list.
import { createHmac } from 'node:crypto';
import type { QueryParams } from './query.js';

/**
 * Query parameters that are part of the V1 CanonicalizedResource: the union of the Go SDK v2 list and
 * the older SDKs' longer `signKeyList` (§2.4), because a server must accept what either signs.
 */
export const V1_SUBRESOURCES: ReadonlySet<string> = new Set([
  'acl',
  'bucketInfo',
  'location',
  'stat',
  'delete',
  'append',
  'tagging',
  'objectMeta',
  'uploads',
  'uploadId',
  'partNumber',
  'security-token',
  'position',
  'response-content-type',
  'response-content-language',
  'response-expires',
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
  'restore',
  'callback',
  'callback-var',
  'versions',
  'versioning',
  'versionId',
  'sequential',
  'continuation-token',
  'regionList',
  'cloudboxes',
  'symlink',
  'cors',
  'logging',
  'website',
  'referer',
  'lifecycle',
  'img',
  'style',
  'styleName',
  'replication',
  'replicationProgress',
  'replicationLocation',
  'cname',
  'comp',
  'qos',
  'live',
  'status',
  'vod',
  'startTime',
  'endTime',
  'udf',
  'udfName',
  'udfImage',
  'udfId',
  'udfImageDesc',
  'udfApplication',
  'udfApplicationLog',
  'qosInfo',
  'policy',
  'encryption',
  'requestPayment',
  'inventory',
  'inventoryId',
  'resourceGroup',
  'worm',
  'wormId',
  'wormExtend',
  'continuation-token',
  'objectInfo',
  'transferAcceleration',
  'policyStatus',
  'publicAccessBlock',
]);

/** Lowercased request headers with repeated values joined by `,` (as §2.4 says). */
export type HeaderMap = ReadonlyMap<string, string>;

/** `name:value\n` for every `x-oss-*` header, sorted by name, values trimmed. */
export function v1CanonicalizedHeaders(headers: HeaderMap): string {
  return [...headers.entries()]
    .filter(([name]) => name.startsWith('x-oss-'))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}:${value.trim()}\n`)
    .join('');
}

/**
 * `/bucket/key` with the raw (decoded) key, `/bucket/` for bucket requests, `/` for the service, then
 * `?` and the signed sub-resources sorted by name (`k` or `k=v`, decoded values).
 */
export function v1CanonicalizedResource(
  bucket: string | undefined,
  key: string | undefined,
  query: QueryParams,
  extraSubresources: ReadonlySet<string> = new Set(),
): string {
  const base = bucket === undefined ? '/' : `/${bucket}/${key ?? ''}`;
  const signed = query
    .filter(([name]) => V1_SUBRESOURCES.has(name) || name.startsWith('x-oss-') || extraSubresources.has(name))
    .map(([name, value]) => (value === '' ? name : `${name}=${value}`))
    .sort((a, b) => {
      const na = a.split('=')[0]!;
      const nb = b.split('=')[0]!;
      return na < nb ? -1 : na > nb ? 1 : 0;
    });
  return signed.length === 0 ? base : `${base}?${signed.join('&')}`;
}

/** The V1 StringToSign: VERB, Content-MD5, Content-Type, date (or Expires), then headers and resource. */
export function v1StringToSign(input: {
  method: string;
  contentMd5: string;
  contentType: string;
  date: string;
  canonicalizedHeaders: string;
  canonicalizedResource: string;
}): string {
  return `${input.method}\n${input.contentMd5}\n${input.contentType}\n${input.date}\n${input.canonicalizedHeaders}${input.canonicalizedResource}`;
}

/** base64(HMAC-SHA1(secret, stringToSign)). */
export function v1Signature(secret: string, stringToSign: string): string {
  return createHmac('sha1', secret).update(stringToSign, 'utf8').digest('base64');
}
