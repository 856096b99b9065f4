// The server-rendered HTML page at `/`: what is configured (secrets redacted), the tools and their
// parameters, the stored objects of the embedded emulator, and an upload form. Pure: model in, HTML out.
import { redact } from '../config/redact.js';
import { ENV_NAMES, type Settings } from '../config/settings.js';
import type { AnyToolDeclaration } from '../tools/registry.js';
import type { ParamSpec } from '../tools/tool-declaration.js';
import { PAGE_STYLE } from './page-style.js';

/** One stored object as the page lists it (the emulator's listObjects shape). */
export interface ObjectEntry {
  key: string;
  size: number;
  contentType: string;
  lastModified: Date;
  etag?: string;
}

/** Everything the page shows. */
export interface PageModel {
  settings: Settings;
  tools: readonly AnyToolDeclaration[];
  mcpUrl: string;
  /** Set when the embedded emulator stores the files. */
  emulator?: { endpoint: string; bucket: string };
  /** Objects of the emulator's bucket, or the error met while listing them. */
  objects?: readonly ObjectEntry[] | { error: string };
  /** A one-line notice at the top (after an upload). */
  notice?: { kind: 'ok' | 'error'; text: string };
  /** The upload tool whose non-file parameters the form offers, when the registry has one. */
  uploadTool?: AnyToolDeclaration;
}

const SECRET_FIELDS = new Set<keyof Settings>(['access_key_secret', 'security_token']);

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A setting's value as the page shows it: secrets only as "set", everything else redacted. */
export function displaySetting(field: keyof Settings, value: unknown): string {
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) return '—';
  if (SECRET_FIELDS.has(field)) return 'set (hidden)';
  return redact(Array.isArray(value) ? value.join(', ') : String(value));
}

/** Human size: bytes, KiB, MiB, GiB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

/** The page's download link of a key: each segment percent-encoded, `/` kept. */
export function objectHref(key: string): string {
  return `/objects/${key.split('/').map(encodeURIComponent).join('/')}`;
}

