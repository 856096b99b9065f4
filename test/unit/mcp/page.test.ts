import { describe, expect, it } from 'vitest';
import { parseSettings } from '../../../src/config/settings.js';
import { displaySetting, escapeHtml, formatBytes, objectHref, renderPage } from '../../../src/mcp/page.js';
import { createFakeToolkit } from './fake-tools.js';

const settings = parseSettings({
  access_key_id: 'emulator-access-key',
  access_key_secret: 'very-secret-value-123',
  security_token: 'sts-token-value-456',
  endpoint: 'http://127.0.0.1:9000',
  bucket: 'dify-oss',
});

describe('renderPage', () => {
  const kit = createFakeToolkit();
  const html = renderPage({
    settings,
    tools: kit.tools,
    uploadTool: kit.tools[0]!,
    mcpUrl: 'http://127.0.0.1:8787/mcp',
    emulator: { endpoint: 'http://127.0.0.1:9000', bucket: 'dify-oss' },
    objects: [
      {
        key: 'docs/<script>alert(1)</script>.txt',
        size: 2048,
        contentType: 'text/plain',
        lastModified: new Date('2026-01-02T03:04:05Z'),
      },
    ],
  });

  it('never shows a secret', () => {
    expect(html).not.toContain('very-secret-value-123');
    expect(html).not.toContain('sts-token-value-456');
    expect(html).toContain('set (hidden)');
  });

  it('escapes object keys and links them through the server', () => {
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('href="/objects/docs/%3Cscript%3Ealert(1)%3C/script%3E.txt"');
    expect(html).toContain('2.00 KiB');
    expect(html).toContain('2026-01-02 03:04:05 UTC');
  });

  it('lists each tool with its parameters and offers an upload form from the upload tool', () => {
    expect(html).toContain('data-tool="upload_file"');
    expect(html).toContain('data-tool="get_file_by_url"');
    expect(html).toContain('<code>sign_expired</code>');
    expect(html).toMatch(/<form method="post" action="\/upload" enctype="multipart\/form-data">/);
    expect(html).toContain('<select id="f-filename_mode" name="filename_mode">');
    expect(html).toContain('value="uploads"');
  });

  it('loads nothing from another origin', () => {
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });
});

describe('page helpers', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1536, '1.50 KiB'],
    [5 * 1024 * 1024, '5.00 MiB'],
    [123 * 1024 * 1024 * 1024, '123.0 GiB'],
  ])('formats %i bytes as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('escapes the five HTML specials', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('keeps slashes and encodes everything else in object links', () => {
    expect(objectHref('a b/c#d?.txt')).toBe('/objects/a%20b/c%23d%3F.txt');
  });

  it('hides secrets and redacts AccessKey-shaped values', () => {
    expect(displaySetting('access_key_secret', 'x')).toBe('set (hidden)');
    expect(displaySetting('access_key_id', 'LTAI5tAbCdEfGhIjKlMnOp')).toBe('[REDACTED]');
    expect(displaySetting('bucket', undefined)).toBe('—');
  });
});
