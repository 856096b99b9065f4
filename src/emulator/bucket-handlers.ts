// Bucket-level reads: ListObjects (V1), ListObjectsV2, GetBucketInfo, GetBucketAcl,
// GetBucketLocation and ListBuckets (oss-protocol.md §2.12, §3.5 item 5).
import type { Exchange } from './exchange.js';
import type { EmulatorState } from './handler-context.js';
import { encodeForXml } from './object-fields.js';
import { encodingTypeOf, intQueryValue, queryValue } from './query.js';
import type { ObjectMeta } from './store.js';
import { toXml, type XmlElement } from './xml-writer.js';

const OWNER = { ID: 'emulator', DisplayName: 'emulator' };

/** One page of a listing: objects and common prefixes in key order, and the marker to resume after. */
export interface ListPage {
  objects: ObjectMeta[];
  prefixes: string[];
  truncated: boolean;
  nextMarker: string;
}

/** Lists `keys` (sorted) after `after`, grouping by `delimiter`; each object or prefix counts toward `maxKeys`. */
export function listPage(
  keys: readonly string[],
  lookup: (key: string) => ObjectMeta | undefined,
  options: { prefix: string; delimiter: string; after: string; maxKeys: number },
): ListPage {
  const page: ListPage = { objects: [], prefixes: [], truncated: false, nextMarker: '' };
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (keys[mid]! <= options.after) low = mid + 1;
    else high = mid;
  }
  let lastPrefix = options.after;
  for (let i = low; i < keys.length; i++) {
    const key = keys[i]!;
    if (!key.startsWith(options.prefix)) {
      if (key > options.prefix) break;
      continue;
    }
    const cut = options.delimiter === '' ? -1 : key.indexOf(options.delimiter, options.prefix.length);
    const common = cut < 0 ? undefined : key.slice(0, cut + options.delimiter.length);
    if (common !== undefined && common === lastPrefix) continue;
    if (page.objects.length + page.prefixes.length >= options.maxKeys) {
      page.truncated = true;
      break;
    }
    if (common !== undefined) {
      page.prefixes.push(common);
      lastPrefix = common;
      page.nextMarker = common;
    } else {
      const meta = lookup(key);
      if (meta) page.objects.push(meta);
      page.nextMarker = key;
    }
  }
  return page;
}

function contents(ex: Exchange, page: ListPage, withOwner: boolean): XmlElement[] {
  return page.objects.map((o) => ({
    Key: encodeForXml(ex, o.key),
    LastModified: new Date(o.lastModified).toISOString(),
    ETag: o.etag,
    Type: o.objectType,
    Size: o.size,
    StorageClass: o.storageClass,
    Owner: withOwner ? OWNER : undefined,
  }));
}

function run(
  ex: Exchange,
  state: EmulatorState,
  after: string,
): { page: ListPage; prefix: string; delimiter: string; maxKeys: number } {
  const prefix = queryValue(ex.query, 'prefix') ?? '';
  const delimiter = queryValue(ex.query, 'delimiter') ?? '';
  const maxKeys = intQueryValue(ex.query, 'max-keys', 100, 1, 1000);
  const bucket = ex.bucket!;
  const page = listPage(state.objects.keys(bucket), (k) => state.objects.getObject(bucket, k), {
    prefix,
    delimiter,
    after,
    maxKeys,
  });
  return { page, prefix, delimiter, maxKeys };
}

