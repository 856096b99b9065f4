// The local OSS-compatible server (oss-protocol.md §3.5): node:http on 127.0.0.1, files on disk,
// V1/V4 verification, OSS error shapes and fault injection. Used in-process by tests and by
// `oss-dify emulator`; it imports no product code so it stays an independent check of our client.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AddressingOptions, defaultServiceHosts, resolveAddress } from './addressing.js';
import type { EmulatorCredential } from './auth-checks.js';
import { authenticate } from './authenticate.js';
import { Exchange, headerMap } from './exchange.js';
import { FaultInjector, type OpName } from './faults.js';
import type { EmulatorState } from './handler-context.js';
import { OssError, toOssError } from './oss-error.js';
import { parseQuery, type QueryParams } from './query.js';
import { checkAnonymousAccess, HANDLERS, routeOp } from './router.js';
import { type BucketAcl, ObjectStore } from './store.js';
import { UploadStore } from './upload-store.js';

/** Options of `startEmulator`; every field is optional. */
export interface EmulatorOptions {
  /** Interface to bind. Default `127.0.0.1`. */
  host?: string;
  /** Port; default 0 (an ephemeral port). */
  port?: number;
  /** V4 signing region. Default `cn-hangzhou`. */
  region?: string;
  /** Where data lives; kept across restarts. Default: a fresh temp dir removed on `close()`. */
  dataDir?: string;
  /** Buckets to create if missing. Default `['dify-oss']`. */
  buckets?: Array<string | { name: string; acl?: BucketAcl }>;
  /** Accepted keys. Default one clearly fake pair, `emulator-access-key`. */
  credentials?: EmulatorCredential[];
  /** Make buckets created here `public-read` unless they name their own ACL. Default false. */
  publicRead?: boolean;
  /** Server clock in epoch ms. Default `Date.now`. */
  clock?: () => number;
  /** Smallest non-last part at Complete. Default 100 KiB. */
  minPartSizeBytes?: number;
  /** Largest PutObject/UploadPart body. Default 5 GiB. */
  maxPutBytes?: number;
  /** Total bytes of objects + parts before writes fail with 507 InsufficientStorage. Default unlimited. */
  maxStoreBytes?: number;
  /** Extra host names that mean path style (and `<bucket>.<host>` virtual-hosted). */
  serviceHosts?: string[];
  /** Custom domain → bucket. */
  cnames?: Record<string, string>;
  /** Answer path-style requests with 403 SecondLevelDomainForbidden. Default false. */
  strictVirtualHost?: boolean;
  /** Receives one line per request (no secrets). */
  log?: (line: string) => void;
}

/** One request as the emulator saw it; tests observe behaviour through this log. */
export interface RequestLogEntry {
  method: string;
  op: OpName;
  bucket?: string;
  key?: string;
  /** HTTP status sent (0 when the connection was dropped before an answer). */
  status: number;
  auth: 'v1' | 'v4' | 'anonymous';
  /** Request body bytes the handler read. */
  bytesIn: number;
  /** Server time (ms) when the request arrived. */
  at: number;
  requestId: string;
}

/** A running emulator. */
export interface Emulator {
  /** `http://HOST:PORT`. */
  endpoint: string;
  host: string;
  port: number;
  region: string;
  buckets: string[];
  credentials: EmulatorCredential[];
  dataDir: string;
  faults: FaultInjector;
  requestLog: RequestLogEntry[];
  /** Uploads in progress in `bucket`. */
  listMultipartUploads(bucket: string): Promise<Array<{ key: string; uploadId: string }>>;
  /** Objects of `bucket` (optionally under `prefix`), in key order. */
  listObjects(
    bucket: string,
    prefix?: string,
  ): Promise<Array<{ key: string; size: number; contentType: string; lastModified: Date; etag: string }>>;
  /** Stops listening, drops open connections and removes a temp dataDir. Safe to call twice. */
  close(): Promise<void>;
}

/** The key pair used when none is given: clearly fake, and not shaped like a real `LTAI…` id. */
export const DEFAULT_CREDENTIAL: EmulatorCredential = {
  accessKeyId: 'emulator-access-key',
  accessKeySecret: 'emulator-secret-key-not-for-production',
};
/** The bucket created when none is given. */
export const DEFAULT_BUCKET = 'dify-oss';

