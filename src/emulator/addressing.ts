// Finds the bucket and key of a request from its Host and path: path style on service hosts and IPs,
// virtual-hosted `<bucket>.<serviceHost>`, or a CNAME map. Facts: oss-protocol.md §2.1, §3.4, §3.5 item 1.
import { isIP } from 'node:net';
import { OssError } from './oss-error.js';

/** Addressing configuration of one emulator. */
export interface AddressingOptions {
  serviceHosts: readonly string[];
  cnames: Readonly<Record<string, string>>;
  /** Answer path-style bucket requests with 403 SecondLevelDomainForbidden, as real OSS does. */
  strictVirtualHost: boolean;
}

/** Where a request points. `key` is the decoded object key (`undefined` for bucket/service requests). */
export interface Address {
  style: 'path' | 'virtual' | 'cname';
  bucket: string | undefined;
  key: string | undefined;
}

/** The service hosts of §3.5 item 1 for a region, e.g. `oss-cn-hangzhou.aliyuncs.com`. */
export function defaultServiceHosts(region: string): string[] {
  return [
    'localhost',
    '127.0.0.1',
    `oss-${region}.aliyuncs.com`,
    `oss-${region}-internal.aliyuncs.com`,
    `${region}.oss.aliyuncs.com`,
    'oss-accelerate.aliyuncs.com',
    'oss-accelerate-overseas.aliyuncs.com',
  ];
}

/** Strips the port (and IPv6 brackets) from a Host header value and lowercases it. */
export function hostName(hostHeader: string): string {
  const host = hostHeader.trim().toLowerCase();
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']'));
  const colon = host.lastIndexOf(':');
  return colon >= 0 && host.indexOf(':') === colon ? host.slice(0, colon) : host;
}

function decodePath(rawPath: string): string {
  try {
    return decodeURIComponent(rawPath); // a path never treats `+` as a space (§2.2)
  } catch {
    throw new OssError('InvalidURI');
  }
}

/** Resolves bucket and key; throws `InvalidURI` or `SecondLevelDomainForbidden`. */
export function resolveAddress(hostHeader: string, rawPath: string, options: AddressingOptions): Address {
  const host = hostName(hostHeader);
  const path = decodePath(rawPath);
  const afterSlash = path.startsWith('/') ? path.slice(1) : path;
  const keyOf = (text: string): string | undefined => (text === '' ? undefined : text);
  const cname = options.cnames[host];
  if (cname !== undefined) return { style: 'cname', bucket: cname, key: keyOf(afterSlash) };
  const isService = isIP(host) !== 0 || options.serviceHosts.includes(host);
  if (!isService) {
    const suffix = options.serviceHosts.find((service) => host.endsWith(`.${service}`));
    const label = suffix ? host.slice(0, -suffix.length - 1) : host.split('.')[0];
    // Unknown hosts (e.g. ali-oss rewriting Host to another region's domain) use the first label (§3.4).
    if (label && !label.includes('.') && (suffix || host.includes('.'))) {
      return { style: 'virtual', bucket: label, key: keyOf(afterSlash) };
    }
  }
  if (afterSlash === '') return { style: 'path', bucket: undefined, key: undefined };
  const slash = afterSlash.indexOf('/');
  const bucket = slash < 0 ? afterSlash : afterSlash.slice(0, slash);
  if (options.strictVirtualHost) throw new OssError('SecondLevelDomainForbidden');
  return { style: 'path', bucket, key: slash < 0 ? undefined : keyOf(afterSlash.slice(slash + 1)) };
}
