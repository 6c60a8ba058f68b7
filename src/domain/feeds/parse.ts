import { createHash } from 'node:crypto';
import { parseFeed, type AnyFeed } from 'feedsmith';
import { clip, plainText } from '../posts/message.js';

/** One feed entry, reduced to what a post needs, with a stable key for deduplication. */
export interface ParsedItem {
  /** guid (RSS) / id (Atom, JSON Feed), else the link, else a hash of title and date. */
  key: string;
  title: string;
  link: string | null;
  summary: string | null;
  publishedAt: number | null;
}

export interface ParsedFeed {
  format: AnyFeed['format'];
  title: string | null;
  items: ParsedItem[];
}

export class NotAFeedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotAFeedError';
  }
}

const MAX_KEY = 300;
const MAX_ITEMS = 200;

type Text = string | { value?: string } | undefined;

const textOf = (value: Text): string => (typeof value === 'string' ? value : (value?.value ?? ''));

function httpLink(value: string | undefined | null): string | null {
  if (!value) return null;
  try {
    const url = new URL(value.trim());
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

function dateOf(value: unknown): number | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

function keyOf(id: string | undefined | null, link: string | null, title: string, published: number | null): string {
  const raw = id?.trim() || link || '';
  if (raw !== '') return raw.length <= MAX_KEY ? raw : `sha256:${createHash('sha256').update(raw).digest('hex')}`;
  return `sha256:${createHash('sha256').update(`${title}\n${published ?? ''}`).digest('hex')}`;
}

function item(id: string | undefined, rawLink: string | undefined, rawTitle: string, rawSummary: string | undefined, published: unknown): ParsedItem | null {
  const link = httpLink(rawLink);
  const title = clip(plainText(rawTitle), 250);
  const summary = rawSummary ? clip(plainText(rawSummary), 600) : '';
  const publishedAt = dateOf(published);
  if (title === '' && summary === '' && link === null) return null;
  return { key: keyOf(id, link, title, publishedAt), title: title || summary.slice(0, 100) || (link ?? ''), link, summary: summary || null, publishedAt };
}

/** Parses RSS 2.0, Atom, RDF (RSS 1.0) and JSON Feed; anything else is NotAFeedError. */
export function parseFeedText(body: string): ParsedFeed {
  let parsed: AnyFeed;
  try {
    parsed = parseFeed(body);
  } catch (error) {
    throw new NotAFeedError(error instanceof Error ? error.message.slice(0, 100) : 'unrecognized');
  }
  const items: (ParsedItem | null)[] = [];
  let title: string | null = null;
  switch (parsed.format) {
    case 'rss':
      title = parsed.feed.title ?? null;
      for (const entry of parsed.feed.items ?? []) {
        const guid = entry.guid?.value;
        items.push(item(guid, entry.link ?? (entry.guid?.isPermaLink !== false ? guid : undefined), entry.title ?? '', entry.description ?? entry.content?.encoded, entry.pubDate ?? entry.dc?.dates?.[0]));
      }
      break;
    case 'atom':
      title = textOf(parsed.feed.title) || null;
      for (const entry of parsed.feed.entries ?? []) {
        const links = entry.links ?? [];
        const link = (links.find((candidate) => !candidate.rel || candidate.rel === 'alternate') ?? links[0])?.href;
        items.push(item(entry.id, link, textOf(entry.title), textOf(entry.summary) || textOf(entry.content), entry.published ?? entry.updated));
      }
      break;
    case 'rdf':
      title = parsed.feed.title ?? null;
      for (const entry of parsed.feed.items ?? []) {
        items.push(item(entry.rdf?.about, entry.link, entry.title ?? '', entry.description, entry.dc?.dates?.[0]));
      }
      break;
    case 'json':
      title = parsed.feed.title ?? null;
      for (const entry of parsed.feed.items ?? []) {
        items.push(item(entry.id, entry.url ?? entry.external_url, entry.title ?? '', entry.summary ?? entry.content_text ?? entry.content_html, entry.date_published));
      }
      break;
  }
  // One key once: a feed that repeats an entry still yields it a single time.
  const seen = new Set<string>();
  const unique = items.filter((entry): entry is ParsedItem => {
    if (!entry || seen.has(entry.key)) return false;
    seen.add(entry.key);
    return true;
  });
  return { format: parsed.format, title: title ? clip(plainText(title), 200) : null, items: unique.slice(0, MAX_ITEMS) };
}

/**
 * Newest first: by date when every item has one, else the feed's own order (feeds list newest
 * first by convention).
 */
export function newestFirst(items: readonly ParsedItem[]): ParsedItem[] {
  if (items.length > 0 && items.every((entry) => entry.publishedAt !== null)) {
    return [...items].sort((a, b) => (b.publishedAt ?? 0) - (a.publishedAt ?? 0));
  }
  return [...items];
}
