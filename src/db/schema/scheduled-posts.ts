import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * Scheduled posts (SPEC §7): admin schedules, advocacy actions, sourced updates, news feeds and
 * the outbox that delivers every post exactly once. Member ids (creators, reviewers) are the only
 * personal data here; /privacy delete nulls them and keeps the records for the team.
 */

export const POST_JOBS = ['advocacy', 'updates', 'support-digest', 'task-digest'] as const;
export type PostJob = (typeof POST_JOBS)[number];

/** Per-guild counters behind the `#3` numbers; a removed row's number is never handed out again. */
export const postSequences = sqliteTable(
  'post_sequences',
  {
    guildId: text().notNull(),
    kind: text({ enum: ['schedule', 'action', 'update', 'feed'] }).notNull(),
    last: integer().notNull(),
  },
  (table) => [primaryKey({ columns: [table.guildId, table.kind] })],
);

export const schedules = sqliteTable(
  'schedules',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    guildId: text().notNull(),
    number: integer().notNull(),
    job: text({ enum: POST_JOBS }).notNull(),
    cron: text().notNull(),
    timezone: text().notNull(),
    channelId: text().notNull(),
    /** `updates` only: one message with everything queued since the last run. */
    digest: integer({ mode: 'boolean' }).notNull().default(false),
    enabled: integer({ mode: 'boolean' }).notNull().default(true),
    createdBy: text(),
    createdAt: integer().notNull(),
    updatedAt: integer().notNull(),
    /** When the last run happened (wall clock), and the fire time it ran for. */
    lastRunAt: integer(),
    lastFireTime: integer(),
    /** The next fire time not yet run; a value in the past at start-up means a missed run. */
    nextRunAt: integer(),
  },
  (table) => [
    uniqueIndex('schedules_guild_number_unique').on(table.guildId, table.number),
    index('schedules_enabled_next_idx').on(table.enabled, table.nextRunAt),
  ],
);

/** The run key: one row per (schedule, fire time), written in the transaction that picks the posts. */
export const scheduledRuns = sqliteTable(
  'scheduled_runs',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    guildId: text().notNull(),
    scheduleId: integer().notNull(),
    fireTime: integer().notNull(),
    kind: text({ enum: ['scheduled', 'catch-up', 'manual'] }).notNull(),
    posts: integer().notNull().default(0),
    createdAt: integer().notNull(),
  },
  (table) => [uniqueIndex('scheduled_runs_schedule_fire_unique').on(table.scheduleId, table.fireTime)],
);

export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed', 'cancelled'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** Rendered posts waiting to be sent; the delivery worker sends each once, with its nonce. */
export const outboxPosts = sqliteTable(
  'outbox_posts',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    guildId: text().notNull(),
    runId: integer(),
    scheduleId: integer(),
    kind: text({ enum: ['advocacy', 'update', 'feed-item', 'digest', 'team-digest', 'review', 'notice'] }).notNull(),
    /** The action, update or feed item the post is about (review posts: the item under review). */
    refId: integer(),
    channelId: text().notNull(),
    /** JSON of a PostMessage, frozen when the run picked it so every attempt sends the same thing. */
    payload: text().notNull(),
    status: text({ enum: OUTBOX_STATUSES }).notNull().default('pending'),
    attempts: integer().notNull().default(0),
    nextAttemptAt: integer().notNull(),
    claimedAt: integer(),
    nonce: text().notNull(),
    messageId: text(),
    lastError: text(),
    createdAt: integer().notNull(),
    sentAt: integer(),
  },
  (table) => [
    uniqueIndex('outbox_posts_nonce_unique').on(table.nonce),
    index('outbox_posts_due_idx').on(table.status, table.nextAttemptAt),
    index('outbox_posts_run_idx').on(table.runId),
  ],
);