function settingsSection(model: PageModel): string {
  const rows = (Object.keys(ENV_NAMES) as Array<keyof Settings>)
    .map(
      (field) =>
        `<tr><td><code>${escapeHtml(field)}</code></td><td><code>${escapeHtml(ENV_NAMES[field])}</code></td>` +
        `<td>${escapeHtml(displaySetting(field, model.settings[field]))}</td></tr>`,
    )
    .join('');
  const mode = model.emulator
    ? `Embedded emulator at <code>${escapeHtml(model.emulator.endpoint)}</code>, bucket <code>${escapeHtml(model.emulator.bucket)}</code> (local files, not a production store).`
    : `Alibaba Cloud OSS, bucket <code>${escapeHtml(model.settings.bucket ?? '')}</code>.`;
  return `<section id="config"><h2>Configuration</h2><p>Storage: ${mode}</p>
<p>MCP endpoint: <code id="mcp-url">${escapeHtml(model.mcpUrl)}</code> (send <code>Authorization: Bearer &lt;token&gt;</code>; the token was printed when the server started).</p>
<table><thead><tr><th>Setting</th><th>Environment</th><th>Value</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function paramRow(spec: ParamSpec): string {
  const type =
    spec.type === 'select' ? `select: ${(spec.options ?? []).map((o) => o.value).join(' | ')}` : spec.type;
  const limits = [
    spec.min === undefined ? '' : `min ${spec.min}`,
    spec.max === undefined ? '' : `max ${spec.max}`,
  ]
    .filter(Boolean)
    .join(', ');
  const defaultText = spec.default === undefined ? '' : String(spec.default);
  return `<tr><td><code>${escapeHtml(spec.name)}</code>${spec.required ? ' <span class="req">required</span>' : ''}</td>
<td>${escapeHtml(type)}${limits ? ` (${escapeHtml(limits)})` : ''}</td><td>${escapeHtml(defaultText)}</td>
<td>${escapeHtml(spec.humanDescription.en_US)}</td></tr>`;
}

function toolsSection(tools: readonly AnyToolDeclaration[]): string {
  const items = tools
    .map((tool) => {
      const hints = Object.entries(tool.annotations)
        .filter(([, on]) => on !== undefined)
        .map(([name, on]) => `${name}: ${String(on)}`)
        .join(', ');
      return `<details class="tool" data-tool="${escapeHtml(tool.name)}"><summary><code>${escapeHtml(tool.name)}</code> — ${escapeHtml(tool.label.en_US)}</summary>
<p>${escapeHtml(tool.description.en_US)}</p>${hints ? `<p class="muted">${escapeHtml(hints)}</p>` : ''}
<table><thead><tr><th>Parameter</th><th>Type</th><th>Default</th><th>Description</th></tr></thead><tbody>${tool.parameters.map(paramRow).join('')}</tbody></table></details>`;
    })
    .join('\n');
  return `<section id="tools"><h2>Tools (${tools.length})</h2>${items || '<p>No tools are registered.</p>'}</section>`;
}

function objectsSection(model: PageModel): string {
  if (!model.emulator) return '';
  const objects = model.objects ?? [];
  if ('error' in objects) {
    return `<section id="objects"><h2>Stored objects</h2><p class="error">${escapeHtml(objects.error)}</p></section>`;
  }
  const rows = objects
    .map(
      (entry) =>
        `<tr><td><a class="object" href="${escapeHtml(objectHref(entry.key))}" download>${escapeHtml(entry.key)}</a></td>` +
        `<td class="num" title="${entry.size} bytes">${escapeHtml(formatBytes(entry.size))}</td>` +
        `<td>${escapeHtml(entry.contentType)}</td><td><time datetime="${entry.lastModified.toISOString()}">` +
        `${escapeHtml(entry.lastModified.toISOString().replace('T', ' ').slice(0, 19))} UTC</time></td></tr>`,
    )
    .join('');
  const body = rows || '<tr><td colspan="4" class="muted">No objects yet: upload one below.</td></tr>';
  return `<section id="objects"><h2>Stored objects (${objects.length})</h2>
<table><thead><tr><th>Key</th><th>Size</th><th>Type</th><th>Modified</th></tr></thead><tbody>${body}</tbody></table></section>`;
}

function formField(spec: ParamSpec): string {
  const id = `f-${spec.name}`;
  const label = `<label for="${id}">${escapeHtml(spec.label.en_US)}</label>`;
  const value = spec.default === undefined ? '' : String(spec.default);
  if (spec.type === 'select') {
    const options = (spec.options ?? [])
      .map(
        (o) =>
          `<option value="${escapeHtml(o.value)}"${o.value === value ? ' selected' : ''}>${escapeHtml(o.label.en_US)}</option>`,
      )
      .join('');
    return `${label}<select id="${id}" name="${escapeHtml(spec.name)}">${options}</select>`;
  }
  if (spec.type === 'boolean') {
    return `${label}<input id="${id}" type="checkbox" name="${escapeHtml(spec.name)}" value="true"${spec.default === true ? ' checked' : ''}>`;
  }
  const type = spec.type === 'number' ? 'number' : 'text';
  const fallback = spec.name === 'directory' && value === '' ? 'uploads' : value;
  return `${label}<input id="${id}" type="${type}" name="${escapeHtml(spec.name)}" value="${escapeHtml(fallback)}"${spec.required ? ' required' : ''}>`;
}

function uploadSection(model: PageModel): string {
  const tool = model.uploadTool;
  if (!tool) return '';
  const fileSpec = tool.parameters.find((spec) => spec.type === 'file');
  const fields = tool.parameters
    .filter((spec) => spec.type !== 'file' && spec.type !== 'files')
    .map(formField);
  return `<section id="upload"><h2>Upload a file</h2><p class="muted">Runs <code>${escapeHtml(tool.name)}</code> with the values below.</p>
<form method="post" action="/upload" enctype="multipart/form-data">
<label for="f-file">File</label><input id="f-file" type="file" name="${escapeHtml(fileSpec?.name ?? 'file')}" required>
${fields.join('\n')}
<button type="submit">Upload</button></form></section>`;
}

/** Renders the whole page. Every dynamic value is escaped; nothing is loaded from elsewhere. */
export function renderPage(model: PageModel): string {
  const notice = model.notice
    ? `<p class="notice ${model.notice.kind}" role="status">${escapeHtml(model.notice.text)}</p>`
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>oss-dify</title><style>${PAGE_STYLE}</style></head>
<body><header><h1>oss-dify</h1><p class="muted">Alibaba Cloud OSS tools for Dify, MCP clients and the command line</p></header>
<main>${notice}${settingsSection(model)}${objectsSection(model)}${uploadSection(model)}${toolsSection(model.tools)}</main></body></html>`;
}
