import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { paramOptions, parseBooleanFlag, rawParamsFrom } from '../../../src/cli/param-options.js';
import { ALL_TYPES_PARAMS, param } from './fake-cli-tools.js';

/** Parses `argv` with the options generated for `params`; returns the raw tool parameters. */
function parse(argv: string[], params = ALL_TYPES_PARAMS): Record<string, unknown> {
  const options = paramOptions(params);
  const command = new Command('t').exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  for (const { option, negation } of options) {
    command.addOption(option);
    if (negation) command.addOption(negation);
  }
  command.parse(argv, { from: 'user' });
  return rawParamsFrom(options, command.opts(), '/work');
}

describe('paramOptions', () => {
  it('generates one kebab-case flag per parameter', () => {
    const flags = paramOptions(ALL_TYPES_PARAMS).map(({ option }) => option.long);
    expect(flags).toEqual([
      '--file',
      '--files',
      '--directory',
      '--sign-expired',
      '--signed',
      '--directory-mode',
    ]);
  });

  it('makes a required parameter without default mandatory', () => {
    expect(() => parse(['--directory', 'd'])).toThrow(
      expect.objectContaining({ code: 'commander.missingMandatoryOptionValue' }),
    );
  });

  it('restricts a select parameter to its option values', () => {
    expect(() => parse(['--file', 'a', '--directory', 'd', '--directory-mode', 'weekly'])).toThrow(
      expect.objectContaining({ code: 'commander.invalidArgument' }),
    );
  });
});

describe('rawParamsFrom', () => {
  it('passes given values under their registry names and leaves unset ones out', () => {
    expect(
      parse([
        '--file',
        'a.txt',
        '--directory',
        'docs',
        '--sign-expired',
        '60',
        '--directory-mode',
        'yyyy_mm_dd_hierarchy',
      ]),
    ).toEqual({
      file: { kind: 'path', path: '/work/a.txt' },
      directory: 'docs',
      sign_expired: '60',
      directory_mode: 'yyyy_mm_dd_hierarchy',
    });
  });

  it('collects repeated and comma-separated files as FileInputs', () => {
    const raw = parse([
      '--file',
      'https://h/x',
      '--directory',
      'd',
      '--files',
      'a,b',
      '--files',
      'https://h/c',
    ]);
    expect(raw.file).toEqual({ kind: 'url', url: 'https://h/x' });
    expect(raw.files).toEqual([
      { kind: 'path', path: '/work/a' },
      { kind: 'path', path: '/work/b' },
      { kind: 'url', url: 'https://h/c' },
    ]);
  });

  it('reads a bare boolean flag as true and --no-<flag> or an explicit value as false', () => {
    const base = ['--file', 'a', '--directory', 'd'];
    expect(parse([...base, '--signed']).signed).toBe(true);
    expect(parse([...base, '--signed', 'false']).signed).toBe(false);
    expect(parse([...base, '--no-signed']).signed).toBe(false);
    expect(parse(base).signed).toBeUndefined();
  });

  it('fills a parameter whose name collides with a tool-command flag through --param-<name>', () => {
    expect(parse(['--param-json', '{}'], [param('json', 'string')])).toEqual({ json: '{}' });
  });
});

describe('parseBooleanFlag', () => {
  it.each([
    [true, true],
    [undefined, true],
    ['yes', true],
    ['ON', true],
    ['0', false],
    ['off', false],
  ] as const)('reads %s as %s', (value, expected) => {
    expect(parseBooleanFlag(value)).toBe(expected);
  });

  it('rejects other words as a usage error', () => {
    expect(() => parseBooleanFlag('maybe')).toThrow(
      expect.objectContaining({ code: 'commander.invalidArgument' }),
    );
  });
});
