import { fileURLToPath, isNode, join, readFile, resolve } from '#platform';

/** Where a bundle's files come from: a folder (Node) or a base URL (fetch, anywhere). */
export interface BundleSource {
  /** The folder's path or the base URL, for messages. */
  readonly location: string;
  /** How messages name one of the bundle's files. */
  where(name: string): string;
  /** The file's bytes; throws when it is missing or unreadable. */
  read(name: string): Promise<Uint8Array>;
}

const URL_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

function folderSource(dir: string): BundleSource {
  const root = resolve(dir);
  return { location: root, where: (name) => join(root, name), read: (name) => readFile(join(root, name)) };
}

function urlSource(url: URL): BundleSource {
  // A base without its trailing slash would drop its last segment when names resolve against it.
  const base = url.href.endsWith('/') ? url : new URL(`${url.href}/`);
  const where = (name: string) => new URL(name, base).href;
  return {
    location: base.href,
    where,
    async read(name) {
      const response = await fetch(where(name));
      if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
      return new Uint8Array(await response.arrayBuffer());
    },
  };
}

/**
 * A bundle location as `loadBundle` takes it: a `URL`, an http(s) URL string, or a folder path
 * under Node. Outside Node a string that is not a full URL is taken relative to the page.
 */
export function bundleSource(location: string | URL): BundleSource {
  if (location instanceof URL) return location.protocol === 'file:' && isNode ? folderSource(fileURLToPath(location)) : urlSource(location);
  if (URL_SCHEME.test(location)) return bundleSource(new URL(location));
  if (isNode) return folderSource(location);
  const page = (globalThis as { location?: { href: string } }).location?.href;
  return urlSource(page === undefined ? new URL(location) : new URL(location, page));
}

/** Lower-case hex SHA-256 by Web Crypto, the same in Node (globalThis.crypto) and browsers. */
export async function sha256Hex(data: Uint8Array | string): Promise<string> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex;
}