/**
 * Starts an emulator and resolves once it listens.
 * @example const emu = await startEmulator({ minPartSizeBytes: 1024 }); … await emu.close();
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const region = options.region ?? 'cn-hangzhou';
  const clock = options.clock ?? Date.now;
  const log = options.log ?? (() => {});
  const ownsDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'oss-emulator-')));
  const objects = await ObjectStore.open(dataDir);
  const uploads = await UploadStore.open(objects);
  const specs = options.buckets ?? [DEFAULT_BUCKET];
  for (const spec of specs) {
    const { name, acl } = typeof spec === 'string' ? { name: spec, acl: undefined } : spec;
    await objects.ensureBucket(name, acl ?? (options.publicRead ? 'public-read' : undefined), clock());
  }
  const credentialList = options.credentials ?? [DEFAULT_CREDENTIAL];
  const credentials = new Map(credentialList.map((c) => [c.accessKeyId, c]));
  const state: EmulatorState = {
    objects,
    uploads,
    region,
    minPartSizeBytes: options.minPartSizeBytes ?? 100 * 1024,
    maxPutBytes: options.maxPutBytes ?? 5 * 1024 ** 3,
    maxStoreBytes: options.maxStoreBytes ?? Number.POSITIVE_INFINITY,
  };
  const addressing: AddressingOptions = {
    serviceHosts: [
      ...defaultServiceHosts(region),
      ...(options.serviceHosts ?? []).map((h) => h.toLowerCase()),
    ],
    cnames: Object.fromEntries(Object.entries(options.cnames ?? {}).map(([h, b]) => [h.toLowerCase(), b])),
    strictVirtualHost: options.strictVirtualHost ?? false,
  };
  const faults = new FaultInjector();
  const requestLog: RequestLogEntry[] = [];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const mark = url.indexOf('?');
    const headers = headerMap(req);
    let query: QueryParams = [];
    let badQuery = false;
    try {
      query = parseQuery(mark < 0 ? '' : url.slice(mark + 1));
    } catch {
      badQuery = true;
    }
    const ex = new Exchange(req, res, headers, query, clock());
    const at = ex.now;
    res.on('close', () => {
      const entry: RequestLogEntry = {
        method: req.method ?? '',
        op: ex.op,
        status: res.headersSent ? ex.status : 0,
        auth: ex.auth,
        bytesIn: ex.bytesIn,
        at,
        requestId: ex.requestId,
      };
      if (ex.bucket !== undefined) entry.bucket = ex.bucket;
      if (ex.key !== undefined) entry.key = ex.key;
      requestLog.push(entry);
      log(
        `${entry.method} ${entry.op} ${entry.bucket ?? '-'}/${entry.key ?? ''} ${entry.status} ${entry.auth}`,
      );
    });
    try {
      if (badQuery) throw new OssError('InvalidURI');
      const address = resolveAddress(
        headers.get('host') ?? '',
        mark < 0 ? url : url.slice(0, mark),
        addressing,
      );
      ex.bucket = address.bucket;
      ex.key = address.key;
      const method = req.method ?? 'GET';
      ex.op = routeOp(method, address.bucket, address.key, query, headers);
      ex.useFaults(faults.take({ op: ex.op, method, key: address.key }));
      const forced = ex.actions.find((a) => a.type === 'status');
      if (forced?.type === 'status') {
        throw new OssError(forced.code, {
          status: forced.status,
          ...(forced.message ? { message: forced.message } : {}),
        });
      }
      const bucket = address.bucket === undefined ? undefined : objects.bucket(address.bucket);
      if (address.bucket !== undefined && !bucket) {
        throw new OssError('NoSuchBucket', { extra: { BucketName: address.bucket } });
      }
      const auth = authenticate({
        method,
        bucket: address.bucket,
        key: address.key,
        query,
        headers,
        now: ex.now,
        region,
        credentials,
      });
      ex.auth = auth.kind;
      ex.presigned = auth.presigned;
      if (auth.kind === 'anonymous') {
        const objectAcl =
          bucket && address.key !== undefined ? objects.getObject(bucket.name, address.key)?.acl : undefined;
        checkAnonymousAccess(ex.op, bucket?.acl, objectAcl);
      }
      const handler = HANDLERS[ex.op];
      if (!handler) throw new OssError('NotImplemented', { extra: { Method: method } });
      await handler(ex, state);
    } catch (error) {
      if (res.headersSent || req.socket.destroyed) {
        res.destroy();
        return;
      }
      await ex.drain();
      await ex.sendError(toOssError(error, log));
    }
  }

  const server = createServer(
    { requestTimeout: 0, headersTimeout: 60_000, keepAliveTimeout: 5_000 },
    (req, res) => {
      handle(req, res).catch((error: unknown) => {
        log(`emulator failed to answer: ${error instanceof Error ? error.message : String(error)}`);
        res.destroy();
      });
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  let closed: Promise<void> | undefined;

  return {
    endpoint: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    host,
    port: address.port,
    region,
    buckets: objects.bucketNames(),
    credentials: credentialList,
    dataDir,
    faults,
    requestLog,
    async listMultipartUploads(bucket) {
      return uploads.list(bucket).map((u) => ({ key: u.key, uploadId: u.uploadId }));
    },
    async listObjects(bucket, prefix = '') {
      return objects
        .keys(bucket)
        .filter((key) => key.startsWith(prefix))
        .map((key) => objects.getObject(bucket, key)!)
        .map((o) => ({
          key: o.key,
          size: o.size,
          contentType: o.contentType,
          lastModified: new Date(o.lastModified),
          etag: o.etag,
        }));
    },
    close() {
      closed ??= (async () => {
        const done = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await done;
        if (ownsDir) await rm(dataDir, { recursive: true, force: true });
      })();
      return closed;
    },
  };
}

/** Startup lines for a person: endpoint, region, bucket(s), access key id. Never the secret. */
export function emulatorBanner(emu: Emulator): string {
  return [
    `OSS emulator listening on ${emu.endpoint}`,
    `  region:        ${emu.region}`,
    `  bucket(s):     ${emu.buckets.join(', ')}`,
    `  access key id: ${emu.credentials.map((c) => c.accessKeyId).join(', ')}`,
    `  data dir:      ${emu.dataDir}`,
  ].join('\n');
}
