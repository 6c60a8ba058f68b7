import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { isPrivateAddress } from './address-policy.js';

/** Why a fetch failed; each code has a localized explanation under `feed.fetchErrors.<code>`. */
export type FetchErrorCode =
  | 'invalid-url'
  | 'private-host'
  | 'dns'
  | 'timeout'
  | 'too-large'
  | 'http-status'
  | 'too-many-redirects'
  | 'bad-redirect'
  | 'network';

export class FeedFetchError extends Error {
  constructor(
    readonly code: FetchErrorCode,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'FeedFetchError';
  }
}

export interface FetchOptions {
  etag?: string | null;
  lastModified?: string | null;
}

export type FetchResult =
  | { status: 'not-modified'; finalUrl: string }
  | { status: 'ok'; finalUrl: string; body: string; etag: string | null; lastModified: string | null };

export interface FeedFetcherOptions {
  /** Tests serve feeds from 127.0.0.1; production refuses every non-public address. */
  allowPrivateHosts: boolean;
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  userAgent?: string;
  /** Which addresses are refused (default: every non-public one). A seam for tests. */
  isBlockedAddress?: (address: string) => boolean;
  /** Name resolution (default: the system resolver). A seam for tests. */
  resolve?: (hostname: string, family: number, callback: (error: Error | null, addresses: LookupAddress[]) => void) => void;
}

export const FEED_FETCH_DEFAULTS = { timeoutMs: 10_000, maxBytes: 2 * 1024 * 1024, maxRedirects: 5 } as const;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Fetches a feed over http(s) with a deadline, a size cap (also after decompression), conditional
 * headers and manual redirects. The host's addresses are checked in the socket's own DNS lookup,
 * so the address that is checked is the address that is connected to (no DNS-rebinding gap), and
 * every redirect hop is checked again.
 */
export class FeedFetcher {
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly maxRedirects: number;
  private readonly userAgent: string;
  private readonly blocked: (address: string) => boolean;

  constructor(private readonly options: FeedFetcherOptions) {
    this.timeoutMs = options.timeoutMs ?? FEED_FETCH_DEFAULTS.timeoutMs;
    this.maxBytes = options.maxBytes ?? FEED_FETCH_DEFAULTS.maxBytes;
    this.maxRedirects = options.maxRedirects ?? FEED_FETCH_DEFAULTS.maxRedirects;
    this.userAgent = options.userAgent ?? 'HelpMeLeaveBot/1.0 (+https://www.helpmeleave.us; feed reader)';
    const isBlocked = options.isBlockedAddress ?? isPrivateAddress;
    this.blocked = (address) => !options.allowPrivateHosts && isBlocked(address);
  }

