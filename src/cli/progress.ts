// One progress bar on stderr for a whole tool call: the byte counts of every transfer (concurrent items
// of a batch, then the blobs being saved) are summed into a single line. Shown only on a TTY and only
// once the call moves more than a few MiB, so scripts and small files see no noise.
import { SingleBar } from 'cli-progress';
import type { TransferProgress } from '../tools/tool-declaration.js';

/** Transfers smaller than this never show a bar. */
export const PROGRESS_THRESHOLD_BYTES = 4 * 1024 * 1024;

/** Where the bar is drawn: a stream that may be a TTY. */
export interface ProgressStream extends NodeJS.WritableStream {
  isTTY?: boolean;
  columns?: number;
}

/** Options of {@link createProgressReporter}. */
export interface ProgressReporterOptions {
  stream: ProgressStream;
  /** Bytes from which a bar appears. Default {@link PROGRESS_THRESHOLD_BYTES}. */
  thresholdBytes?: number;
  /** Redraws per second. Default 10. */
  fps?: number;
}

/** Receives TransferProgress events and draws them; `stop()` ends the bar (idempotent). */
export interface ProgressReporter {
  update(progress: TransferProgress): void;
  /** Ends the current bar line before other output; the next large update draws a new bar. */
  interrupt(): void;
  stop(): void;
  /** True once a bar has been drawn. */
  readonly shown: boolean;
}

/** The sum of all transfers seen so far, keyed by their label. */
export interface ProgressTotals {
  loadedBytes: number;
  /** Undefined while any transfer has an unknown size. */
  totalBytes: number | undefined;
  transfers: number;
}

/** Sums per-label progress; a later event for the same label replaces the earlier one. Pure. */
export class ProgressTally {
  readonly #byLabel = new Map<string, TransferProgress>();

  /** Records one event and returns the new totals. */
  add(progress: TransferProgress): ProgressTotals {
    this.#byLabel.set(progress.label, progress);
    let loadedBytes = 0;
    let totalBytes: number | undefined = 0;
    for (const item of this.#byLabel.values()) {
      loadedBytes += item.loadedBytes;
      totalBytes =
        item.totalBytes === undefined || totalBytes === undefined ? undefined : totalBytes + item.totalBytes;
    }
    return { loadedBytes, totalBytes, transfers: this.#byLabel.size };
  }
}

/** Formats a byte count as `12.3 MiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * A reporter that draws one cli-progress bar on `stream` when it is a TTY and the call moves at least
 * `thresholdBytes`; otherwise every call is a no-op. Ctrl-C handling stays with the caller
 * (`gracefulExit` off), which calls `stop()` in its `finally`.
 */
export function createProgressReporter(options: ProgressReporterOptions): ProgressReporter {
  const threshold = options.thresholdBytes ?? PROGRESS_THRESHOLD_BYTES;
  const tally = new ProgressTally();
  let bar: SingleBar | undefined;
  let shown = false;
  let stopped = false;
  let label = '';

  const format = (_options: unknown, params: { value: number; total: number; progress: number }): string => {
    const known = params.total > 0;
    const width = 24;
    const filled = known ? Math.round(Math.min(1, params.progress) * width) : 0;
    const drawn = known ? `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ` : '';
    const percent = known ? ` ${Math.floor(Math.min(1, params.progress) * 100)}%` : '';
    const of = known ? ` / ${formatBytes(params.total)}` : '';
    return `${drawn}${formatBytes(params.value)}${of}${percent} ${label}`.trimEnd();
  };

  return {
    get shown() {
      return shown;
    },
    update(progress) {
      if (stopped || options.stream.isTTY !== true) return;
      const totals = tally.add(progress);
      label = totals.transfers > 1 ? `${totals.transfers} transfers` : progress.label;
      const size = totals.totalBytes ?? totals.loadedBytes;
      if (!bar) {
        if (size < threshold) return;
        bar = new SingleBar({
          stream: options.stream,
          format,
          fps: options.fps ?? 10,
          gracefulExit: false,
          hideCursor: false,
          clearOnComplete: false,
          linewrap: null,
        });
        bar.start(totals.totalBytes ?? 0, totals.loadedBytes);
        shown = true;
        return;
      }
      bar.setTotal(totals.totalBytes ?? 0);
      bar.update(totals.loadedBytes);
    },
    interrupt() {
      bar?.stop();
      bar = undefined;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bar?.stop();
    },
  };
}
