// The emulator's on-disk store: buckets, objects (metadata JSON + data segment files) and an
// in-memory index rebuilt from disk on start, so a dataDir survives restarts. Multipart state is
// in upload-store.ts; HTTP semantics are left to the handlers.
import { createHash, randomBytes } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Segment } from './body-file.js';
import { OssError } from './oss-error.js';

/** Canned ACLs of a bucket. */
export type BucketAcl = 'private' | 'public-read' | 'public-read-write';

/** A bucket as stored. */
export interface BucketMeta {
  name: string;
  acl: BucketAcl;
  created: number;
}

/** An object's metadata as stored and as served on GET/HEAD. */
export interface ObjectMeta {
  key: string;
  size: number;
  /** Quoted, as sent in the ETag header: `"HEX"` or `"HEX-N"`. */
  etag: string;
  /** Unsigned decimal CRC-64/XZ of the whole object. */
  crc64: string;
  lastModified: number;
  contentType: string;
  /** Stored entity headers echoed on GET/HEAD (content-disposition, cache-control, …), lowercase names. */
  headers: Record<string, string>;
  /** `x-oss-meta-*` headers, lowercase full names. */
  userMeta: Record<string, string>;
  storageClass: string;
  objectType: 'Normal' | 'Multipart';
  acl: string;
  segments: Segment[];
}

function hashName(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

async function writeJsonAtomic(file: string, value: unknown, tmpDir: string): Promise<void> {
  const tmp = join(tmpDir, `${randomBytes(8).toString('hex')}.json`);
  await writeFile(tmp, JSON.stringify(value));
  await rename(tmp, file);
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

/** Buckets and objects under one data directory. Create with `ObjectStore.open`. */
export class ObjectStore {
  readonly dir: string;
  private readonly buckets = new Map<string, BucketMeta>();
  private readonly objects = new Map<string, Map<string, ObjectMeta>>();
  private readonly sortedKeys = new Map<string, string[]>();
  /** Bytes held by objects; upload-store.ts adds its parts through `adjustUsedBytes`. */
  private used = 0;

  private constructor(dir: string) {
    this.dir = dir;
  }

  /** Opens (creating if needed) a store at `dir` and loads its index. */
  static async open(dir: string): Promise<ObjectStore> {
    const store = new ObjectStore(dir);
    for (const sub of ['buckets', 'objects', 'data', 'uploads', 'tmp'])
      await mkdir(join(dir, sub), { recursive: true });
    await rm(join(dir, 'tmp'), { recursive: true, force: true });
    await mkdir(join(dir, 'tmp'), { recursive: true });
    for (const name of await listDir(join(dir, 'buckets'))) {
      const meta = JSON.parse(await readFile(join(dir, 'buckets', name), 'utf8')) as BucketMeta;
      store.buckets.set(meta.name, meta);
      const index = new Map<string, ObjectMeta>();
      for (const file of await listDir(join(dir, 'objects', meta.name))) {
        const object = JSON.parse(
          await readFile(join(dir, 'objects', meta.name, file), 'utf8'),
        ) as ObjectMeta;
        index.set(object.key, object);
        store.used += object.size;
      }
      store.objects.set(meta.name, index);
    }
    return store;
  }

  /** A fresh path inside the store's temp folder (same filesystem, so renames are atomic). */
  tempPath(): string {
    return join(this.dir, 'tmp', randomBytes(12).toString('hex'));
  }

  /** Bytes currently held by objects and parts. */
  get usedBytes(): number {
    return this.used;
  }

  /** Adds (or with a negative number removes) bytes from the usage count. */
  adjustUsedBytes(delta: number): void {
    this.used += delta;
  }

  /** Creates the bucket if missing; an explicit `acl` replaces the stored one. */
  async ensureBucket(name: string, acl: BucketAcl | undefined, now: number): Promise<BucketMeta> {
    const existing = this.buckets.get(name);
    const meta: BucketMeta = {
      name,
      acl: acl ?? existing?.acl ?? 'private',
      created: existing?.created ?? now,
    };
    this.buckets.set(name, meta);
    if (!this.objects.has(name)) this.objects.set(name, new Map());
    await mkdir(join(this.dir, 'objects', name), { recursive: true });
    await writeJsonAtomic(join(this.dir, 'buckets', `${name}.json`), meta, join(this.dir, 'tmp'));
    return meta;
  }

  /** The bucket, or `undefined`. */
  bucket(name: string): BucketMeta | undefined {
    return this.buckets.get(name);
  }

  /** All bucket names, sorted. */
  bucketNames(): string[] {
    return [...this.buckets.keys()].sort();
  }

  /** The object's metadata, or `undefined`. */
  getObject(bucket: string, key: string): ObjectMeta | undefined {
    return this.objects.get(bucket)?.get(key);
  }

  /** Keys of a bucket in code-unit order, as listings compare them (cached until the next write). */
  keys(bucket: string): string[] {
    let keys = this.sortedKeys.get(bucket);
    if (!keys) {
      keys = [...(this.objects.get(bucket)?.keys() ?? [])].sort();
      this.sortedKeys.set(bucket, keys);
    }
    return keys;
  }

  /** Moves a finished temp file into the data folder and returns its segment. */
  async adoptFile(tempFile: string, size: number): Promise<Segment> {
    const file = join(this.dir, 'data', randomBytes(12).toString('hex'));
    await rename(tempFile, file);
    return { file, size };
  }

  /** Copies segments into new data files (CopyObject), so source and copy live independently. */
  async copySegments(segments: readonly Segment[]): Promise<Segment[]> {
    const copies: Segment[] = [];
    for (const segment of segments) {
      const file = join(this.dir, 'data', randomBytes(12).toString('hex'));
      await copyFile(segment.file, file);
      copies.push({ file, size: segment.size });
    }
    return copies;
  }

  /**
   * Stores (or replaces) an object whose segments are already in the data folder. With `forbidOverwrite`,
   * the existence check and the index update happen in one synchronous step, so of two concurrent writers
   * of a new key exactly one wins and the other gets FileAlreadyExists (its segments are removed).
   */
  async putObject(
    bucket: string,
    meta: ObjectMeta,
    options: { forbidOverwrite?: boolean } = {},
  ): Promise<void> {
    const index = this.objects.get(bucket);
    if (!index) throw new Error(`no bucket ${bucket}`);
    const previous = index.get(meta.key);
    if (options.forbidOverwrite && previous) {
      await this.removeSegments(meta.segments);
      throw new OssError('FileAlreadyExists', { extra: { Key: meta.key } });
    }
    index.set(meta.key, meta);
    this.used += meta.size - (previous?.size ?? 0);
    if (!previous) this.sortedKeys.delete(bucket);
    await writeJsonAtomic(
      join(this.dir, 'objects', bucket, `${hashName(meta.key)}.json`),
      meta,
      join(this.dir, 'tmp'),
    );
    if (previous) await this.removeSegments(previous.segments);
  }

  /** Deletes an object; a missing key is not an error. */
  async deleteObject(bucket: string, key: string): Promise<void> {
    const index = this.objects.get(bucket);
    const previous = index?.get(key);
    if (!index || !previous) return;
    index.delete(key);
    this.sortedKeys.delete(bucket);
    this.used -= previous.size;
    await rm(join(this.dir, 'objects', bucket, `${hashName(key)}.json`), { force: true });
    await this.removeSegments(previous.segments);
  }

  /** Removes data files that no object references any more. */
  async removeSegments(segments: readonly Segment[]): Promise<void> {
    for (const segment of segments) await rm(segment.file, { force: true });
  }
}
