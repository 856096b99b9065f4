// The page of `oss-dify serve` in headless Chromium (Debian's /usr/bin/chromium through playwright-core):
// log in with the printed link, upload through the form, see the object listed, download it byte-exact.
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServe, startServe } from '../../src/cli/serve.js';
import { TOOL_REGISTRY } from '../../src/tools/registry.js';
import { patternBytes } from './mcp-harness.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(import.meta.dirname, '..', '..', 'test-artifacts');

let cwd: string;
let serve: RunningServe;
let browser: BrowserContext;
let printed = '';

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'page-serve-'));
  const stdout = new PassThrough();
  stdout.on('data', (chunk: Buffer) => {
    printed += chunk.toString('utf8');
  });
  serve = await startServe({ host: '127.0.0.1', port: 0, env: {}, cwd, stdout, stderr: new PassThrough() });
  browser = await chromium.launchPersistentContext(join(cwd, 'chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await serve?.close();
  await rm(cwd, { recursive: true, force: true });
});

describe('the page of oss-dify serve', () => {
  it('prints the page link with a generated token, the MCP URL and the emulator endpoint', () => {
    expect(serve.generatedToken).toBe(true);
    expect(printed).toContain(`${serve.http.url}/?token=${serve.token}`);
    expect(printed).toContain(`MCP:      ${serve.http.mcpUrl}`);
    expect(printed).toContain(`embedded emulator ${serve.emulatorEndpoint}`);
    expect(printed).not.toContain(serve.settings.access_key_secret ?? 'no secret');
  });

  it('asks for the token without one', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${serve.http.url}/`);
    expect(response?.status()).toBe(401);
    await expect(page.locator('input[name="token"]').count()).resolves.toBe(1);
    await page.close();
  });

  it('uploads a file through the form, lists it, and downloads it byte-exact', async () => {
    const page = await browser.newPage();
    await page.goto(`${serve.http.url}/?token=${serve.token}`);
    expect(new URL(page.url()).search).toBe('');
    await expect(page.locator('details.tool').count()).resolves.toBe(TOOL_REGISTRY.length);

    const bytes = patternBytes(300 * 1024, 11);
    await page.setInputFiles('#f-file', {
      name: 'photo 世界.bin',
      mimeType: 'application/octet-stream',
      buffer: bytes,
    });
    await page.fill('#f-directory', 'web');
    await Promise.all([page.waitForURL(/\/\?uploaded=/), page.click('form button[type="submit"]')]);
    await expect(page.locator('.notice.ok').textContent()).resolves.toContain('web/photo 世界.bin');

    const link = page.locator('a.object', { hasText: 'web/photo 世界.bin' });
    await expect(link.count()).resolves.toBe(1);
    const row = await link.locator('xpath=ancestor::tr').textContent();
    expect(row).toContain('300.0 KiB');
    expect(row).toContain('application/octet-stream');

    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('photo 世界.bin');
    const saved = await download.path();
    expect((await readFile(saved)).equals(bytes)).toBe(true);

    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'page.png'), fullPage: true });
    await page.close();
  });

  it('shows a refused upload (a directory escaping with ..) as an error and stores nothing', async () => {
    const objectsBefore = await listKeys();
    const page = await browser.newPage();
    await page.goto(`${serve.http.url}/?token=${serve.token}`);
    await page.setInputFiles('#f-file', {
      name: 'bad.bin',
      mimeType: 'application/octet-stream',
      buffer: Buffer.alloc(10),
    });
    await page.fill('#f-directory', '../escape');
    await Promise.all([page.waitForLoadState('load'), page.click('form button[type="submit"]')]);
    await expect(page.locator('.notice.error').textContent()).resolves.toMatch(
      /^(KEY_INVALID|INVALID_ARGUMENT): /,
    );
    expect(await listKeys()).toEqual(objectsBefore);
    await page.close();
  });
});

async function listKeys(): Promise<string[]> {
  const response = await fetch(`${serve.http.url}/`, {
    headers: { authorization: `Bearer ${serve.token}` },
  });
  const html = await response.text();
  return [...html.matchAll(/class="object" href="([^"]+)"/g)].map((match) => match[1]!);
}
