import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgressReporter, formatBytes, ProgressTally } from '../../../src/cli/progress.js';

const MiB = 1024 * 1024;

/** A writable that records what was drawn, optionally pretending to be a terminal. */
function screen(isTTY: boolean): Writable & { isTTY: boolean; columns: number; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  });
  return Object.assign(stream, { isTTY, columns: 100, text: () => chunks.join('') });
}

describe('ProgressTally', () => {
  it('sums the latest event of each label', () => {
    const tally = new ProgressTally();
    tally.add({ label: 'a', loadedBytes: 5, totalBytes: 10 });
    tally.add({ label: 'b', loadedBytes: 1, totalBytes: 20 });
    expect(tally.add({ label: 'a', loadedBytes: 10, totalBytes: 10 })).toEqual({
      loadedBytes: 11,
      totalBytes: 30,
      transfers: 2,
    });
  });

  it('has no total while any transfer has an unknown size', () => {
    const tally = new ProgressTally();
    tally.add({ label: 'a', loadedBytes: 5, totalBytes: 10 });
    expect(tally.add({ label: 'b', loadedBytes: 7 })).toEqual({
      loadedBytes: 12,
      totalBytes: undefined,
      transfers: 2,
    });
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1536, '1.5 KiB'],
    [5 * MiB, '5.0 MiB'],
  ])('formats %d as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});

describe('createProgressReporter', () => {
  it('draws a bar on a TTY once a transfer passes the threshold', () => {
    const out = screen(true);
    const reporter = createProgressReporter({ stream: out, thresholdBytes: 4 * MiB });
    reporter.update({ label: 'big.bin', loadedBytes: 0, totalBytes: 8 * MiB });
    reporter.update({ label: 'big.bin', loadedBytes: 8 * MiB, totalBytes: 8 * MiB });
    reporter.stop();
    expect(reporter.shown).toBe(true);
    expect(out.text()).toContain('/ 8.0 MiB');
    expect(out.text()).toMatch(/\[#{24}\] 8\.0 MiB \/ 8\.0 MiB 100%/);
    expect(out.text()).toContain('big.bin');
  });

  it('stays silent for small transfers', () => {
    const out = screen(true);
    const reporter = createProgressReporter({ stream: out, thresholdBytes: 4 * MiB });
    reporter.update({ label: 'small', loadedBytes: MiB, totalBytes: MiB });
    reporter.stop();
    expect(reporter.shown).toBe(false);
    expect(out.text()).toBe('');
  });

  it('stays silent when stderr is not a terminal', () => {
    const out = screen(false);
    const reporter = createProgressReporter({ stream: out, thresholdBytes: 1 });
    reporter.update({ label: 'big', loadedBytes: 8 * MiB, totalBytes: 8 * MiB });
    reporter.stop();
    expect(out.text()).toBe('');
  });

  it('shows bytes without a bar when the size is unknown and ignores updates after stop', () => {
    const out = screen(true);
    const reporter = createProgressReporter({ stream: out, thresholdBytes: MiB });
    reporter.update({ label: 'stream', loadedBytes: 2 * MiB });
    reporter.stop();
    const drawn = out.text();
    reporter.update({ label: 'stream', loadedBytes: 9 * MiB });
    expect(drawn).toContain('2.0 MiB stream');
    expect(drawn).not.toMatch(/\[[#-]+\]/);
    expect(out.text()).toBe(drawn);
  });

  it('ends the bar line on interrupt and draws a fresh bar on the next large update', () => {
    const out = screen(true);
    const reporter = createProgressReporter({ stream: out, thresholdBytes: MiB });
    reporter.update({ label: 'one', loadedBytes: 2 * MiB, totalBytes: 2 * MiB });
    reporter.interrupt();
    const afterInterrupt = out.text();
    reporter.update({ label: 'two', loadedBytes: MiB, totalBytes: 2 * MiB });
    reporter.stop();
    expect(afterInterrupt).toMatch(/2\.0 MiB \/ 2\.0 MiB 100% one[^\n]*\n$/);
    expect(out.text().slice(afterInterrupt.length)).toContain('3.0 MiB / 4.0 MiB 75% 2 transfers');
  });
});
