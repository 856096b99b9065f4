import { describe, expect, it } from 'vitest';
import { parseParams } from '../../../src/tools/invoke.js';
import { findTool, TOOL_REGISTRY } from '../../../src/tools/registry.js';
import { LOCALES } from '../../../src/tools/tool-declaration.js';

const ORIGINAL_PARAMETERS: Record<string, string[]> = {
  upload_file: ['file', 'directory', 'filename', 'filename_mode', 'directory_mode', 'signed', 'sign_expired'],
  get_file_by_url: ['file_url'],
  multi_upload_files: ['files', 'directory', 'filename_mode', 'directory_mode', 'signed', 'sign_expired'],
  get_files_by_urls: ['file_urls'],
  get_public_file_by_url: ['file_url'],
};

describe('TOOL_REGISTRY', () => {
  it('lists the five original tools first, in the original provider order', () => {
    expect(TOOL_REGISTRY.slice(0, 5).map((tool) => tool.name)).toEqual(Object.keys(ORIGINAL_PARAMETERS));
    expect(new Set(TOOL_REGISTRY.map((tool) => tool.name)).size).toBe(TOOL_REGISTRY.length);
  });

  it.each(TOOL_REGISTRY.slice(0, 5).map((tool) => [tool.name, tool] as const))(
    '%s keeps the original parameter names',
    (name, tool) => {
      expect(tool.parameters.map((param) => param.name)).toEqual(ORIGINAL_PARAMETERS[name]);
    },
  );

  it.each(TOOL_REGISTRY.map((tool) => [tool.name, tool] as const))(
    '%s has text in all four locales',
    (_name, tool) => {
      const texts = [
        tool.label,
        tool.description,
        ...tool.parameters.flatMap((param) => [
          param.label,
          param.humanDescription,
          ...(param.options ?? []).map((o) => o.label),
        ]),
      ];
      for (const text of texts) {
        for (const locale of LOCALES) expect(text[locale]?.trim().length, `${locale}`).toBeGreaterThan(0);
        // A translation is not the English text copied (brand names aside, labels differ somewhere).
      }
      expect(new Set(LOCALES.map((locale) => tool.description[locale])).size).toBe(4);
      expect(tool.llmDescription.length).toBeGreaterThan(40);
      expect(tool.outputSchema.type).toBe('object');
    },
  );

  it('marks downloads read-only, the public download open-world and uploads non-destructive', () => {
    expect(findTool('get_file_by_url')?.annotations).toMatchObject({
      readOnlyHint: true,
      openWorldHint: false,
    });
    expect(findTool('get_files_by_urls')?.annotations).toMatchObject({ readOnlyHint: true });
    expect(findTool('get_public_file_by_url')?.annotations).toMatchObject({
      readOnlyHint: true,
      openWorldHint: true,
    });
    expect(findTool('upload_file')?.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: false,
    });
    expect(findTool('multi_upload_files')?.annotations).toMatchObject({ destructiveHint: false });
  });

  it('declares the original defaults and options of the selects', () => {
    const upload = findTool('upload_file')!;
    const byName = Object.fromEntries(upload.parameters.map((param) => [param.name, param]));
    expect(byName.filename_mode?.default).toBe('filename');
    expect(byName.directory_mode?.default).toBe('no_subdirectory');
    expect(byName.directory_mode?.options?.map((o) => o.value)).toEqual([
      'no_subdirectory',
      'yyyy_mm_dd_hierarchy',
      'yyyy_mm_dd_combined',
    ]);
    expect(byName.sign_expired).toMatchObject({ type: 'number', default: 3600, min: 1, max: 604800 });
    expect(byName.file).toMatchObject({ type: 'file', required: true });
    expect(byName.directory).toMatchObject({ type: 'string', required: true });
  });

  it('coerces what Dify sends for empty optionals (B7)', () => {
    const params = parseParams(findTool('upload_file')!, {
      file: { dify_model_identity: '__dify__file__', url: 'https://dify.test/files/1', filename: 'a.txt' },
      directory: 'docs',
      filename: null,
      filename_mode: '',
      directory_mode: null,
      signed: 'true',
      sign_expired: '',
    });
    expect(params).toMatchObject({
      directory: 'docs',
      filename_mode: 'filename',
      directory_mode: 'no_subdirectory',
      signed: true,
      sign_expired: 3600,
    });
  });

  it('refuses a missing directory with INVALID_ARGUMENT naming it', () => {
    expect(() => parseParams(findTool('upload_file')!, { file: 'a.txt', directory: '' })).toThrow(
      expect.objectContaining({
        code: 'INVALID_ARGUMENT',
        details: expect.objectContaining({ parameter: 'directory' }),
      }),
    );
  });
});
