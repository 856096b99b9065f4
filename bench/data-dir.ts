// Where a benchmark's emulator keeps its objects: in memory when the machine has /dev/shm, so the kernel's
// writeback of one run's gigabyte does not land in the next run's numbers.
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh directory under `BENCH_DATA_DIR`, else /dev/shm when it exists, else the temp directory. */
export function benchDataDir(label: string): Promise<string> {
  const parent = process.env.BENCH_DATA_DIR ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());
  return mkdtemp(join(parent, `${label}-`));
}
