// One error class and one code table for the whole product. This file imports nothing, so every layer
// may use it; faces render an AppError their own way (Dify error event, MCP isError, CLI exit code).

/**
 * Every error code we ship, with its English and Chinese text and whether retrying the same call can help.
 * A shipped code is never renamed. The README's error table is generated from this table.
 */
export const ERROR_CODES = {
  INVALID_ARGUMENT: { en: 'A parameter is missing or invalid.', zh: '参数缺失或无效。', retryable: false },
  INTERNAL: { en: 'An internal error occurred.', zh: '发生内部错误。', retryable: false },
  CANCELLED: { en: 'The operation was cancelled.', zh: '操作已取消。', retryable: false },
  TOOL_NOT_FOUND: { en: 'No tool has this name.', zh: '没有该名称的工具。', retryable: false },

  CONFIG_INVALID: { en: 'A setting is invalid.', zh: '配置项无效。', retryable: false },
  CONFIG_MISSING_CREDENTIALS: {
    en: 'OSS credentials are missing (AccessKey ID, AccessKey Secret, endpoint, bucket).',
    zh: '缺少 OSS 凭证（AccessKey ID、AccessKey Secret、Endpoint、Bucket）。',
    retryable: false,
  },
  CONFIG_REGION_REQUIRED: {
    en: 'The OSS region cannot be derived from the endpoint; set the region (for example cn-hangzhou).',
    zh: '无法从 Endpoint 推断地域，请设置地域（例如 cn-hangzhou）。',
    retryable: false,
  },

  OSS_ACCESS_DENIED: {
    en: 'OSS denied access: the RAM user lacks permission for this bucket or key.',
    zh: 'OSS 拒绝访问：RAM 用户没有该 Bucket 或对象的权限。',
    retryable: false,
  },
  OSS_INVALID_ACCESS_KEY: {
    en: 'The AccessKey ID does not exist or is disabled.',
    zh: 'AccessKey ID 不存在或已被禁用。',
    retryable: false,
  },
  OSS_SIGNATURE_MISMATCH: {
    en: 'The signature does not match: check the AccessKey Secret and the region.',
    zh: '签名不匹配：请检查 AccessKey Secret 和地域。',
    retryable: false,
  },
  OSS_SECURITY_TOKEN_INVALID: {
    en: 'The STS security token is invalid or expired.',
    zh: 'STS 安全令牌无效或已过期。',
    retryable: false,
  },
  OSS_NO_SUCH_BUCKET: {
    en: 'The bucket does not exist in this region or endpoint.',
    zh: '该地域或 Endpoint 下不存在此 Bucket。',
    retryable: false,
  },
  OSS_NO_SUCH_KEY: { en: 'The object does not exist.', zh: '对象不存在。', retryable: false },
  OSS_NO_SUCH_UPLOAD: {
    en: 'The multipart upload does not exist.',
    zh: '分片上传任务不存在。',
    retryable: false,
  },
  OSS_FILE_ALREADY_EXISTS: {
    en: 'An object with this key already exists and overwriting is not allowed.',
    zh: '同名对象已存在且不允许覆盖。',
    retryable: false,
  },
  OSS_PUBLIC_ENDPOINT_FORBIDDEN: {
    en: 'This bucket forbids access through the public endpoint; use a custom domain or an internal endpoint.',
    zh: '该 Bucket 禁止通过公网 Endpoint 访问，请使用自定义域名或内网 Endpoint。',
    retryable: false,
  },
  OSS_WRONG_ENDPOINT: {
    en: 'The bucket must be addressed through another endpoint or region.',
    zh: '必须通过其他 Endpoint 或地域访问该 Bucket。',
    retryable: false,
  },
  OSS_REQUEST_TIME_SKEWED: {
    en: 'The local clock differs too much from the OSS server clock.',
    zh: '本地时间与 OSS 服务器时间相差过大。',
    retryable: true,
  },
  OSS_THROTTLED: { en: 'OSS is throttling requests.', zh: 'OSS 正在限流。', retryable: true },
  OSS_SERVER_ERROR: { en: 'OSS returned a server error.', zh: 'OSS 返回服务器错误。', retryable: true },
  OSS_CRC_MISMATCH: {
    en: 'The CRC-64 of the stored data does not match the data sent.',
    zh: '存储数据的 CRC-64 校验值与发送的数据不一致。',
    retryable: true,
  },
  OSS_NETWORK_ERROR: {
    en: 'The connection to OSS failed.',
    zh: '连接 OSS 失败。',
    retryable: true,
  },
  OSS_ENTITY_TOO_LARGE: {
    en: 'The object is too large for OSS.',
    zh: '对象超出 OSS 大小限制。',
    retryable: false,
  },
  OSS_INVALID_REQUEST: { en: 'OSS rejected the request.', zh: 'OSS 拒绝了该请求。', retryable: false },

  KEY_INVALID: { en: 'The object key or directory is invalid.', zh: '对象键或目录无效。', retryable: false },
  KEY_OUT_OF_SCOPE: {
    en: 'The object key is outside the allowed key prefix.',
    zh: '对象键不在允许的前缀范围内。',
    retryable: false,
  },
  URL_INVALID: { en: 'The URL is invalid.', zh: 'URL 无效。', retryable: false },
  URL_NOT_IN_BUCKET: {
    en: 'The URL does not address an object in the configured bucket.',
    zh: '该 URL 不指向已配置 Bucket 中的对象。',
    retryable: false,
  },
  URL_SCHEME_NOT_ALLOWED: {
    en: 'Only http and https URLs are allowed.',
    zh: '只允许 http 和 https URL。',
    retryable: false,
  },
  URL_PORT_NOT_ALLOWED: { en: 'This port is not allowed.', zh: '不允许使用该端口。', retryable: false },
  URL_CREDENTIALS_NOT_ALLOWED: {
    en: 'URLs with a user name or password are not allowed.',
    zh: '不允许在 URL 中包含用户名或密码。',
    retryable: false,
  },
  FILE_URL_RELATIVE: {
    en: 'Dify gave a relative file URL: set FILES_URL (or INTERNAL_FILES_URL) in Dify so plugins can download files.',
    zh: 'Dify 提供了相对文件 URL：请在 Dify 中设置 FILES_URL（或 INTERNAL_FILES_URL），以便插件下载文件。',
    retryable: false,
  },
  SSRF_BLOCKED: {
    en: 'The address is private, loopback or otherwise not public, and is blocked.',
    zh: '该地址为内网、回环或其他非公网地址，已被阻止。',
    retryable: false,
  },
  REDIRECT_BLOCKED: {
    en: 'The redirect was refused (too many, or to a disallowed address).',
    zh: '重定向被拒绝（次数过多或指向不允许的地址）。',
    retryable: false,
  },
  FILE_TOO_LARGE: { en: 'The file exceeds the size limit.', zh: '文件超出大小限制。', retryable: false },
  DOWNLOAD_TIMEOUT: { en: 'The download timed out.', zh: '下载超时。', retryable: true },
  DOWNLOAD_FAILED: { en: 'The download failed.', zh: '下载失败。', retryable: true },
  DOWNLOAD_INCOMPLETE: {
    en: 'The server closed the connection before sending the whole body.',
    zh: '服务器在发送完整内容之前关闭了连接。',
    retryable: true,
  },
  URL_HOST_NOT_ALLOWED: {
    en: 'The host is not in the allowed host list (public_download_allowed_hosts).',
    zh: '该主机不在允许的主机列表（public_download_allowed_hosts）中。',
    retryable: false,
  },
  DNS_LOOKUP_FAILED: { en: 'The host name could not be resolved.', zh: '无法解析主机名。', retryable: true },
  CONTENT_ENCODING_NOT_ALLOWED: {
    en: 'The server sent a compressed body although identity encoding was requested.',
    zh: '服务器在要求不压缩时仍返回了压缩内容。',
    retryable: false,
  },
  FILE_SOURCE_INVALID: { en: 'The file input is invalid.', zh: '文件输入无效。', retryable: false },
  PATH_NOT_ALLOWED: {
    en: 'Local paths are not allowed here, or the path is outside the allowed root.',
    zh: '此处不允许本地路径，或路径不在允许的根目录下。',
    retryable: false,
  },
  TOO_MANY_FILES: { en: 'Too many files in one call.', zh: '单次调用的文件过多。', retryable: false },
  ALL_ITEMS_FAILED: {
    en: 'Every item of the batch failed.',
    zh: '批量操作中所有项目均失败。',
    retryable: false,
  },
  DELETE_DISABLED: {
    en: 'Deleting objects is disabled; turn on the allow_delete setting.',
    zh: '删除对象已禁用，请开启 allow_delete 设置。',
    retryable: false,
  },
  CONTENT_INVALID: { en: 'The content is invalid for its type.', zh: '内容与其类型不符。', retryable: false },

  PROTOCOL_ERROR: {
    en: 'The message does not follow the protocol.',
    zh: '消息不符合协议。',
    retryable: false,
  },
  REMOTE_REFUSED: {
    en: 'The Dify daemon refused the remote-debug connection.',
    zh: 'Dify 守护进程拒绝了远程调试连接。',
    retryable: false,
  },
  UNAUTHORIZED: { en: 'Missing or wrong bearer token.', zh: '缺少或错误的令牌。', retryable: false },
  DIFY_BLOB_SIZE_MISMATCH: {
    en: 'A file output yielded a different number of bytes than its declared size.',
    zh: '文件输出的字节数与声明的大小不一致。',
    retryable: true,
  },
  DIFY_REMOTE_DISCONNECTED: {
    en: 'The connection to the Dify daemon was lost and could not be re-established.',
    zh: '与 Dify 守护进程的连接已断开且无法重新建立。',
    retryable: true,
  },
  DIFY_DECLARATION_INVALID: {
    en: 'The generated Dify plugin declaration breaks a rule the daemon or Dify enforces.',
    zh: '生成的 Dify 插件声明违反了守护进程或 Dify 的校验规则。',
    retryable: false,
  },
  DIFY_PACKAGE_FAILED: {
    en: 'The .difypkg package could not be built.',
    zh: '无法构建 .difypkg 插件包。',
    retryable: false,
  },
} as const satisfies Record<string, { en: string; zh: string; retryable: boolean }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Options of an AppError; `details` must already be free of secrets (see config/redact.ts). */
export interface AppErrorOptions {
  details?: Record<string, unknown>;
  cause?: unknown;
  /** Overrides the table's retry flag for this occurrence. */
  retryable?: boolean;
}

/**
 * The one error class of the product. Branch on `code`, never on `message` or `instanceof` across
 * package boundaries (use {@link isAppError}).
 */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message?: string, options: AppErrorOptions = {}) {
    super(
      message ?? ERROR_CODES[code].en,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.code = code;
    this.retryable = options.retryable ?? ERROR_CODES[code].retryable;
    this.details = options.details ?? {};
  }

  /** The Chinese text of the code (the message itself is English). */
  get messageZh(): string {
    return ERROR_CODES[this.code].zh;
  }
}

/** True for an AppError, also one from another copy of this module (checks the shape, not the class). */
export function isAppError(value: unknown): value is AppError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { name?: unknown }).name === 'AppError' &&
    typeof (value as { code?: unknown }).code === 'string' &&
    (value as { code: string }).code in ERROR_CODES
  );
}

/** Wraps anything thrown into an AppError; a non-AppError becomes INTERNAL (never blamed on the caller). */
export function toAppError(value: unknown): AppError {
  if (isAppError(value)) return value;
  if (value instanceof Error && value.name === 'AbortError') {
    return new AppError('CANCELLED', undefined, { cause: value });
  }
  return new AppError('INTERNAL', undefined, { cause: value });
}
