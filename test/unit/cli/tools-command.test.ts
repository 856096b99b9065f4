import { describe, expect, it } from 'vitest';
import { firstSentence, formatToolList, summarizeTool } from '../../../src/cli/tools-command.js';
import { ALL_TYPES_PARAMS, fakeTool } from './fake-cli-tools.js';

const tool = fakeTool('upload_file', ALL_TYPES_PARAMS, async function* () {});

describe('firstSentence', () => {
  it.each([
    ['Upload a file. Then more.', 'Upload a file.'],
    ['上传文件。然后', '上传文件。'],
    ['No period here\nsecond line', 'No period here'],
    ['Version 1.2 works. Yes.', 'Version 1.2 works.'],
  ])('cuts %j to %j', (text, expected) => {
    expect(firstSentence(text)).toBe(expected);
  });
});

describe('summarizeTool', () => {
  it('names the command and every flag with type, requirement, default and options', () => {
    const summary = summarizeTool(tool);
    expect(summary.command).toBe('oss-dify tool upload-file');
    expect(summary.description).toBe('Fake tool upload_file.');
    expect(summary.parameters.find((p) => p.name === 'directory_mode')).toEqual({
      name: 'directory_mode',
      flag: '--directory-mode',
      type: 'select',
      required: false,
      default: 'no_subdirectory',
      options: ['no_subdirectory', 'yyyy_mm_dd_hierarchy'],
      description: 'The directory_mode.',
    });
  });
});

describe('formatToolList', () => {
  it('prints a header per tool and a line per flag', () => {
    const text = formatToolList([tool]);
    expect(text.split('\n')[0]).toBe('upload_file  (oss-dify tool upload-file)');
    expect(text).toContain('    --file  file, required: The file.');
    expect(text).toContain('    --sign-expired  number, optional, default 3600: The sign_expired.');
  });
});
