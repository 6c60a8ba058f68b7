import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * Support requests: metadata only. The member's description is posted into the private thread and
 * never stored here (nor in the logs). `pending` rows are reservations made just before the thread
 * is created; they become `open` once the thread exists or are deleted if creation fails.
 */
export const supportRequests = sqliteTable(
  'support_requests',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    guildId: text().notNull(),
    /** Per-guild sequence shown as `support-0042`; never reused. */
    number: integer().notNull(),
    requesterId: text().notNull(),
    threadId: text(),
    intakeMessageId: text(),
    triageMessageId: text(),
    topic: text({ enum: ['visa', 'asylum', 'legal', 'safety', 'other'] }).notNull(),
    language: text({ enum: ['en', 'es'] }).notNull(),
    urgent: integer({ mode: 'boolean' }).notNull().default(false),
    status: text({ enum: ['pending', 'open', 'waiting', 'closed'] }).notNull(),
    assigneeId: text(),
    createdAt: integer().notNull(),
    updatedAt: integer().notNull(),
    firstStaffReplyAt: integer(),
    /** Set while the requester waits for a staff reply (cleared when staff post in the thread). */
    awaitingStaffSince: integer(),
    lastRemindedAt: integer(),
    closedAt: integer(),
  },
  (table) => [
    uniqueIndex('support_requests_guild_number_unique').on(table.guildId, table.number),
    uniqueIndex('support_requests_thread_unique').on(table.threadId),
    // One request that is not closed per member: enforced by the database, not only by a check.
    uniqueIndex('support_requests_one_open_per_member')
      .on(table.guildId, table.requesterId)
      .where(sql`status <> 'closed'`),
    index('support_requests_guild_status_idx').on(table.guildId, table.status),
  ],
);

/** The next request number per guild (numbers are never reused, even after retention deletes). */
export const supportCounters = sqliteTable('support_counters', {
  guildId: text().primaryKey(),
  lastNumber: integer().notNull(),
});

/**
 * Who did what to which request, and when. No free text: a close reason goes to the thread only.
 * `actorId` is null when the actor erased their data; `requestId` is null for blocks.
 */
export const supportAudit = sqliteTable(
  'support_audit',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    guildId: text().notNull(),
    requestId: integer().references(() => supportRequests.id, { onDelete: 'cascade' }),
    number: integer(),
    actorId: text(),
    action: text({
      enum: ['opened', 'joined', 'claimed', 'assigned', 'status', 'closed', 'reopened', 'blocked', 'unblocked', 'conversationDeleted'],
    }).notNull(),
    fromStatus: text(),
    toStatus: text(),
    targetId: text(),
    createdAt: integer().notNull(),
  },
  (table) => [index('support_audit_request_idx').on(table.requestId), index('support_audit_guild_idx').on(table.guildId)],
);

/** Members who may not open requests until `expiresAt`. */
export const supportBlocks = sqliteTable(
  'support_blocks',
  {
    guildId: text().notNull(),
    userId: text().notNull(),
    blockedBy: text(),
    createdAt: integer().notNull(),
    expiresAt: integer().notNull(),
  },
  (table) => [primaryKey({ columns: [table.guildId, table.userId] })],
);

/** Optional weekly support hours per guild, in an IANA time zone. */
export const supportHours = sqliteTable('support_hours', {
  guildId: text().primaryKey(),
  timezone: text().notNull(),
  /** Normalised schedule text, e.g. `mon-fri 09:00-17:00; sat 10:00-14:00`. */
  schedule: text().notNull(),
  updatedAt: integer().notNull(),
});

/**
 * Support threads the bot must still delete (a member's erasure, retention, or the "Delete this
 * conversation" button) after Discord refused or failed. Only the guild and the thread id: nothing
 * that names the member. A job retries each row until the thread is gone.
 */
export const supportThreadDeletions = sqliteTable('support_thread_deletions', {
  threadId: text().primaryKey(),
  guildId: text().notNull(),
});

/**
 * When a member who erased their data opened requests within the rate-limit window: only the
 * guild, the member and the time, so erasing data cannot reset the limit. Purged after the window.
 */
export const supportRateMarks = sqliteTable(
  'support_rate_marks',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    guildId: text().notNull(),
    userId: text().notNull(),
    createdAt: integer().notNull(),
  },
  (table) => [index('support_rate_marks_member_idx').on(table.guildId, table.userId)],
);
