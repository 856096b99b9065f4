// The public API of the `dify-plugin-aliyun-oss` package: the OSS client and its pure helpers, usable
// without Dify. Adding a line here is an API decision. The emulator is the `./emulator` subpath.
export type { AppErrorOptions, ErrorCode } from './errors.js';
export { AppError, ERROR_CODES, isAppError } from './errors.js';
export type { OssLocation } from './oss/addressing.js';
export {
  encodeKey,
  objectUrl,
  parseObjectUrl,
  publicEndpointHost,
  regionFromEndpoint,
  resolveLocation,
} from './oss/addressing.js';
export type {
  ListedObject,
  ListedPart,
  ObjectMeta,
  OssClientOptions,
  PresignOptions,
  PutOptions,
  PutResult,
  UploadBody,
} from './oss/client.js';
export { OssClient } from './oss/client.js';
export { Crc64Hasher, crc64, crc64Combine } from './oss/crc64.js';
export type { PresignV4Input, SignV4Input } from './oss/signer.js';
export { MAX_PRESIGN_EXPIRES_SECONDS, presignV4, signV4Headers } from './oss/signer.js';
