// The page's routes: GET / renders the page, GET /objects/<key> downloads through get_file_by_url,
// POST /upload streams a form's file to disk and runs upload_file on it. Auth is checked by the caller.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { create as createContentDisposition } from 'content-disposition';
import type { Settings } from '../config/settings.js';
import { AppError, type ErrorCode, toAppError } from '../errors.js';
import { invokeTool } from '../tools/invoke.js';
import type { AnyToolDeclaration } from '../tools/registry.js';
import type { Logger, ParamSpec } from '../tools/tool-declaration.js';
import { boundaryOf, parseMultipartForm } from './multipart-form.js';
import { type ObjectEntry, type PageModel, renderPage } from './page.js';

/** The embedded emulator's bucket as the page browses it (the CLI wires `emu.listObjects`). */
export interface ObjectBrowser {
  endpoint: string;
  bucket: string;
  list(): Promise<ObjectEntry[]>;
}

/** What the page routes need. */
export interface PageContext {
  settings: Settings;
  tools: readonly AnyToolDeclaration[];
  mcpUrl: string;
  browser?: ObjectBrowser | undefined;
  logger?: Logger | undefined;
  /** Largest file the upload form accepts, in bytes. */
  maxUploadBytes: number;
}

const UPLOAD_TOOL = 'upload_file';
const DOWNLOAD_TOOL = 'get_file_by_url';
const FORM_OVERHEAD_BYTES = 64 * 1024;

const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  INVALID_ARGUMENT: 400,
  KEY_INVALID: 400,
  KEY_OUT_OF_SCOPE: 403,
  URL_NOT_IN_BUCKET: 400,
  FILE_SOURCE_INVALID: 400,
  FILE_TOO_LARGE: 413,
  OSS_NO_SUCH_KEY: 404,
  TOOL_NOT_FOUND: 404,
  OSS_FILE_ALREADY_EXISTS: 409,
  OSS_ACCESS_DENIED: 403,
};

/** The HTTP status a page route answers for an error code (500 for anything not the caller's fault). */
export function statusForCode(code: ErrorCode): number {
  return STATUS_BY_CODE[code] ?? 500;
}

