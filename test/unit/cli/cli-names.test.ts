import { describe, expect, it } from 'vitest';
import { flagNameOf, matchesToolName, toCliName } from '../../../src/cli/cli-names.js';

describe('toCliName', () => {
  it.each([
    ['upload_file', 'upload-file'],
    ['multi_upload_files', 'multi-upload-files'],
    ['get_public_file_by_url', 'get-public-file-by-url'],
    ['sign_expired', 'sign-expired'],
    ['file', 'file'],
    ['signExpired', 'sign-expired'],
    ['fileURL', 'file-url'],
    ['URLList', 'url-list'],
    ['_leading__double_', 'leading-double'],
  ])('turns %s into %s', (name, expected) => {
    expect(toCliName(name)).toBe(expected);
  });
});

describe('flagNameOf', () => {
  it('prefixes -- to the CLI name of a parameter', () => {
    expect(flagNameOf({ name: 'sign_expired' })).toBe('--sign-expired');
    expect(flagNameOf({ name: 'directory_mode' })).toBe('--directory-mode');
  });

  it('moves a parameter off the flags the tool command owns', () => {
    expect(flagNameOf({ name: 'json' })).toBe('--param-json');
    expect(flagNameOf({ name: 'out' })).toBe('--param-out');
    expect(flagNameOf({ name: 'help' })).toBe('--param-help');
  });
});

describe('matchesToolName', () => {
  it('accepts the registry spelling and the kebab-case command name', () => {
    expect(matchesToolName('upload_file', 'upload_file')).toBe(true);
    expect(matchesToolName('upload_file', 'upload-file')).toBe(true);
    expect(matchesToolName('upload_file', 'upload')).toBe(false);
  });
});
