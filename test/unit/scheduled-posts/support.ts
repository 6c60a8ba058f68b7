import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Db } from '../../../src/db/client.js';
import { FeedFetcher, type FeedFetcherOptions } from '../../../src/domain/feeds/fetcher.js';
import { GuildSettingsService } from '../../../src/domain/guild-settings.js';
import type { PostMessage } from '../../../src/domain/posts/message.js';
import { createScheduledPostsServices, type ScheduledPostsServices } from '../../../src/domain/posts/index.js';
import { PublishError, type PostPublisher } from '../../../src/domain/posts/outbox.js';
import type { TeamDigestSource } from '../../../src/domain/posts/team-digest.js';
import { createLogger } from '../../../src/logger.js';
import { createTestDb, FakeClock } from '../../support/test-db.js';

export const GUILD = '100000000000000001';
export const OTHER_GUILD = '100000000000000002';
export const ADMIN = '200000000000000001';
export const MODERATOR = '200000000000000002';
export const CHANNEL = '300000000000000001';
export const MODLOG = '300000000000000009';

export interface World extends ScheduledPostsServices {
  db: Db;
  clock: FakeClock;
  settings: GuildSettingsService;
}

export function world(options: { fetcher?: Partial<FeedFetcherOptions>; digests?: TeamDigestSource } = {}): World {
  const db = createTestDb();
  const clock = new FakeClock();
  const logger = createLogger('silent');
  const settings = new GuildSettingsService(db, clock);
  const posts = createScheduledPostsServices(db, clock, logger, settings, {
    fetcher: new FeedFetcher({ allowPrivateHosts: true, ...options.fetcher }),
    digests: options.digests,
  });
  return { db, clock, settings, ...posts };
}

/** A publisher standing in for Discord: records sends; honours nonces the way Discord does. */
export class FakePublisher implements PostPublisher {
  readonly sends: { channelId: string; message: PostMessage; nonce: string }[] = [];
  /** Messages that exist in the "channel", one per distinct nonce. */
  readonly messages = new Map<string, { id: string; channelId: string; message: PostMessage }>();
  /** Scripted failures, consumed one per send. */
  readonly failures: PublishError[] = [];
  /** Fail after the message is created (a lost response): the worst case for duplicates. */
  loseResponses = 0;
  private nextId = 1;

  async send(channelId: string, message: PostMessage, nonce: string): Promise<{ messageId: string }> {
    this.sends.push({ channelId, message, nonce });
    const failure = this.failures.shift();
    if (failure) throw failure;
    let created = this.messages.get(nonce);
    if (!created) {
      created = { id: String(this.nextId++), channelId, message };
      this.messages.set(nonce, created);
    }
    if (this.loseResponses > 0) {
      this.loseResponses--;
      throw new PublishError('socket hang up', true);
    }
    return { messageId: created.id };
  }

  async findSent(_channelId: string, _message: PostMessage, nonce: string): Promise<string | null> {
    return this.messages.get(nonce)?.id ?? null;
  }
}

export type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** A local HTTP server for feeds; `routes` can be changed between requests. */
export class FeedServer {
  readonly routes = new Map<string, Handler>();
  readonly requests: { path: string; headers: IncomingMessage['headers'] }[] = [];
  private server: Server | undefined;
  port = 0;

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      this.requests.push({ path: request.url ?? '/', headers: request.headers });
      const handler = this.routes.get(request.url ?? '/');
      if (!handler) {
        response.writeHead(404).end('not found');
        return;
      }
      handler(request, response);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

export interface RssItem {
  title: string;
  link?: string;
  guid?: string;
  date?: string;
  description?: string;
}

export function rss(items: RssItem[], title = 'Rights Watch'): string {
  const entries = items
    .map(
      (item) =>
        `<item><title>${item.title}</title>${item.link ? `<link>${item.link}</link>` : ''}${item.guid ? `<guid isPermaLink="false">${item.guid}</guid>` : ''}${
          item.date ? `<pubDate>${item.date}</pubDate>` : ''
        }<description>${item.description ?? `About ${item.title}`}</description></item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>${title}</title><link>https://example.org/</link><description>News</description>${entries}</channel></rss>`;
}

export function atom(entries: { id: string; title: string; link: string; updated: string; summary?: string }[], title = 'Atom Watch'): string {
  const body = entries
    .map(
      (entry) =>
        `<entry><id>${entry.id}</id><title>${entry.title}</title><link rel="alternate" href="${entry.link}"/><updated>${entry.updated}</updated><summary>${entry.summary ?? entry.title}</summary></entry>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>${title}</title><id>urn:atom-watch</id><updated>2026-11-23T10:00:00Z</updated>${body}</feed>`;
}

/** Serves a body with an ETag, answering 304 to a matching If-None-Match. */
export function servesWithEtag(body: () => string, contentType = 'application/rss+xml'): Handler {
  return (request, response) => {
    const text = body();
    const etag = `"${Buffer.from(text).toString('base64').slice(-16)}"`;
    if (request.headers['if-none-match'] === etag) {
      response.writeHead(304, { etag }).end();
      return;
    }
    response.writeHead(200, { 'content-type': contentType, etag }).end(text);
  };
}
