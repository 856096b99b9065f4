// validate_tool_credentials with least privilege: HEAD one random key under the allowed scope. A 404
// (OSS_NO_SUCH_KEY) proves the keys, region, endpoint and bucket work; other errors say what is wrong.
import { randomUUID } from 'node:crypto';
import type { Settings } from '../config/settings.js';
import { AppError, type ErrorCode, isAppError, toAppError } from '../errors.js';

/** HEADs one object key; resolves when it exists, rejects with an AppError otherwise. */
export type HeadProbe = (key: string, signal: AbortSignal) => Promise<unknown>;

/** What each failure means to the person filling Dify's credential form, in English and Chinese. */
const HINTS: Partial<Record<ErrorCode, { en: string; zh: string }>> = {
  OSS_INVALID_ACCESS_KEY: {
    en: 'The AccessKey ID is wrong or disabled.',
    zh: 'AccessKey ID 错误或已被禁用。',
  },
  OSS_SIGNATURE_MISMATCH: {
    en: 'The AccessKey Secret is wrong, or the region does not match the endpoint.',
    zh: 'AccessKey Secret 错误，或地域与 Endpoint 不匹配。',
  },
  OSS_SECURITY_TOKEN_INVALID: {
    en: 'The STS security token is invalid or expired.',
    zh: 'STS 安全令牌无效或已过期。',
  },
  OSS_ACCESS_DENIED: {
    en: 'The keys work, but the RAM user lacks permission (oss:GetObject) on this bucket or key prefix.',
    zh: '密钥有效，但 RAM 用户没有该 Bucket 或前缀的权限（oss:GetObject）。',
  },
  OSS_NO_SUCH_BUCKET: {
    en: 'The bucket does not exist at this endpoint: check the bucket name, endpoint and region.',
    zh: '该 Endpoint 下不存在此 Bucket：请检查 Bucket 名称、Endpoint 和地域。',
  },
  OSS_WRONG_ENDPOINT: {
    en: 'The bucket lives in another region: use that region’s endpoint.',
    zh: '该 Bucket 位于其他地域：请使用该地域的 Endpoint。',
  },
  OSS_PUBLIC_ENDPOINT_FORBIDDEN: {
    en: 'The bucket blocks its public endpoint (PublicEndpointForbidden): use an internal endpoint or a custom domain.',
    zh: '该 Bucket 禁止公网 Endpoint 访问（PublicEndpointForbidden）：请使用内网 Endpoint 或自定义域名。',
  },
  DNS_LOOKUP_FAILED: {
    en: 'The endpoint host name does not resolve: check the endpoint and region.',
    zh: 'Endpoint 主机名无法解析：请检查 Endpoint 和地域。',
  },
  OSS_NETWORK_ERROR: {
    en: 'The endpoint cannot be reached: check the endpoint, region and network.',
    zh: '无法连接 Endpoint：请检查 Endpoint、地域和网络。',
  },
  OSS_REQUEST_TIME_SKEWED: {
    en: 'The clock of the plugin host is off by more than 15 minutes.',
    zh: '插件所在主机的时间偏差超过 15 分钟。',
  },
};

/** Options of {@link validateCredentials}. */
export interface ValidateCredentialsOptions {
  /** Sends the HEAD; default: the OSS client built from `settings`. */
  probe: HeadProbe;
  signal: AbortSignal;
}

/** The object key probed: random, under `key_prefix_scope` when one is set. */
export function probeKey(settings: Settings): string {
  const scope = (settings.key_prefix_scope ?? '').replace(/^\/+/, '');
  const prefix = scope === '' || scope.endsWith('/') ? scope : `${scope}/`;
  return `${prefix}.dify-credential-check-${randomUUID()}`;
}

/**
 * Checks the credentials by a HEAD of a random key. Resolves when the keys work (404 or, by chance, 200).
 * @throws AppError with the probe's code (OSS_INVALID_ACCESS_KEY, OSS_SIGNATURE_MISMATCH,
 * OSS_ACCESS_DENIED, OSS_NO_SUCH_BUCKET, OSS_WRONG_ENDPOINT, OSS_PUBLIC_ENDPOINT_FORBIDDEN,
 * DNS_LOOKUP_FAILED, OSS_NETWORK_ERROR, …) and a message in English and Chinese.
 */
export async function validateCredentials(
  settings: Settings,
  options: ValidateCredentialsOptions,
): Promise<void> {
  const key = probeKey(settings);
  try {
    await options.probe(key, options.signal);
  } catch (error) {
    if (isAppError(error) && error.code === 'OSS_NO_SUCH_KEY') return;
    throw credentialError(toAppError(error));
  }
}

/** Rewrites an AppError into the bilingual credential failure Dify shows under its form. */
export function credentialError(error: AppError): AppError {
  const hint = HINTS[error.code];
  const en = hint?.en ?? error.message;
  const zh = hint?.zh ?? error.messageZh;
  return new AppError(error.code, `${en} / ${zh}`, {
    details: { ...error.details },
    cause: error,
    retryable: error.retryable,
  });
}
