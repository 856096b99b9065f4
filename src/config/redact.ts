// The one redaction function (security-reliability.md §3.2), used by the logger, the error mapper and
// every face. Exact values registered at start-up go first, then patterns for anything that looks secret.

const REPLACEMENT = '[REDACTED]';
const MIN_SECRET_LENGTH = 6;
const secretValues = new Set<string>();

/** Registers secret values (AccessKey secret, STS token, AccessKey id) to scrub wherever they appear. */
export function registerSecrets(...values: Array<string | undefined | null>): void {
  for (const value of values) {
    if (typeof value === 'string' && value.length >= MIN_SECRET_LENGTH) {
      secretValues.add(value);
      // A secret can also show up URL-encoded (STS tokens contain '+', '/', '=').
      const encoded = encodeURIComponent(value);
      if (encoded !== value) secretValues.add(encoded);
    }
  }
}

/** Forgets registered values (tests). */
export function clearSecrets(): void {
  secretValues.clear();
}

const PATTERNS: Array<[RegExp, string]> = [
  // Signature-bearing query parameters of V1/V4 presigned URLs and of S3-style URLs.
  [
    /([?&](?:OSSAccessKeyId|Signature|security-token|x-oss-credential|x-oss-signature|x-oss-security-token|X-Amz-Credential|X-Amz-Signature|X-Amz-Security-Token)=)[^&#\s"'<]+/gi,
    `$1${REPLACEMENT}`,
  ],
  // Authorization header values (V1 "OSS ak:sig" and V4 "OSS4-HMAC-SHA256 Credential=...,Signature=...").
  [/(authorization["']?\s*[:=]\s*["']?)(?:OSS4-HMAC-SHA256|OSS)\s[^"'\n\r]+/gi, `$1${REPLACEMENT}`],
  [/\b(OSS4-HMAC-SHA256\s+)Credential=[^"'\n\r]+/g, `$1${REPLACEMENT}`],
  [/((?:x-oss-security-token|x-acs-security-token)["']?\s*[:=]\s*["']?)[^"'\s,}]+/gi, `$1${REPLACEMENT}`],
  // JSON or text fields named like secrets.
  [
    /(["']?(?:accessKeySecret|access_key_secret|stsToken|securityToken|security_token|SecurityToken|AccessKeySecret)["']?\s*[:=]\s*["']?)[^"'\s,}&]+/g,
    `$1${REPLACEMENT}`,
  ],
  // OSS error bodies echo what was signed.
  [
    /(<(StringToSign|StringToSignBytes|SignatureProvided|CanonicalRequest)>)[\s\S]*?(<\/\2>)/g,
    `$1${REPLACEMENT}$3`,
  ],
  // Well-formed AccessKey ids (gitleaks/Sonar shapes) and STS key ids.
  [/\bLTAI[0-9A-Za-z]{12,20}\b/g, REPLACEMENT],
  [/\bSTS\.[0-9A-Za-z]{16,}\b/g, REPLACEMENT],
];

/** Returns `text` with every registered secret and every secret-looking fragment replaced. */
export function redact(text: string): string {
  let out = text;
  for (const value of secretValues) {
    if (out.includes(value)) out = out.split(value).join(REPLACEMENT);
  }
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/**
 * Redacts a URL for logging: drops the query string entirely (a signed URL is a bearer token) and
 * any `user:password@` part.
 */
export function redactUrl(url: string): string {
  const queryAt = url.search(/[?#]/);
  const withoutQuery = queryAt === -1 ? url : `${url.slice(0, queryAt)}?${REPLACEMENT}`;
  return redact(withoutQuery.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, `$1${REPLACEMENT}@`));
}

/**
 * Deeply redacts strings inside a JSON-like value (for log fields and error details). Keys named like
 * secrets are replaced whole; an Error becomes `{name, message, code?}`; cycles become `[Circular]`.
 */
export function redactValue<T>(value: T): T {
  return redactInner(value, new WeakSet<object>()) as T;
}

function redactInner(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redact(value);
  if (!value || typeof value !== 'object' || value instanceof Uint8Array) return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return { name: value.name, message: redact(value.message), ...(code === undefined ? {} : { code }) };
  }
  if (Array.isArray(value)) return value.map((item) => redactInner(item, seen));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = /secret|token|password|signature|authorization/i.test(key)
      ? REPLACEMENT
      : redactInner(item, seen);
  }
  return out;
}
