// Multipart uploads on disk: one folder per upload id with its initiate-time object template and
// one data file + JSON per part. Reloaded on start; completing moves part files into the object store.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ObjectMeta, ObjectStore } from './store.js';

/** One uploaded part. */
export interface PartMeta {
  partNumber: number;
  size: number;
  /** Quoted uppercase hex MD5. */
  etag: string;
  md5Hex: string;
  crc64: string;
  lastModified: number;
  file: string;
}

/** Object fields fixed at InitiateMultipartUpload. */
export type ObjectTemplate = Pick<
  ObjectMeta,
  'contentType' | 'headers' | 'userMeta' | 'storageClass' | 'acl'
>;

/** An upload in progress. */
export interface UploadMeta {
  uploadId: string;
  bucket: string;
  key: string;
  initiated: number;
  forbidOverwrite: boolean;
  template: ObjectTemplate;
  parts: Map<number, PartMeta>;
}

type StoredUpload = Omit<UploadMeta, 'parts'>;

/** All multipart uploads of one store. Create with `UploadStore.open`. */
export class UploadStore {
  private readonly uploads = new Map<string, UploadMeta>();

  private constructor(private readonly objects: ObjectStore) {}

  /** Loads the uploads kept under the store's `uploads/` folder. */
  static async open(objects: ObjectStore): Promise<UploadStore> {
    const store = new UploadStore(objects);
    const root = join(objects.dir, 'uploads');
    for (const id of await readdir(root)) {
      const dir = join(root, id);
      let stored: StoredUpload;
      try {
        stored = JSON.parse(await readFile(join(dir, 'upload.json'), 'utf8')) as StoredUpload;
      } catch {
        await rm(dir, { recursive: true, force: true }); // an upload interrupted before its record was written
        continue;
      }
      const upload: UploadMeta = { ...stored, parts: new Map() };
      for (const name of await readdir(dir)) {
        if (!/^part-\d+\.json$/.test(name)) continue;
        const part = JSON.parse(await readFile(join(dir, name), 'utf8')) as PartMeta;
        upload.parts.set(part.partNumber, part);
        objects.adjustUsedBytes(part.size);
      }
      store.uploads.set(upload.uploadId, upload);
    }
    return store;
  }

  /** Starts an upload and returns it; the id is 32 uppercase hex characters, like OSS's. */
  async create(fields: Omit<StoredUpload, 'uploadId'>): Promise<UploadMeta> {
    const uploadId = randomBytes(16).toString('hex').toUpperCase();
    const upload: UploadMeta = { uploadId, ...fields, parts: new Map() };
    const dir = join(this.objects.dir, 'uploads', uploadId);
    await mkdir(dir, { recursive: true });
    const { parts: _parts, ...stored } = upload;
    await writeFile(join(dir, 'upload.json'), JSON.stringify(stored));
    this.uploads.set(uploadId, upload);
    return upload;
  }

  /** The upload if it exists and belongs to `bucket`/`key`. */
  get(bucket: string, key: string, uploadId: string): UploadMeta | undefined {
    const upload = this.uploads.get(uploadId);
    return upload && upload.bucket === bucket && upload.key === key ? upload : undefined;
  }

  /** Uploads of a bucket, sorted by key then initiation time. */
  list(bucket: string): UploadMeta[] {
    return [...this.uploads.values()]
      .filter((u) => u.bucket === bucket)
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.initiated - b.initiated));
  }

  /** Records a part from a finished temp file; re-sending a part number replaces the old part. */
  async putPart(upload: UploadMeta, part: Omit<PartMeta, 'file'>, tempFile: string): Promise<PartMeta> {
    const dir = join(this.objects.dir, 'uploads', upload.uploadId);
    const file = join(dir, `part-${part.partNumber}`);
    const previous = upload.parts.get(part.partNumber);
    if (!this.uploads.has(upload.uploadId)) {
      await rm(tempFile, { force: true }); // aborted while the body was streaming
      return { ...part, file };
    }
    await rename(tempFile, file);
    const stored: PartMeta = { ...part, file };
    await writeFile(join(dir, `part-${part.partNumber}.json`), JSON.stringify(stored));
    upload.parts.set(part.partNumber, stored);
    this.objects.adjustUsedBytes(part.size - (previous?.size ?? 0));
    return stored;
  }

  /** Removes an upload and all its part files (Abort, or after Complete moved the kept parts). */
  async remove(upload: UploadMeta): Promise<void> {
    this.uploads.delete(upload.uploadId);
    for (const part of upload.parts.values()) this.objects.adjustUsedBytes(-part.size);
    await rm(join(this.objects.dir, 'uploads', upload.uploadId), { recursive: true, force: true });
  }

  /**
   * Moves the chosen parts' files into the object data folder and drops the upload. The returned
   * segments are in the given order; unchosen parts are deleted.
   */
  async takeParts(upload: UploadMeta, chosen: readonly PartMeta[]): Promise<ObjectMeta['segments']> {
    const segments: ObjectMeta['segments'] = [];
    for (const part of chosen) segments.push(await this.objects.adoptFile(part.file, part.size));
    // The moved bytes now belong to the object; the object store counts them when it is put.
    for (const part of chosen) upload.parts.delete(part.partNumber);
    await this.remove(upload);
    for (const part of chosen) this.objects.adjustUsedBytes(-part.size);
    return segments;
  }
}
