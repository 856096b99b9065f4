// Runs scripts/soak.ts with about 100 invocations so CI exercises the soak harness and its checks (no
// crash, one end per session, byte-exact uploads, no multipart upload left, no INTERNAL errors).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

describe('scripts/soak.ts', () => {
  it('passes every check for 100 mixed invocations under random faults (seed 7)', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/soak.ts'], {
      cwd: ROOT,
      env: { ...process.env, SOAK_INVOCATIONS: '100', SOAK_SECONDS: '40', SOAK_SEED: '7' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    const line = stdout.split('\n').find((l) => l.startsWith('SOAK_RESULT '));
    expect(line, `${stdout}\n${stderr.slice(-2000)}`).toBeDefined();
    const summary = JSON.parse(line!.slice('SOAK_RESULT '.length));
    expect(summary.problems).toEqual([]);
    expect(code).toBe(0);
    expect(summary).toMatchObject({ seed: 7, invocations: 100, sessions: 8, orphanUploads: 0 });
    expect(summary.uploadsVerified).toBeGreaterThan(30);
    expect(summary.rssKiB.start).toBeGreaterThan(0);
    expect(summary.latencyMs.p99).toBeGreaterThanOrEqual(summary.latencyMs.p50);
  }, 90_000);
});
