// Leak-canary values and the scanner of issue #7: fake but well-formed credentials planted in a run, and
// a scan of every captured log line, tool output and stored file for them and for the patterns of
// shared/reference/security-reliability.md §3.2. A presigned URL is a bearer credential the caller asked
// for, so the AccessKey id (x-oss-credential) and STS token may appear only in the query of a URL the
// tool handed out in a field documented as a signed URL; the secret may appear nowhere.

/** A fake AccessKey id with the gitleaks shape `LTAI` + 20 alphanumerics. */
export const CANARY_ACCESS_KEY_ID = 'LTAI5tCanaryQ7wX2mZ9pL4kR8';
/** A fake 30-character AccessKey secret. */
export const CANARY_SECRET = 'cAnArY9sEcReT0wXyZ7q4L1mN3pR5t';
/** A fake STS security token: `CAIS` prefix, long, with the `+ / =` that need URL encoding. */
export const CANARY_STS_TOKEN = `CAIS${'q3Vx+Wk9/Lm2Np7Rs'.repeat(14)}Zc8==`;
/** A wrong secret of the same shape, for SignatureDoesNotMatch runs (also must never leak). */
export const CANARY_WRONG_SECRET = 'wRoNgCaNaRy0sEcReT7q4L1mN3pR5t';

/** One finding: where, what matched, and a short excerpt with the match masked. */
export interface LeakHit {
  where: string;
  rule: string;
  excerpt: string;
}

/** What kind of text is scanned: logs may hold no AccessKey id at all; outputs may inside signed URLs. */
export type ScanKind = 'log' | 'output' | 'artifact';

const REDACTED = /^\[REDACTED\]/;

// §3.2 patterns. A value that is already `[REDACTED]` is not a hit.
const PATTERNS: Array<[string, RegExp]> = [
  ['AccessKey id pattern', /\bLTAI[0-9A-Za-z]{12,20}\b/g],
  ['STS key id pattern', /\bSTS\.[0-9A-Za-z]{16,}\b/g],
  [
    'signature query parameter',
    /[?&](?:OSSAccessKeyId|Signature|security-token|x-oss-credential|x-oss-signature|x-oss-security-token|X-Amz-Credential|X-Amz-Signature|X-Amz-Security-Token)=([^&#\s"'<]+)/gi,
  ],
  ['Authorization header value', /authorization["']?\s*[:=]\s*["']?((?:OSS4-HMAC-SHA256|OSS)\s[^"'\n\r]+)/gi],
  ['V4 credential', /OSS4-HMAC-SHA256\s+(Credential=[^"'\n\r]+)/g],
  [
    'security-token header',
    /(?:x-oss-security-token|x-acs-security-token)["']?\s*[:=]\s*["']?([^"'\s,}]+)/gi,
  ],
  [
    'secret-named field',
    /["']?(?:accessKeySecret|access_key_secret|stsToken|securityToken|security_token|SecurityToken|AccessKeySecret)["']?\s*[:=]\s*["']?([^"'\s,}&]+)/g,
  ],
  [
    'signed material echoed',
    /<(?:StringToSign|StringToSignBytes|SignatureProvided|CanonicalRequest)>([^<]*)/g,
  ],
  ['OSSAccessKeyId element', /<OSSAccessKeyId>([^<]*)/g],
];

// In outputs the id and token are allowed only inside signed-URL queries, which are removed first.
const EXACT_VALUES: Array<[string, string]> = (
  [
    ['secret', CANARY_SECRET],
    ['wrong secret', CANARY_WRONG_SECRET],
    ['AccessKey id', CANARY_ACCESS_KEY_ID],
    ['STS token', CANARY_STS_TOKEN],
  ] as Array<[string, string]>
).flatMap(([name, value]) => {
  const forms: Array<[string, string]> = [[name, value]];
  const encoded = encodeURIComponent(value);
  if (encoded !== value) forms.push([`${name} (URL-encoded)`, encoded]);
  const base64 = Buffer.from(value).toString('base64');
  forms.push([`${name} (base64)`, base64.replace(/=+$/, '')]);
  return forms;
});

function excerpt(text: string, at: number, length: number): string {
  const start = Math.max(0, at - 40);
  const before = text.slice(start, at);
  const after = text.slice(at + length, at + length + 40);
  return `${before}<<${length} chars>>${after}`.replace(/\s+/g, ' ');
}

/**
 * Removes the query of each URL in `signedUrls` wherever that exact URL occurs in `text`; every other
 * byte of the text is scanned unchanged.
 */
export function stripSignedQueries(text: string, signedUrls: Iterable<string>): string {
  let out = text;
  for (const url of signedUrls) {
    const at = url.indexOf('?');
    if (at === -1) continue;
    const variants = new Set([url, JSON.stringify(url).slice(1, -1), url.replaceAll('&', '\\u0026')]);
    for (const variant of variants) out = out.split(variant).join(`${url.slice(0, at)}?[signed-query]`);
  }
  return out;
}

/**
 * Scans `text` for the canary values (raw, URL-encoded, base64) and the §3.2 patterns.
 * `signedUrls` (outputs only) are URLs the tool returned as signed URLs; their queries are skipped.
 */
export function scanText(
  text: string,
  where: string,
  kind: ScanKind,
  signedUrls: Iterable<string> = [],
): LeakHit[] {
  const hits: LeakHit[] = [];
  const scanned = kind === 'output' ? stripSignedQueries(text, signedUrls) : text;
  for (const [rule, value] of EXACT_VALUES) {
    let at = scanned.indexOf(value);
    while (at !== -1) {
      hits.push({ where, rule: `exact ${rule}`, excerpt: excerpt(scanned, at, value.length) });
      at = scanned.indexOf(value, at + value.length);
    }
  }
  for (const [rule, pattern] of PATTERNS) {
    for (const match of scanned.matchAll(pattern)) {
      const value = match[1] ?? match[0];
      if (REDACTED.test(value) || value === '') continue;
      hits.push({ where, rule, excerpt: excerpt(scanned, match.index ?? 0, match[0].length) });
    }
  }
  return hits;
}

/**
 * Signed URLs a tool handed out in its documented fields: `signed_url` (upload results and batches),
 * `url` of sign_url's JSON, link messages (`url`, or Dify's `message.text`) and MCP `resource_link`
 * blocks. Walks any JSON-like value.
 */
export function collectSignedUrls(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) collectSignedUrls(item, into);
    return into;
  }
  if (!value || typeof value !== 'object') return into;
  const record = value as Record<string, unknown>;
  const isLink = record.type === 'link' || record.type === 'resource_link';
  for (const [name, field] of Object.entries(record)) {
    const documented = name === 'signed_url' || (name === 'url' && (isLink || 'expires_at' in record));
    const linkText = isLink && name === 'message' && field && typeof field === 'object';
    if (documented && typeof field === 'string' && /[?&]x-oss-signature=/.test(field)) into.add(field);
    else if (name === 'uri' && isLink && typeof field === 'string') into.add(field);
    else if (linkText && typeof (field as { text?: unknown }).text === 'string')
      into.add((field as { text: string }).text);
    else collectSignedUrls(field, into);
  }
  return into;
}

/** Formats hits for a failing assertion: one line each, never the value itself. */
export function describeHits(hits: LeakHit[]): string {
  return hits.map((hit) => `${hit.where}: ${hit.rule}: ${hit.excerpt}`).join('\n');
}
