import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Local RSS / Atom fixtures for feed tests (unit and end to end): a tiny HTTP server and feed builders. */
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
