import { describe, expect, it } from 'vitest';
import {
  completeBody,
  parseInitiateResult,
  parseListObjectsV2,
  parseListParts,
} from '../../../src/oss/responses.js';

describe('completeBody', () => {
  it('lists parts in ascending order with quoted ETags', () => {
    expect(
      completeBody([
        { partNumber: 2, etag: 'B' },
        { partNumber: 1, etag: '"A"' },
      ]),
    ).toContain(
      '<Part><PartNumber>1</PartNumber><ETag>"A"</ETag></Part><Part><PartNumber>2</PartNumber><ETag>"B"</ETag></Part>',
    );
  });
});

describe('parseInitiateResult', () => {
  it('returns the upload id and rejects a document without one', () => {
    expect(
      parseInitiateResult(
        '<InitiateMultipartUploadResult><UploadId>U1</UploadId></InitiateMultipartUploadResult>',
      ),
    ).toBe('U1');
    expect(() => parseInitiateResult('<Other/>')).toThrow(
      expect.objectContaining({ code: 'OSS_INVALID_REQUEST' }),
    );
  });
});

describe('parseListParts', () => {
  it('reads one part as a list and the paging marker', () => {
    const xml =
      '<ListPartsResult><IsTruncated>true</IsTruncated><NextPartNumberMarker>1</NextPartNumberMarker><Part><PartNumber>1</PartNumber><ETag>"E"</ETag><Size>5</Size><HashCrc64ecma>9</HashCrc64ecma></Part></ListPartsResult>';
    expect(parseListParts(xml)).toEqual({
      parts: [{ partNumber: 1, etag: 'E', size: 5, crc64: '9' }],
      isTruncated: true,
      nextPartNumberMarker: 1,
    });
  });
});

describe('parseListObjectsV2', () => {
  it('url-decodes keys and prefixes when EncodingType is url', () => {
    const xml =
      '<ListBucketResult><EncodingType>url</EncodingType><IsTruncated>false</IsTruncated><Contents><Key>a%20b%2Bc</Key><Size>3</Size><LastModified>2024-01-01T00:00:00.000Z</LastModified><ETag>"E"</ETag></Contents><CommonPrefixes><Prefix>d%2F</Prefix></CommonPrefixes></ListBucketResult>';
    expect(parseListObjectsV2(xml)).toMatchObject({
      objects: [{ key: 'a b+c', size: 3, etag: 'E' }],
      commonPrefixes: ['d/'],
      isTruncated: false,
    });
  });
});
