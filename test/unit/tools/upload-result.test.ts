import { describe, expect, it } from 'vitest';
import { buildUploadJson, type UploadOutcome, uploadSummaryText } from '../../../src/tools/upload-result.js';

const success: UploadOutcome = {
  ok: true,
  index: 0,
  sourceFilename: 'Report.PDF',
  key: 'docs/Report.pdf',
  bucket: 'b',
  publicUrl: 'https://b.oss-cn-hangzhou.aliyuncs.com/docs/Report.pdf',
  signedUrl: 'https://b.oss-cn-hangzhou.aliyuncs.com/docs/Report.pdf?x-oss-signature=abc',
  expiresAt: '2025-01-01T01:00:00.000Z',
  contentType: 'application/pdf',
  etag: 'E',
  crc64: '123',
  size: 1_572_864,
};
const failure: UploadOutcome = {
  ok: false,
  index: 1,
  sourceFilename: '季度报告.docx',
  code: 'FILE_TOO_LARGE',
  message: 'too big',
};

describe('buildUploadJson', () => {
  it('keeps the original fields and adds key, URLs and checksums', () => {
    const json = buildUploadJson([failure, success]);
    expect(json).toMatchObject({ status: 'partial', success_count: 1, error_count: 1 });
    const files = json.files as Array<Record<string, unknown>>;
    expect(files[0]).toEqual({
      filename: 'Report.pdf',
      file_type: 'pdf',
      file_url: success.ok ? success.signedUrl : '',
      file_size_bytes: 1_572_864,
      file_size_mb: 1.5,
      status: 'success',
      object_key: 'docs/Report.pdf',
      bucket: 'b',
      public_url: success.ok ? success.publicUrl : '',
      signed_url: success.ok ? success.signedUrl : '',
      expires_at: '2025-01-01T01:00:00.000Z',
      content_type: 'application/pdf',
      etag: 'E',
      crc64: '123',
      source_filename: 'Report.PDF',
      renamed_from: null,
    });
    // B10: the failed item keeps its real name and a code.
    expect(files[1]).toMatchObject({
      filename: '季度报告.docx',
      status: 'error',
      error_code: 'FILE_TOO_LARGE',
    });
  });

  it('reports failed when every item failed and completed when none did (B10)', () => {
    expect(buildUploadJson([failure]).status).toBe('failed');
    expect(buildUploadJson([success]).status).toBe('completed');
  });

  it('writes the text summary in the original layout', () => {
    const text = uploadSummaryText([success, failure], true);
    expect(text).toMatch(
      /^Batch upload completed\nSuccess: 1 files\nFailed: 1 files\n\nSuccessful files:\n- File name: Report.pdf\n/,
    );
    expect(text).toContain('  File size: 1.50 MB (1572864 bytes)');
    expect(text).toContain('- File name: 季度报告.docx\n  Error: [FILE_TOO_LARGE] too big');
  });
});