/** GET /?list-type=2: prefix, delimiter, max-keys, continuation-token, start-after, encoding-type=url. */
export async function listObjectsV2(ex: Exchange, state: EmulatorState): Promise<void> {
  const token = queryValue(ex.query, 'continuation-token');
  const startAfter = queryValue(ex.query, 'start-after') ?? '';
  const after = token ? Buffer.from(token, 'base64url').toString('utf8') : startAfter;
  const { page, prefix, delimiter, maxKeys } = run(ex, state, after);
  const xml = toXml('ListBucketResult', {
    Name: ex.bucket,
    Prefix: encodeForXml(ex, prefix),
    StartAfter: startAfter === '' ? undefined : encodeForXml(ex, startAfter),
    ContinuationToken: token || undefined,
    MaxKeys: maxKeys,
    Delimiter: delimiter === '' ? undefined : encodeForXml(ex, delimiter),
    EncodingType: encodingTypeOf(ex.query),
    IsTruncated: page.truncated,
    NextContinuationToken: page.truncated ? Buffer.from(page.nextMarker).toString('base64url') : undefined,
    KeyCount: page.objects.length + page.prefixes.length,
    Contents: contents(ex, page, queryValue(ex.query, 'fetch-owner') === 'true'),
    CommonPrefixes: page.prefixes.map((p): XmlElement => ({ Prefix: encodeForXml(ex, p) })),
  });
  await ex.sendXml(xml);
}

/** GET / on a bucket: ListObjects V1 with marker, prefix, delimiter, max-keys, encoding-type=url. */
export async function listObjects(ex: Exchange, state: EmulatorState): Promise<void> {
  const marker = queryValue(ex.query, 'marker') ?? '';
  const { page, prefix, delimiter, maxKeys } = run(ex, state, marker);
  const xml = toXml('ListBucketResult', {
    Name: ex.bucket,
    Prefix: encodeForXml(ex, prefix),
    Marker: encodeForXml(ex, marker),
    MaxKeys: maxKeys,
    Delimiter: encodeForXml(ex, delimiter),
    EncodingType: encodingTypeOf(ex.query),
    IsTruncated: page.truncated,
    NextMarker: page.truncated ? encodeForXml(ex, page.nextMarker) : undefined,
    Contents: contents(ex, page, true),
    CommonPrefixes: page.prefixes.map((p): XmlElement => ({ Prefix: encodeForXml(ex, p) })),
  });
  await ex.sendXml(xml);
}

/** GET /?bucketInfo: name, region, endpoints, ACL and BlockPublicAccess (always false here). */
export async function getBucketInfo(ex: Exchange, state: EmulatorState): Promise<void> {
  const bucket = state.objects.bucket(ex.bucket!)!;
  const xml = toXml('BucketInfo', {
    Bucket: {
      AccessMonitor: 'Disabled',
      CreationDate: new Date(bucket.created).toISOString(),
      ExtranetEndpoint: `oss-${state.region}.aliyuncs.com`,
      IntranetEndpoint: `oss-${state.region}-internal.aliyuncs.com`,
      Location: `oss-${state.region}`,
      StorageClass: 'Standard',
      TransferAcceleration: 'Disabled',
      CrossRegionReplication: 'Disabled',
      Name: bucket.name,
      Owner: OWNER,
      AccessControlList: { Grant: bucket.acl },
      BlockPublicAccess: false,
      Comment: '',
    },
  });
  await ex.sendXml(xml);
}

/** GET /?acl on a bucket. */
export async function getBucketAcl(ex: Exchange, state: EmulatorState): Promise<void> {
  const bucket = state.objects.bucket(ex.bucket!)!;
  await ex.sendXml(toXml('AccessControlPolicy', { Owner: OWNER, AccessControlList: { Grant: bucket.acl } }));
}

/** GET /?location. */
export async function getBucketLocation(ex: Exchange, state: EmulatorState): Promise<void> {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint>oss-${state.region}</LocationConstraint>\n`;
  await ex.sendXml(xml);
}

/** GET / on the service: every bucket. */
export async function listBuckets(ex: Exchange, state: EmulatorState): Promise<void> {
  const buckets = state.objects.bucketNames().map(
    (name): XmlElement => ({
      CreationDate: new Date(state.objects.bucket(name)!.created).toISOString(),
      ExtranetEndpoint: `oss-${state.region}.aliyuncs.com`,
      IntranetEndpoint: `oss-${state.region}-internal.aliyuncs.com`,
      Location: `oss-${state.region}`,
      Name: name,
      Region: state.region,
      StorageClass: 'Standard',
    }),
  );
  await ex.sendXml(toXml('ListAllMyBucketsResult', { Owner: OWNER, Buckets: { Bucket: buckets } }));
}