export const advocacyActions = sqliteTable(
  'advocacy_actions',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    guildId: text().notNull(),
    number: integer().notNull(),
    /** Set for the default library, so seeding a guild twice changes nothing. */
    seedKey: text(),
    title: text().notNull(),
    text: text().notNull(),
    titleEs: text(),
    textEs: text(),
    link: text().notNull(),
    /** Last day to act, `YYYY-MM-DD`. */
    deadline: text(),
    status: text({ enum: ['active', 'retired'] }).notNull().default('active'),
    createdBy: text(),
    createdAt: integer().notNull(),
    retiredAt: integer(),
    lastPostedAt: integer(),
    postCount: integer().notNull().default(0),
  },
  (table) => [
    uniqueIndex('advocacy_actions_guild_number_unique').on(table.guildId, table.number),
    uniqueIndex('advocacy_actions_guild_seed_unique').on(table.guildId, table.seedKey).where(sql`seed_key IS NOT NULL`),
  ],
);

/** Guilds whose default advocacy library has been written (seeding happens once per guild). */
export const advocacySeeded = sqliteTable('advocacy_seeded', {
  guildId: text().primaryKey(),
  seededAt: integer().notNull(),
});

export const UPDATE_STATUSES = ['review', 'queued', 'posted', 'rejected', 'removed'] as const;

export const sourcedUpdates = sqliteTable(
  'sourced_updates',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    guildId: text().notNull(),
    number: integer().notNull(),
    title: text().notNull(),
    summary: text().notNull(),
    /** JSON array of https URLs, at least one. */
    sources: text().notNull(),
    status: text({ enum: UPDATE_STATUSES }).notNull(),
    createdBy: text(),
    reviewedBy: text(),
    createdAt: integer().notNull(),
    reviewedAt: integer(),
    postedAt: integer(),
    runId: integer(),
  },
  (table) => [
    uniqueIndex('sourced_updates_guild_number_unique').on(table.guildId, table.number),
    index('sourced_updates_guild_status_idx').on(table.guildId, table.status),
  ],
);

/** Small per-guild switches for scheduled posts. */
export const postSettings = sqliteTable('post_settings', {
  guildId: text().primaryKey(),
  /** Hold `/update` items in the mod-log review queue until a moderator approves them. */
  reviewUpdates: integer({ mode: 'boolean' }).notNull().default(false),
  updatedAt: integer().notNull(),
});

export const feeds = sqliteTable(
  'feeds',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    guildId: text().notNull(),
    number: integer().notNull(),
    url: text().notNull(),
    title: text(),
    /** Where items go; null means the channel of the `updates` schedule that posts them. */
    channelId: text(),
    /** Comma-separated keywords; an item must match one include and no exclude. */
    include: text(),
    exclude: text(),
    review: integer({ mode: 'boolean' }).notNull().default(false),
    enabled: integer({ mode: 'boolean' }).notNull().default(true),
    /** Removed feeds keep their items, so re-adding the URL never re-posts anything. */
    removedAt: integer(),
    etag: text(),
    lastModified: text(),
    lastFetchedAt: integer(),
    lastSuccessAt: integer(),
    consecutiveFailures: integer().notNull().default(0),
    lastError: text(),
    disabledReason: text(),
    createdBy: text(),
    createdAt: integer().notNull(),
    updatedAt: integer().notNull(),
  },
  (table) => [
    uniqueIndex('feeds_guild_number_unique').on(table.guildId, table.number),
    uniqueIndex('feeds_guild_url_unique').on(table.guildId, table.url),
  ],
);

export const FEED_ITEM_STATUSES = ['seen', 'filtered', 'duplicate', 'review', 'queued', 'posted', 'rejected'] as const;

export const feedItems = sqliteTable(
  'feed_items',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    guildId: text().notNull(),
    feedId: integer()
      .notNull()
      .references(() => feeds.id, { onDelete: 'cascade' }),
    /** guid / Atom id, else the link, else a hash of title and date: the dedup key. */
    itemKey: text().notNull(),
    title: text().notNull(),
    link: text(),
    summary: text(),
    publishedAt: integer(),
    status: text({ enum: FEED_ITEM_STATUSES }).notNull(),
    reviewedBy: text(),
    firstSeenAt: integer().notNull(),
    reviewedAt: integer(),
    postedAt: integer(),
    runId: integer(),
  },
  (table) => [
    uniqueIndex('feed_items_feed_key_unique').on(table.feedId, table.itemKey),
    index('feed_items_guild_status_idx').on(table.guildId, table.status),
    index('feed_items_guild_link_idx').on(table.guildId, table.link),
  ],
);
