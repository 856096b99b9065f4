// bench:upload's report: the median run per client and source as a Markdown table, the share of the raw
// ceiling and the ours / ali-oss ratio, then that ratio within each round.

export type ClientName = 'ours' | 'ali-oss' | 'raw-undici';
export type SourceName = 'stream' | 'file';

/** One upload by one client, as its child process reports it (the parent adds the emulator's CPU). */
export interface RunResult {
  client: ClientName;
  source: SourceName;
  seconds: number;
  mibPerSecond: number;
  peakRssMiB: number;
  /** CPU seconds (user + system) the client's process used, per GiB uploaded. */
  cpuPerGiB: number;
  /** CPU seconds the emulator's process used during this run, per GiB (Linux /proc; NaN elsewhere). */
  emulatorCpuPerGiB: number;
  /** The round this run belongs to (set by the parent; -1 in the child). */
  round: number;
  note: string;
}

/** Per client and source: the median run by MiB/s, carrying the highest peak RSS of all its runs. */
function medians(runs: RunResult[]): RunResult[] {
  const groups = new Map<string, RunResult[]>();
  for (const run of runs) {
    const id = `${run.source}/${run.client}`;
    groups.set(id, [...(groups.get(id) ?? []), run]);
  }
  return [...groups.values()].map((group) => {
    const sorted = [...group].sort((a, b) => a.mibPerSecond - b.mibPerSecond);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    return { ...median, peakRssMiB: Math.max(...group.map((run) => run.peakRssMiB)) };
  });
}

/** How the runs were made, for the table's caption. */
export interface ReportSetup {
  sizeMiB: number;
  rounds: number;
  nodeFlags: readonly string[];
}

/** Prints the table and ratios of `runs` to stdout. */
export function printReport(runs: RunResult[], setup: ReportSetup): void {
  const results = medians(runs);
  console.log(
    `\nUpload of ${setup.sizeMiB} MiB to the emulator (separate process), Node ${process.version}, esbuild bundle, node flags: ${setup.nodeFlags.join(' ') || '(none)'}, median of ${setup.rounds} runs (peak RSS: the highest)\n`,
  );
  console.log('| source | client | MiB/s | peak RSS MiB | client CPU s/GiB | emulator CPU s/GiB | how |');
  console.log('|---|---|---:|---:|---:|---:|---|');
  for (const r of results) {
    console.log(
      `| ${r.source} | ${r.client} | ${r.mibPerSecond.toFixed(0)} | ${r.peakRssMiB.toFixed(0)} | ${r.cpuPerGiB.toFixed(2)} | ${r.emulatorCpuPerGiB.toFixed(2)} | ${r.note} |`,
    );
  }
  for (const kind of ['stream', 'file'] as const) {
    const by = (c: ClientName) => results.find((r) => r.client === c && r.source === kind);
    const ours = by('ours');
    const raw = by('raw-undici');
    const ali = by('ali-oss');
    if (!ours || !raw || !ali) continue;
    console.log(
      `${kind}: ours = ${((100 * ours.mibPerSecond) / raw.mibPerSecond).toFixed(0)}% of ceiling, ` +
        `${(ours.mibPerSecond / ali.mibPerSecond).toFixed(2)}x ali-oss, peak RSS ${ours.peakRssMiB.toFixed(0)} MiB`,
    );
  }
  for (const kind of ['stream', 'file'] as const) {
    const ratios = pairedRatios(runs, kind, setup.rounds);
    if (ratios.length === 0) continue;
    const sorted = [...ratios].sort((a, b) => a - b);
    console.log(
      `${kind}: ours / ali-oss within each round: ${ratios.map((r) => r.toFixed(2)).join(' ')}; ` +
        `median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)}, ${ratios.filter((r) => r >= 1).length} of ${ratios.length} rounds >= 1`,
    );
  }
}

/**
 * MiB/s of ours over ali-oss for each round, from runs seconds apart: a paired comparison that a slow
 * phase of the shared machine, which moves both alike, does not blur as it does the two medians.
 */
function pairedRatios(runs: RunResult[], kind: SourceName, rounds: number): number[] {
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const find = (client: ClientName) =>
      runs.find((r) => r.round === round && r.source === kind && r.client === client);
    const ours = find('ours');
    const ali = find('ali-oss');
    if (ours && ali) ratios.push(ours.mibPerSecond / ali.mibPerSecond);
  }
  return ratios;
}