function send(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

async function pageModel(context: PageContext, notice?: PageModel['notice']): Promise<PageModel> {
  const uploadTool = context.tools.find((tool) => tool.name === UPLOAD_TOOL);
  const model: PageModel = { settings: context.settings, tools: context.tools, mcpUrl: context.mcpUrl };
  if (uploadTool) model.uploadTool = uploadTool;
  if (notice) model.notice = notice;
  if (context.browser) {
    model.emulator = { endpoint: context.browser.endpoint, bucket: context.browser.bucket };
    try {
      const objects = await context.browser.list();
      model.objects = [...objects].sort((a, b) => b.lastModified.getTime() - a.lastModified.getTime());
    } catch (error) {
      model.objects = { error: `Could not list objects: ${toAppError(error).message}` };
    }
  }
  return model;
}

/** GET /: the page, with a notice after an upload (`?uploaded=<key>`). */
export async function servePage(context: PageContext, url: URL, res: ServerResponse): Promise<void> {
  const uploaded = url.searchParams.get('uploaded');
  const notice = uploaded ? { kind: 'ok' as const, text: `Uploaded: ${uploaded}` } : undefined;
  send(res, 200, renderPage(await pageModel(context, notice)));
}

async function serveError(context: PageContext, res: ServerResponse, error: AppError): Promise<void> {
  const notice = { kind: 'error' as const, text: `${error.code}: ${error.message}` };
  send(res, statusForCode(error.code), renderPage(await pageModel(context, notice)));
}

/** GET /objects/<key>: the object's bytes as an attachment, read with the download tool. */
export async function serveObject(context: PageContext, key: string, res: ServerResponse): Promise<void> {
  const bucket = context.browser?.bucket ?? context.settings.bucket;
  const messages = invokeTool(
    DOWNLOAD_TOOL,
    { file_url: `oss://${bucket}/${key}` },
    {
      settings: context.settings,
      face: 'mcp',
      tools: context.tools,
      ...(context.logger ? { logger: context.logger } : {}),
    },
  );
  try {
    for await (const message of messages) {
      if (message.type !== 'blob' || res.headersSent) continue;
      res.writeHead(200, {
        'content-type': message.mimeType || 'application/octet-stream',
        'content-length': String(message.size),
        // Always an attachment with nosniff: stored HTML or SVG must never run in the page's origin.
        'content-disposition': createContentDisposition(message.filename, { type: 'attachment' }),
        'x-content-type-options': 'nosniff',
        'content-security-policy': "sandbox; default-src 'none'",
        'cache-control': 'no-store',
      });
      await pipeline(message.stream, res);
    }
    if (!res.headersSent) send(res, 404, 'Not found');
  } catch (error) {
    const appError = toAppError(error);
    context.logger?.warn('page download failed', { code: appError.code });
    if (res.headersSent) res.destroy();
    else send(res, statusForCode(appError.code), `${appError.code}: ${appError.message}`);
  }
}

function coerceField(spec: ParamSpec, value: string | undefined): unknown {
  if (spec.type === 'boolean') return value === 'true' || value === 'on';
  if (value === undefined || value === '') return undefined;
  if (spec.type === 'number') return Number(value);
  return value;
}

/** A file name safe to create in our temp folder: no separators or control characters. */
export function tempFileName(filename: string): string {
  const cleaned = filename
    .replace(/[\\/]/g, '_')
    .replace(/\p{Cc}/gu, '')
    .trim()
    .replace(/^\.+/, '');
  return cleaned.slice(0, 200) || 'upload';
}

/**
 * POST /upload: streams the form's file into a private temp folder, runs upload_file on it as a local
 * path (face 'mcp' with that folder as the only allowed root), answers with a redirect to the page.
 */
export async function handleUpload(
  context: PageContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const tool = context.tools.find((candidate) => candidate.name === UPLOAD_TOOL);
  const boundary = boundaryOf(req.headers['content-type']);
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  const dir = await mkdtemp(join(tmpdir(), 'oss-dify-upload-'));
  try {
    if (!tool) throw appError('TOOL_NOT_FOUND', 'upload_file is not registered');
    if (!boundary) throw appError('INVALID_ARGUMENT', 'Expected a multipart/form-data body');
    if (declared > context.maxUploadBytes + FORM_OVERHEAD_BYTES) {
      throw appError(
        'FILE_TOO_LARGE',
        `The file exceeds the upload limit of ${context.maxUploadBytes} bytes`,
      );
    }
    const fileSpec = tool.parameters.find((spec) => spec.type === 'file');
    let saved: { path: string; field: string } | undefined;
    const fields = await parseMultipartForm(req, boundary, {
      maxFileBytes: context.maxUploadBytes,
      onFile: async (part) => {
        if (saved || part.field !== (fileSpec?.name ?? 'file') || part.filename === '') {
          part.stream.resume();
          return;
        }
        const path = join(dir, tempFileName(part.filename));
        saved = { path, field: part.field };
        await pipeline(part.stream, createWriteStream(path));
      },
    });
    if (!saved) throw appError('INVALID_ARGUMENT', 'Choose a file to upload');
    const params: Record<string, unknown> = { [saved.field]: { kind: 'path', path: saved.path } };
    for (const spec of tool.parameters) {
      if (spec.type === 'file' || spec.type === 'files') continue;
      const value = coerceField(spec, fields[spec.name]);
      if (value !== undefined) params[spec.name] = value;
    }
    const settings: Settings = { ...context.settings, local_path_root: dir };
    let structured: Record<string, unknown> | undefined;
    let summary: string | undefined;
    const messages = invokeTool(UPLOAD_TOOL, params, {
      settings,
      face: 'mcp',
      tools: context.tools,
      ...(context.logger ? { logger: context.logger } : {}),
    });
    for await (const message of messages) {
      if (message.type === 'json' && !Array.isArray(message.json)) structured = message.json;
      if (message.type === 'text') summary ??= message.text;
    }
    res.writeHead(303, {
      location: `/?uploaded=${encodeURIComponent(uploadedKey(structured) ?? summary ?? 'done')}`,
    });
    res.end();
  } catch (error) {
    // The rest of a refused body is drained, and the connection is not reused after it.
    req.resume();
    res.setHeader('connection', 'close');
    await serveError(context, res, toAppError(error));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function appError(code: ErrorCode, message: string): AppError {
  return new AppError(code, message);
}

/** The object key an upload result names (single upload: `object_key`, or the first file's). */
export function uploadedKey(structured: Record<string, unknown> | undefined): string | undefined {
  if (!structured) return undefined;
  if (typeof structured.object_key === 'string') return structured.object_key;
  const files = structured.files;
  if (Array.isArray(files)) {
    const key = (files[0] as { object_key?: unknown } | undefined)?.object_key;
    if (typeof key === 'string') return key;
  }
  return undefined;
}