  /** Parses and checks a URL without fetching: http(s), no credentials, a literal IP must be public. */
  checkUrl(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw.trim());
    } catch {
      throw new FeedFetchError('invalid-url', 'not a URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FeedFetchError('invalid-url', 'only http and https');
    if (url.username || url.password) throw new FeedFetchError('invalid-url', 'credentials in URL');
    if (url.href.length > 512) throw new FeedFetchError('invalid-url', 'URL too long');
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (host === '' || host.toLowerCase() === 'localhost' || host.toLowerCase().endsWith('.localhost')) {
      if (!this.options.allowPrivateHosts) throw new FeedFetchError('private-host', 'local host name');
    }
    // A literal IP never goes through the lookup below, so it is checked here.
    if (isIP(host) && this.blocked(host)) throw new FeedFetchError('private-host', 'non-public address');
    return url;
  }

  async fetch(raw: string, conditional: FetchOptions = {}): Promise<FetchResult> {
    const deadline = Date.now() + this.timeoutMs;
    let url = this.checkUrl(raw);
    for (let hop = 0; hop <= this.maxRedirects; hop++) {
      const response = await this.request(url, conditional, deadline);
      const statusCode = response.statusCode ?? 0;
      if (REDIRECTS.has(statusCode)) {
        const location = response.headers.location;
        // Bodies we do not read are destroyed, not drained: the deadline timer is already cleared,
        // so a drained body could stream without limit.
        response.destroy();
        if (!location) throw new FeedFetchError('http-status', 'redirect without location', statusCode);
        url = this.checkUrl(resolveLocation(location, url));
        continue;
      }
      if (statusCode === 304) {
        response.destroy();
        return { status: 'not-modified', finalUrl: url.href };
      }
      if (statusCode < 200 || statusCode >= 300) {
        response.destroy();
        throw new FeedFetchError('http-status', `HTTP ${statusCode}`, statusCode);
      }
      const body = await this.readBody(response, deadline);
      return {
        status: 'ok',
        finalUrl: url.href,
        body,
        etag: headerValue(response.headers.etag),
        lastModified: headerValue(response.headers['last-modified']),
      };
    }
    throw new FeedFetchError('too-many-redirects', 'too many redirects');
  }

  private lookup(): LookupFunction {
    const resolve =
      this.options.resolve ??
      ((hostname: string, family: number, done: (error: Error | null, addresses: LookupAddress[]) => void) =>
        dnsLookup(hostname, { all: true, family }, (error, addresses) => done(error, addresses ?? [])));
    return (hostname, options, callback) => {
      resolve(hostname, Number(options.family ?? 0), (error, addresses) => {
        if (error) return callback(new FeedFetchError('dns', (error as NodeJS.ErrnoException).code ?? 'lookup failed'), '', 0);
        const list = addresses ?? [];
        if (list.length === 0) return callback(new FeedFetchError('dns', 'no address'), '', 0);
        // Every address must be public: a host that resolves to one private address is refused.
        if (list.some((entry) => this.blocked(entry.address))) {
          return callback(new FeedFetchError('private-host', 'resolves to a non-public address'), '', 0);
        }
        if (options.all) return (callback as unknown as (err: null, list: LookupAddress[]) => void)(null, list);
        const first = list[0]!;
        callback(null, first.address, first.family);
      });
    };
  }

  private request(url: URL, conditional: FetchOptions, deadline: number): Promise<IncomingMessage> {
    const client = url.protocol === 'https:' ? https : http;
    const headers: Record<string, string> = {
      'user-agent': this.userAgent,
      accept: 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5',
      'accept-encoding': 'gzip, deflate, br',
    };
    if (conditional.etag) headers['if-none-match'] = conditional.etag;
    if (conditional.lastModified) headers['if-modified-since'] = conditional.lastModified;
    return new Promise((resolve, reject) => {
      const remaining = deadline - Date.now();
      if (remaining <= 0) return reject(new FeedFetchError('timeout', 'timed out'));
      const request = client.request(url, { method: 'GET', headers, lookup: this.lookup(), timeout: remaining }, resolve);
      const timer = setTimeout(() => request.destroy(new FeedFetchError('timeout', 'timed out')), remaining);
      request.on('response', () => clearTimeout(timer));
      request.on('timeout', () => request.destroy(new FeedFetchError('timeout', 'timed out')));
      request.on('error', (error) => {
        clearTimeout(timer);
        reject(error instanceof FeedFetchError ? error : new FeedFetchError('network', networkReason(error)));
      });
      request.end();
    });
  }

  private readBody(response: IncomingMessage, deadline: number): Promise<string> {
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && declared > this.maxBytes) {
      response.destroy();
      return Promise.reject(new FeedFetchError('too-large', `declared ${declared} bytes`));
    }
    const encoding = String(response.headers['content-encoding'] ?? '').toLowerCase();
    const stream =
      encoding === 'gzip' || encoding === 'x-gzip'
        ? response.pipe(createGunzip())
        : encoding === 'deflate'
          ? response.pipe(createInflate())
          : encoding === 'br'
            ? response.pipe(createBrotliDecompress())
            : response;
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let settled = false;
      const fail = (error: FeedFetchError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        response.destroy();
        if (stream !== response) stream.destroy();
        reject(error);
      };
      const timer = setTimeout(() => fail(new FeedFetchError('timeout', 'timed out while reading')), Math.max(0, deadline - Date.now()));
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        // Counted after decompression, so a small compressed bomb is stopped too.
        if (size > this.maxBytes) return fail(new FeedFetchError('too-large', `over ${this.maxBytes} bytes`));
        chunks.push(chunk);
      });
      stream.on('error', (error) => fail(new FeedFetchError('network', networkReason(error))));
      response.on('error', (error) => fail(new FeedFetchError('network', networkReason(error))));
      stream.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(decodeBody(Buffer.concat(chunks), String(response.headers['content-type'] ?? '')));
      });
    });
  }
}

/** The redirect target, or a counted failure for a Location that is not a URL (never a raw TypeError). */
function resolveLocation(location: string, base: URL): string {
  try {
    return new URL(location, base).href;
  } catch {
    throw new FeedFetchError('bad-redirect', 'malformed Location header');
  }
}

function headerValue(value: string | string[] | undefined): string | null {
  if (Array.isArray(value)) return value[0] ?? null;
  return value && value.length <= 512 ? value : null;
}

function networkReason(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code ?? error.message.slice(0, 100);
}

/** Body text in the charset the server or the XML declaration names (UTF-8 by default). */
function decodeBody(buffer: Buffer, contentType: string): string {
  const fromHeader = /charset=["']?([\w-]+)/i.exec(contentType)?.[1];
  const head = buffer.subarray(0, 200).toString('latin1');
  const fromXml = /<\?xml[^>]*encoding=["']([\w-]+)["']/i.exec(head)?.[1];
  const charset = (fromHeader ?? fromXml ?? 'utf-8').toLowerCase();
  try {
    return new TextDecoder(charset).decode(buffer);
  } catch {
    return new TextDecoder('utf-8').decode(buffer);
  }
}
