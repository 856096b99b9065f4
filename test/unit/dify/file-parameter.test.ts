import { describe, expect, it } from 'vitest';
import { convertToolParameters, isDifyFile, toFileInput } from '../../../src/dify/file-parameter.js';

// Shape from dify-protocol.md §5 (Dify `File.to_plugin_parameter`).
const difyFile = (over: Record<string, unknown> = {}) => ({
  dify_model_identity: '__dify__file__',
  mime_type: 'image/jpeg',
  filename: 'photo.jpg',
  extension: '.jpg',
  size: 29529,
  type: 'image',
  url: 'http://api:5001/files/0c0c/file-preview?timestamp=1&nonce=2&sign=3',
  ...over,
});

describe('isDifyFile', () => {
  it('recognizes only objects with the Dify file identity', () => {
    expect(isDifyFile(difyFile())).toBe(true);
    expect(isDifyFile({ url: 'http://x' })).toBe(false);
    expect(isDifyFile([difyFile()])).toBe(false);
    expect(isDifyFile(null)).toBe(false);
  });
});

describe('toFileInput', () => {
  it('maps the Dify keys to a dify FileInput and ignores unknown keys', () => {
    expect(toFileInput(difyFile({ tenant_id: 't', related_id: 'r' }))).toEqual({
      kind: 'dify',
      url: 'http://api:5001/files/0c0c/file-preview?timestamp=1&nonce=2&sign=3',
      filename: 'photo.jpg',
      mimeType: 'image/jpeg',
      extension: '.jpg',
      size: 29529,
    });
  });

  it('keeps null optional fields as null', () => {
    const input = toFileInput(difyFile({ mime_type: null, filename: null, extension: null, size: null }));
    expect(input).toMatchObject({ filename: null, mimeType: null, extension: null, size: null });
  });

  it('throws FILE_URL_RELATIVE without the signature when FILES_URL is unset in Dify', () => {
    const run = () =>
      toFileInput(difyFile({ url: '/files/abc/file-preview?timestamp=1&nonce=2&sign=SECRET' }), 'doc');
    expect(run).toThrow(expect.objectContaining({ code: 'FILE_URL_RELATIVE' }));
    try {
      run();
    } catch (error) {
      expect(JSON.stringify((error as { details: unknown }).details)).not.toContain('SECRET');
    }
    expect.assertions(2);
  });

  it('throws FILE_SOURCE_INVALID naming the parameter when the url is missing', () => {
    expect(() => toFileInput(difyFile({ url: undefined }), 'doc')).toThrow(
      expect.objectContaining({ code: 'FILE_SOURCE_INVALID', details: { parameter: 'doc' } }),
    );
  });
});

describe('convertToolParameters', () => {
  it('converts single files and file arrays and passes other values through', () => {
    const out = convertToolParameters({
      file: difyFile(),
      files: [difyFile({ filename: 'a' }), difyFile({ filename: 'b' })],
      empty: [],
      text: 'hello',
      nothing: null,
    });
    expect(out.file).toMatchObject({ kind: 'dify', filename: 'photo.jpg' });
    expect((out.files as Array<{ filename: string }>).map((f) => f.filename)).toEqual(['a', 'b']);
    expect(out).toMatchObject({ empty: [], text: 'hello', nothing: null });
  });

  it('names the array index of a bad file', () => {
    expect(() => convertToolParameters({ files: [difyFile(), difyFile({ url: '' })] })).toThrow(
      expect.objectContaining({ details: { parameter: 'files[1]' } }),
    );
  });
});
