import { and, asc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { feedItems, feeds } from '../../db/schema/index.js';
import type { Language } from '../../i18n/index.js';
import type { Logger } from '../../logger.js';
import type { Clock } from '../clock.js';
import { DomainError } from '../errors.js';
import type { GuildSettingsService } from '../guild-settings.js';
import { bilingual, postLanguages } from '../posts/languages.js';
import { COLORS, escapeMarkdown, safeLinkUrl, sourceLink, type PostMessage } from '../posts/message.js';
import type { OutboxStore } from '../posts/outbox.js';
import { nextNumber, type DbOrTx } from '../posts/sequence.js';
import { foldText, parseKeywords } from '../posts/validation.js';
import type { ReviewDecision } from '../updates/update-service.js';
import { FeedFetchError, type FeedFetcher, type FetchErrorCode } from './fetcher.js';
import { newestFirst, NotAFeedError, parseFeedText, type ParsedItem } from './parse.js';

export type Feed = typeof feeds.$inferSelect;
export type FeedItem = typeof feedItems.$inferSelect;

export const FEED_POLICY = {
  /** A new feed posts at most this many of its newest items; the rest are recorded as seen. */
  firstFetchMax: 3,
  /** Later fetches post at most this many new items, so a feed that re-publishes everything cannot flood. */
  perFetchMax: 10,
  /** Consecutive failed fetches before a feed is turned off and the mod log told why. */
  maxFailures: 5,
  maxFeedsPerGuild: 20,
} as const;

export type FeedFailure = FetchErrorCode | 'not-a-feed';

/** i18n key suffix for each failure, under `feed.fetchErrors`. */
export const FAILURE_KEYS: Record<FeedFailure, string> = {
  'invalid-url': 'invalidUrl',
  'private-host': 'privateHost',
  dns: 'dns',
  timeout: 'timeout',
  'too-large': 'tooLarge',
  'http-status': 'httpStatus',
  'too-many-redirects': 'tooManyRedirects',
  'bad-redirect': 'badRedirect',
  network: 'network',
  'not-a-feed': 'notAFeed',
};

export interface NewFeed {
  guildId: string;
  url: string;
  channelId?: string | null;
  include?: string | null;
  exclude?: string | null;
  review?: boolean;
  createdBy: string;
}

export interface RecordSummary {
  queued: number;
  review: number;
  seen: number;
  filtered: number;
}

export interface RefreshOutcome extends RecordSummary {
  feedId: number;
  status: 'updated' | 'not-modified' | 'failed' | 'disabled';
  failure?: FeedFailure;
}

export interface TakenItem {
  item: FeedItem;
  feed: Feed;
}

const emptySummary = (): RecordSummary => ({ queued: 0, review: 0, seen: 0, filtered: 0 });

/**
 * RSS/Atom subscriptions. Items are deduplicated by (feed, key) in the database, so nothing is
 * posted twice, whatever the feed's order and across restarts. A failing feed is counted, then
 * turned off with a notice in the mod log; one feed's failure never stops the others.
 */
export class FeedService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly fetcher: FeedFetcher,
    private readonly settings: GuildSettingsService,
    private readonly outbox: OutboxStore,
  ) {}

  /** Checks, fetches once (reporting a broken URL to the admin) and records the current items. */
  async subscribe(input: NewFeed): Promise<{ feed: Feed; summary: RecordSummary; revived: boolean }> {
    let url: string;
    try {
      url = this.fetcher.checkUrl(input.url).href;
    } catch (error) {
      throw this.asDomainError(error, input.url);
    }
    const include = parseKeywords(input.include);
    const exclude = parseKeywords(input.exclude);
    const settings = this.settings.get(input.guildId);
    if (input.review && settings.modlogChannelId === null) throw new DomainError('posts.errors.noModlog');
    const existing = this.db
      .select()
      .from(feeds)
      .where(and(eq(feeds.guildId, input.guildId), eq(feeds.url, url)))
      .get();
    if (existing && existing.removedAt === null && existing.enabled) throw new DomainError('feed.errors.duplicate', { id: existing.number });
    const active = this.db
      .select({ n: sql<number>`count(*)` })
      .from(feeds)
      .where(and(eq(feeds.guildId, input.guildId), isNull(feeds.removedAt)))
      .get();
    if (!existing && (active?.n ?? 0) >= FEED_POLICY.maxFeedsPerGuild) {
      throw new DomainError('feed.errors.tooMany', { max: FEED_POLICY.maxFeedsPerGuild });
    }

    let body: string;
    let etag: string | null;
    let lastModified: string | null;
    try {
      const result = await this.fetcher.fetch(url);
      if (result.status !== 'ok') throw new FeedFetchError('http-status', 'unexpected 304', 304);
      ({ body, etag, lastModified } = result);
    } catch (error) {
      throw this.asDomainError(error, url);
    }
    let parsed;
    try {
      parsed = parseFeedText(body);
    } catch (error) {
      throw this.asDomainError(error, url);
    }

    const now = this.clock.now();
    const options = {
      channelId: input.channelId ?? null,
      include: include.length ? include.join(', ') : null,
      exclude: exclude.length ? exclude.join(', ') : null,
      review: input.review ?? false,
    };
    const result = this.db.transaction((tx) => {
      const feed = existing
        ? tx
            .update(feeds)
            .set({
              ...options,
              title: parsed.title,
              enabled: true,
              removedAt: null,
              disabledReason: null,
              consecutiveFailures: 0,
              lastError: null,
              etag,
              lastModified,
              lastFetchedAt: now,
              lastSuccessAt: now,
              createdBy: input.createdBy,
              updatedAt: now,
            })
            .where(eq(feeds.id, existing.id))
            .returning()
            .get()
        : tx
            .insert(feeds)
            .values({
              guildId: input.guildId,
              number: nextNumber(tx, input.guildId, 'feed'),
              url,
              title: parsed.title,
              ...options,
              enabled: true,
              etag,
              lastModified,
              lastFetchedAt: now,
              lastSuccessAt: now,
              createdBy: input.createdBy,
              createdAt: now,
              updatedAt: now,
            })
            .returning()
            .get();
      return { feed, summary: this.recordItems(tx, feed, parsed.items, FEED_POLICY.firstFetchMax) };
    });
    if (result.summary.review > 0) this.outbox.notify();
    this.logger.info({ guildId: input.guildId, feedId: result.feed.id, ...result.summary }, 'feed subscribed');
    return { ...result, revived: existing !== undefined };
  }

  list(guildId: string): Feed[] {
    return this.db
      .select()
      .from(feeds)
      .where(and(eq(feeds.guildId, guildId), isNull(feeds.removedAt)))
      .orderBy(asc(feeds.number))
      .all();
  }

  /** Counts of items per status for a feed (for /feed list). */
  itemCounts(feedId: number): Record<string, number> {
    const rows = this.db
      .select({ status: feedItems.status, n: sql<number>`count(*)` })
      .from(feedItems)
      .where(eq(feedItems.feedId, feedId))
      .groupBy(feedItems.status)
      .all();
    return Object.fromEntries(rows.map((row) => [row.status, row.n]));
  }

  /** Unsubscribes. The feed's items stay recorded, so adding the URL again never re-posts them. */
  remove(guildId: string, number: number): Feed {
    const removed = this.db.transaction((tx) => {
      const feed = tx
        .update(feeds)
        .set({ removedAt: this.clock.now(), enabled: false, updatedAt: this.clock.now() })
        .where(and(eq(feeds.guildId, guildId), eq(feeds.number, number), isNull(feeds.removedAt)))
        .returning()
        .get();
      if (!feed) return undefined;
      // Items not yet posted are dropped with the subscription.
      tx.update(feedItems)
        .set({ status: 'seen' })
        .where(and(eq(feedItems.feedId, feed.id), inArray(feedItems.status, ['queued', 'review'])))
        .run();
      return feed;
    });
    if (!removed) throw new DomainError('feed.errors.notFound', { id: number });
    return removed;
  }

  /** Fetches every enabled feed (of one guild, or all) not fetched within `olderThanMs`, one at a time. */
  async refreshDue(options: { guildId?: string; olderThanMs: number }): Promise<RefreshOutcome[]> {
    const cutoff = this.clock.now() - options.olderThanMs;
    const due = this.db
      .select()
      .from(feeds)
      .where(
        and(
          eq(feeds.enabled, true),
          isNull(feeds.removedAt),
          options.guildId ? eq(feeds.guildId, options.guildId) : undefined,
          or(isNull(feeds.lastFetchedAt), lt(feeds.lastFetchedAt, cutoff)),
        ),
      )
      .orderBy(asc(feeds.lastFetchedAt))
      .all();
    const outcomes: RefreshOutcome[] = [];
    for (const feed of due) {
      try {
        outcomes.push(await this.refresh(feed));
      } catch (error) {
        // Not the feed's fault (e.g. the database): log it and go on with the other feeds.
        this.logger.error({ err: error, guildId: feed.guildId, feedId: feed.id }, 'feed refresh failed');
      }
    }
    return outcomes;
  }

  /** One conditional fetch; never throws for a feed's own failure (it is counted instead). */
  async refresh(feed: Feed): Promise<RefreshOutcome> {
    try {
      const result = await this.fetcher.fetch(feed.url, { etag: feed.etag, lastModified: feed.lastModified });
      const now = this.clock.now();
      if (result.status === 'not-modified') {
        this.db
          .update(feeds)
          .set({ lastFetchedAt: now, lastSuccessAt: now, consecutiveFailures: 0, lastError: null })
          .where(eq(feeds.id, feed.id))
          .run();
        return { feedId: feed.id, status: 'not-modified', ...emptySummary() };
      }
      const parsed = parseFeedText(result.body);
      const summary = this.db.transaction((tx) => {
        const current = tx.select().from(feeds).where(eq(feeds.id, feed.id)).get();
        // Removed or disabled while we were fetching: record nothing.
        if (!current || !current.enabled || current.removedAt !== null) return null;
        tx.update(feeds)
          .set({
            etag: result.etag,
            lastModified: result.lastModified,
            title: parsed.title ?? current.title,
            lastFetchedAt: now,
            lastSuccessAt: now,
            consecutiveFailures: 0,
            lastError: null,
          })
          .where(eq(feeds.id, feed.id))
          .run();
        return this.recordItems(tx, current, parsed.items, FEED_POLICY.perFetchMax);
      });
      if (summary && summary.review > 0) this.outbox.notify();
      return { feedId: feed.id, status: 'updated', ...(summary ?? emptySummary()) };
    } catch (error) {
      const failure = failureOf(error);
      if (!failure) throw error;
      return this.recordFailure(feed, failure);
    }
  }

  /** Approve or reject a feed item waiting for review (one conditional UPDATE). */
  decide(guildId: string, itemId: number, decision: ReviewDecision, moderatorId: string): TakenItem {
    const item = this.db
      .update(feedItems)
      .set({ status: decision === 'approve' ? 'queued' : 'rejected', reviewedBy: moderatorId, reviewedAt: this.clock.now() })
      .where(and(eq(feedItems.guildId, guildId), eq(feedItems.id, itemId), eq(feedItems.status, 'review')))
      .returning()
      .get();
    if (!item) {
      const current = this.db
        .select()
        .from(feedItems)
        .where(and(eq(feedItems.guildId, guildId), eq(feedItems.id, itemId)))
        .get();
      if (!current) throw new DomainError('feed.errors.itemNotFound');
      throw new DomainError('posts.errors.alreadyDecided', { status: current.status });
    }
    const feed = this.db.select().from(feeds).where(eq(feeds.id, item.feedId)).get()!;
    return { item, feed };
  }

  /** Takes every queued item of a guild's live feeds for a run (inside its transaction), oldest first. */
  takeQueued(tx: DbOrTx, guildId: string, runId: number): TakenItem[] {
    const now = this.clock.now();
    const live = tx
      .select()
      .from(feeds)
      .where(and(eq(feeds.guildId, guildId), isNull(feeds.removedAt)))
      .all();
    if (live.length === 0) return [];
    const byId = new Map(live.map((feed) => [feed.id, feed]));
    const items = tx
      .update(feedItems)
      .set({ status: 'posted', postedAt: now, runId })
      .where(
        and(
          eq(feedItems.guildId, guildId),
          eq(feedItems.status, 'queued'),
          inArray(
            feedItems.feedId,
            live.map((feed) => feed.id),
          ),
        ),
      )
      .returning()
      .all();
    return items
      .sort((a, b) => (a.publishedAt ?? a.firstSeenAt) - (b.publishedAt ?? b.firstSeenAt) || a.id - b.id)
      .map((item) => ({ item, feed: byId.get(item.feedId)! }));
  }

  render({ item, feed }: TakenItem, defaultLanguage: Language | null): PostMessage {
    const languages = postLanguages(defaultLanguage);
    const source = item.link ?? feed.url;
    // Feed text is the feed owner's, not ours: escaped so it cannot format, mask links or mention.
    const link = safeLinkUrl(item.link);
    return {
      embeds: [
        {
          title: escapeMarkdown(item.title),
          url: link ?? undefined,
          description: item.summary ? escapeMarkdown(item.summary) : undefined,
          color: COLORS.feed,
          fields: [{ name: bilingual(languages, 'posts.feed.source'), value: sourceLink(source) }],
          footer: bilingual(languages, 'posts.feed.footer', { feed: feed.title ?? new URL(feed.url).hostname }),
        },
      ],
    };
  }

  digestBlock({ item, feed }: TakenItem): string {
    const link = safeLinkUrl(item.link);
    const title = link ? `**[${escapeMarkdown(item.title)}](${link})**` : `**${escapeMarkdown(item.title)}**`;
    const summary = item.summary ? `\n${escapeMarkdown(item.summary.length > 300 ? `${item.summary.slice(0, 299)}…` : item.summary)}` : '';
    return `${title}${summary}\n${sourceLink(item.link ?? feed.url)}`;
  }

  renderReview(taken: TakenItem, defaultLanguage: Language | null): PostMessage {
    const languages = postLanguages(defaultLanguage);
    const post = this.render(taken, defaultLanguage);
    return {
      content: bilingual(languages, 'posts.review.feedIntro', { id: taken.feed.number }),
      embeds: [{ ...post.embeds![0]!, color: COLORS.review }],
      buttons: [
        [
          { kind: 'action', label: bilingual(languages, 'posts.review.approve'), style: 'success', namespace: 'feed', verb: 'approve', args: [taken.item.id] },
          { kind: 'action', label: bilingual(languages, 'posts.review.reject'), style: 'danger', namespace: 'feed', verb: 'reject', args: [taken.item.id] },
        ],
      ],
    };
  }

  /**
   * Records a fetch's items inside a transaction. Known keys are skipped (dedup); of the new ones,
   * newest first, those passing the keyword filters are queued (or held for review) up to `cap`,
   * and the rest recorded as seen so they are never posted later.
   */
  private recordItems(tx: DbOrTx, feed: Feed, items: readonly ParsedItem[], cap: number): RecordSummary {
    const summary = emptySummary();
    if (items.length === 0) return summary;
    const known = new Set(
      tx
        .select({ key: feedItems.itemKey })
        .from(feedItems)
        .where(
          and(
            eq(feedItems.feedId, feed.id),
            inArray(
              feedItems.itemKey,
              items.map((entry) => entry.key),
            ),
          ),
        )
        .all()
        .map((row) => row.key),
    );
    const include = parseKeywords(feed.include);
    const exclude = parseKeywords(feed.exclude);
    const now = this.clock.now();
    const settings = this.settings.get(feed.guildId);
    let accepted = 0;
    for (const entry of newestFirst(items)) {
      if (known.has(entry.key)) continue;
      let status: FeedItem['status'];
      if (!matchesKeywords(entry, include, exclude)) status = 'filtered';
      else if (accepted >= cap) status = 'seen';
      else if (entry.link && this.linkAlreadyUsed(tx, feed.guildId, entry.link)) status = 'duplicate';
      else {
        status = feed.review ? 'review' : 'queued';
        accepted++;
      }
      const row = tx
        .insert(feedItems)
        .values({
          guildId: feed.guildId,
          feedId: feed.id,
          itemKey: entry.key,
          title: entry.title,
          link: entry.link,
          summary: entry.summary,
          publishedAt: entry.publishedAt,
          status,
          firstSeenAt: now,
        })
        .onConflictDoNothing({ target: [feedItems.feedId, feedItems.itemKey] })
        .returning()
        .get();
      if (!row) continue;
      if (status === 'queued') summary.queued++;
      else if (status === 'review') summary.review++;
      else if (status === 'filtered') summary.filtered++;
      else summary.seen++;
      if (status === 'review' && settings.modlogChannelId) {
        this.outbox.enqueue(tx, {
          guildId: feed.guildId,
          channelId: settings.modlogChannelId,
          kind: 'review',
          refId: row.id,
          message: this.renderReview({ item: row, feed }, settings.defaultLanguage),
        });
      }
    }
    return summary;
  }

  /** The same article reached through another feed of the guild is posted once. */
  private linkAlreadyUsed(tx: DbOrTx, guildId: string, link: string): boolean {
    return (
      tx
        .select({ id: feedItems.id })
        .from(feedItems)
        .where(and(eq(feedItems.guildId, guildId), eq(feedItems.link, link), inArray(feedItems.status, ['queued', 'review', 'posted'])))
        .get() !== undefined
    );
  }

  private recordFailure(feed: Feed, failure: FeedFailure): RefreshOutcome {
    const now = this.clock.now();
    const disabled = this.db.transaction((tx) => {
      const updated = tx
        .update(feeds)
        .set({ lastFetchedAt: now, consecutiveFailures: sql`${feeds.consecutiveFailures} + 1`, lastError: failure })
        .where(and(eq(feeds.id, feed.id), eq(feeds.enabled, true)))
        .returning()
        .get();
      if (!updated || updated.consecutiveFailures < FEED_POLICY.maxFailures) return false;
      tx.update(feeds).set({ enabled: false, disabledReason: failure, updatedAt: now }).where(eq(feeds.id, feed.id)).run();
      const settings = this.settings.get(feed.guildId);
      if (settings.modlogChannelId) {
        const languages = postLanguages(settings.defaultLanguage);
        this.outbox.enqueue(tx, {
          guildId: feed.guildId,
          channelId: settings.modlogChannelId,
          kind: 'notice',
          refId: feed.id,
          message: {
            embeds: [
              {
                title: bilingual(languages, 'posts.notice.feedDisabledTitle', { id: feed.number }),
                description: languages
                  .map((lang) =>
                    bilingual([lang], 'posts.notice.feedDisabled', {
                      id: feed.number,
                      url: feed.url,
                      failures: updated.consecutiveFailures,
                      reason: bilingual([lang], `feed.fetchErrors.${FAILURE_KEYS[failure]}` as 'feed.fetchErrors.timeout', { url: feed.url, status: '' }),
                    }),
                  )
                  .join('\n\n'),
                color: COLORS.notice,
              },
            ],
          },
        });
      }
      return true;
    });
    if (disabled) this.outbox.notify();
    this.logger.warn({ guildId: feed.guildId, feedId: feed.id, failure, disabled }, 'feed fetch failed');
    return { feedId: feed.id, status: disabled ? 'disabled' : 'failed', failure, ...emptySummary() };
  }

  private asDomainError(error: unknown, url: string): unknown {
    const failure = failureOf(error);
    if (!failure) return error;
    const status = error instanceof FeedFetchError && error.status ? String(error.status) : '';
    return new DomainError(`feed.fetchErrors.${FAILURE_KEYS[failure]}`, { url: url.slice(0, 200), status });
  }
}

function failureOf(error: unknown): FeedFailure | null {
  if (error instanceof FeedFetchError) return error.code;
  if (error instanceof NotAFeedError) return 'not-a-feed';
  return null;
}

function matchesKeywords(item: ParsedItem, include: readonly string[], exclude: readonly string[]): boolean {
  if (include.length === 0 && exclude.length === 0) return true;
  const haystack = foldText(`${item.title}\n${item.summary ?? ''}`);
  if (exclude.some((word) => haystack.includes(word))) return false;
  return include.length === 0 || include.some((word) => haystack.includes(word));
}
