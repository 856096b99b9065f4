import { describe, expect, it } from 'vitest';
import {
  mapOssErrorCode,
  ossNetworkError,
  ossResponseError,
  parseOssErrorXml,
} from '../../../src/oss/errors.js';

const xml = (code: string, message = 'msg', extra = ''): string =>
  `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>5C3D9175B6FC201293AD****</RequestId><HostId>b.oss-cn-hangzhou.aliyuncs.com</HostId><EC>0003-00000001</EC>${extra}</Error>`;

describe('mapOssErrorCode', () => {
  it.each([
    [403, 'AccessDenied', 'You have no right to access this object.', 'OSS_ACCESS_DENIED'],
    [
      403,
      'AccessDenied',
      'The bucket you are attempting to access must be addressed using the specified endpoint.',
      'OSS_WRONG_ENDPOINT',
    ],
    [403, 'InvalidAccessKeyId', '', 'OSS_INVALID_ACCESS_KEY'],
    [403, 'SignatureDoesNotMatch', '', 'OSS_SIGNATURE_MISMATCH'],
    [404, 'NoSuchKey', '', 'OSS_NO_SUCH_KEY'],
    [404, 'NoSuchBucket', '', 'OSS_NO_SUCH_BUCKET'],
    [404, 'NoSuchUpload', '', 'OSS_NO_SUCH_UPLOAD'],
    [409, 'FileAlreadyExists', '', 'OSS_FILE_ALREADY_EXISTS'],
    [403, 'RequestTimeTooSkewed', '', 'OSS_REQUEST_TIME_SKEWED'],
    [403, 'SecurityTokenExpired', '', 'OSS_SECURITY_TOKEN_INVALID'],
    [403, 'InvalidSecurityToken', '', 'OSS_SECURITY_TOKEN_INVALID'],
    [400, 'PublicEndpointForbidden', '', 'OSS_PUBLIC_ENDPOINT_FORBIDDEN'],
    [403, 'SecondLevelDomainForbidden', '', 'OSS_WRONG_ENDPOINT'],
    [400, 'InvalidArgument', 'Invalid signing region in Authorization header.', 'OSS_WRONG_ENDPOINT'],
    [400, 'EntityTooLarge', '', 'OSS_ENTITY_TOO_LARGE'],
    [503, 'ServiceUnavailable', '', 'OSS_SERVER_ERROR'],
    [500, 'InternalError', '', 'OSS_SERVER_ERROR'],
    [429, 'SomethingNew', '', 'OSS_THROTTLED'],
    [503, 'Throttling', '', 'OSS_THROTTLED'],
    [400, 'MalformedXML', '', 'OSS_INVALID_REQUEST'],
  ])('maps %i %s (%s) to %s', (status, code, message, expected) => {
    expect(mapOssErrorCode(status, code, message)).toBe(expected);
  });
});

describe('parseOssErrorXml', () => {
  it('reads code, message, request id, host id and EC', () => {
    expect(parseOssErrorXml(xml('NoSuchKey', 'The specified key does not exist.'))).toMatchObject({
      code: 'NoSuchKey',
      message: 'The specified key does not exist.',
      requestId: '5C3D9175B6FC201293AD****',
      hostId: 'b.oss-cn-hangzhou.aliyuncs.com',
      ec: '0003-00000001',
    });
  });

  it('returns undefined for text that is not an OSS error', () => {
    expect(parseOssErrorXml('<html>bad gateway</html>')).toBeUndefined();
    expect(parseOssErrorXml('')).toBeUndefined();
  });
});

describe('ossResponseError', () => {
  it('keeps OSS fields in details and never the StringToSign or provided signature', () => {
    const body = xml(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided.',
      '<StringToSign>OSS4-HMAC-SHA256\n20240101T000000Z</StringToSign><SignatureProvided>deadbeef</SignatureProvided><OSSAccessKeyId>ak</OSSAccessKeyId>',
    );
    const error = ossResponseError({ status: 403, headers: {}, body }, { operation: 'PutObject', key: 'k' });
    expect(error.code).toBe('OSS_SIGNATURE_MISMATCH');
    expect(error.retryable).toBe(false);
    expect(error.details).toMatchObject({
      ossCode: 'SignatureDoesNotMatch',
      status: 403,
      ec: '0003-00000001',
      key: 'k',
    });
    const everything = `${error.message} ${JSON.stringify(error.details)}`;
    expect(everything).not.toContain('deadbeef');
    expect(everything).not.toContain('OSS4-HMAC-SHA256');
  });

  it('decodes the base64 x-oss-err header of a bodiless HEAD error', () => {
    const headers = {
      'x-oss-err': Buffer.from(xml('NoSuchBucket', 'The specified bucket does not exist.')).toString(
        'base64',
      ),
      'x-oss-request-id': 'RID',
    };
    const error = ossResponseError({ status: 404, headers, body: '' }, { operation: 'HeadObject', key: 'k' });
    expect(error.code).toBe('OSS_NO_SUCH_BUCKET');
    expect(error.details.ossCode).toBe('NoSuchBucket');
  });

  it('treats a bare HEAD 404 without x-oss-err as a missing key', () => {
    const error = ossResponseError(
      { status: 404, headers: {}, body: '' },
      { operation: 'HeadObject', key: 'k' },
    );
    expect(error.code).toBe('OSS_NO_SUCH_KEY');
  });

  it('marks 5xx, 429 and skew retryable and keeps the server time of a skew error', () => {
    expect(
      ossResponseError({ status: 503, headers: {}, body: xml('ServiceUnavailable') }, { operation: 'x' })
        .retryable,
    ).toBe(true);
    expect(ossResponseError({ status: 429, headers: {}, body: '' }, { operation: 'x' }).retryable).toBe(true);
    const skew = ossResponseError(
      {
        status: 403,
        headers: {},
        body: xml('RequestTimeTooSkewed', 'skewed', '<ServerTime>2024-01-01T00:20:00.000Z</ServerTime>'),
      },
      { operation: 'x' },
    );
    expect(skew).toMatchObject({ code: 'OSS_REQUEST_TIME_SKEWED', retryable: true });
    expect(skew.details.serverTime).toBe('2024-01-01T00:20:00.000Z');
    expect(
      ossResponseError({ status: 403, headers: {}, body: xml('AccessDenied') }, { operation: 'x' }).retryable,
    ).toBe(false);
  });
});

describe('ossNetworkError', () => {
  it('is a retryable OSS_NETWORK_ERROR that keeps the errno', () => {
    const error = ossNetworkError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }), {
      operation: 'UploadPart',
    });
    expect(error).toMatchObject({
      code: 'OSS_NETWORK_ERROR',
      retryable: true,
      details: { errno: 'ECONNRESET' },
    });
  });
});
