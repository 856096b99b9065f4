// Adversarial batch cases of security-reliability.md §B through invokeTool: a mixed batch of good, missing,
// hostile and oversize files (§B38), cancellation mid-batch (§B39) and an expired Dify file URL (§B40).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  type Collected,
  difyFile,
  failureOf,
  jsonOf,
  runTool,
  useWorldWithFiles,
  writeCount,
} from '../integration/tools-harness.js';

const env = useWorldWithFiles();

beforeEach(() => {
  env.world.emulator.faults.clear();
  env.world.emulator.requestLog.length = 0;
});

/** A Dify-files server that counts requests in flight and answers each after `holdMs`. */
async function startCountingServer(holdMs: number): Promise<{
  origin: string;
  peak: () => number;
  started: string[];
  onRequest: (listener: () => void) => void;
  close: () => Promise<void>;
}> {
  let inFlight = 0;
  let peak = 0;
  const started: string[] = [];
  const listeners: Array<() => void> = [];
  const server: Server = createServer((req, res) => {
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    started.push(req.url ?? '');
    for (const listener of listeners.splice(0)) listener();
    res.on('close', () => {
      inFlight -= 1;
    });
    const path = req.url?.split('?')[0] ?? '';
    const timer = setTimeout(() => {
      if (path.startsWith('/missing')) res.writeHead(404).end('gone');
      else if (path.startsWith('/expired')) res.writeHead(403).end('expired');
      else if (path.startsWith('/huge'))
        res.writeHead(200, { 'content-length': String(49_000 * 1024 ** 3) }).end();
      else res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '9' }).end('good file');
    }, holdMs);
    req.on('close', () => {
      if (!res.writableEnded) clearTimeout(timer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    peak: () => peak,
    started,
    onRequest: (listener) => listeners.push(listener),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function mixedBatch(origin: string): unknown[] {
  const good = Array.from({ length: 6 }, (_, i) =>
    difyFile(`${origin}/good-${i}.txt?sign=x`, `good-${i}.txt`),
  );
  return [
    good[0],
    difyFile(`${origin}/missing.txt`, 'missing.txt'),
    good[1],
    difyFile('file:///etc/passwd', 'passwd'),
    good[2],
    difyFile(`${origin}/huge.bin`, 'huge.bin'),
    good[3],
    difyFile('/files/relative-without-files-url', 'rel.txt'),
    good[4],
    good[5],
  ];
}

describe('invokeTool batches (§B38, §B39, §B40)', () => {
  it('uploads 6 of 10 with per-item errors for 3 bad URLs and 1 over 48.8 TiB, never above batch_concurrency', async () => {
    const server = await startCountingServer(60);
    try {
      const settings = env.world.settings({ batch_concurrency: '2' });
      const json = jsonOf(
        await runTool(
          'multi_upload_files',
          { files: mixedBatch(server.origin), directory: 'batch' },
          settings,
        ),
      );
      expect(json).toMatchObject({ status: 'partial', success_count: 6, error_count: 4 });
      const items = json.files as Array<{ status: string; error_code?: string }>;
      expect(items.map((item) => item.status)).toEqual([
        'success',
        'error',
        'success',
        'error',
        'success',
        'error',
        'success',
        'error',
        'success',
        'success',
      ]);
      expect(items[5]?.error_code).toBe('FILE_TOO_LARGE');
      expect(server.peak()).toBeLessThanOrEqual(2);
      expect(server.peak()).toBe(2);
      expect((await env.world.emulator.listObjects('tools-test', 'batch/')).length).toBe(6);
    } finally {
      await server.close();
    }
  });

  it('stops a batch on abort: no new items start, nothing half-written, CANCELLED', async () => {
    const server = await startCountingServer(30_000);
    const controller = new AbortController();
    server.onRequest(() => controller.abort());
    try {
      const settings = env.world.settings({ batch_concurrency: '2' });
      const files10 = Array.from({ length: 10 }, (_, i) =>
        difyFile(`${server.origin}/good-${i}.txt`, `c-${i}.txt`),
      );
      const outcome = await runTool('multi_upload_files', { files: files10, directory: 'cancel' }, settings, {
        signal: controller.signal,
      }).then(
        (out: Collected[]) => ({ ok: true as const, json: jsonOf(out) }),
        (error: { code: string }) => ({ ok: false as const, code: error.code }),
      );
      if (outcome.ok) {
        const items = outcome.json.files as Array<{ status: string; error_code?: string }>;
        expect(items.every((item) => item.status === 'error' && item.error_code === 'CANCELLED')).toBe(true);
      } else expect(outcome.code).toBe('CANCELLED');
      expect(server.started.length).toBeLessThanOrEqual(2);
      expect(await env.world.emulator.listObjects('tools-test', 'cancel/')).toEqual([]);
      expect(await env.world.emulator.listMultipartUploads('tools-test')).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('fails an expired Dify file URL (HTTP 403) after one request with a clear, non-retryable error', async () => {
    const server = await startCountingServer(0);
    try {
      const error = await failureOf(env.world, 'upload_file', {
        file: difyFile(`${server.origin}/expired/f.pdf?timestamp=1&sign=abc`, 'f.pdf'),
        directory: 'exp',
      });
      expect(error.code).toBe('DOWNLOAD_FAILED');
      expect(error.details).toMatchObject({ status: 403 });
      expect(error.message).toMatch(/403/);
      expect(error.message).toMatch(/expire/i);
      expect(error.text).not.toContain('sign=abc');
      expect(server.started).toHaveLength(1);
      expect(writeCount(env.world)).toBe(0);
    } finally {
      await server.close();
    }
  });
});
