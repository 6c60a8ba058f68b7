import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * Volunteer tasks. `number` is the per-guild sequence shown as `#12` and used as the `id` option;
 * the row id is internal. Member ids (claimant, creator) are nulled on /privacy delete.
 */
export const tasks = sqliteTable(
  'tasks',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    guildId: text().notNull(),
    number: integer().notNull(),
    title: text().notNull(),
    description: text().notNull(),
    skill: text().notNull(),
    status: text({ enum: ['open', 'claimed', 'done', 'cancelled'] }).notNull(),
    link: text(),
    /** "manual", or "translation:<guide-slug>" for tasks made by the translation check. */
    origin: text().notNull(),
    creatorId: text(),
    claimantId: text(),
    claimedAt: integer(),
    /** Last sign of life from the claimant (claim, re-claim); idle claims are released from here. */
    activityAt: integer(),
    /** End of the due day (UTC), if any. */
    dueAt: integer(),
    /** Last overdue reminder sent for the current claim. */
    remindedAt: integer(),
    /** Warning sent that the current claim will soon be released for inactivity. */
    idleWarnedAt: integer(),
    doneAt: integer(),
    doneNote: text(),
    announcementChannelId: text(),
    announcementMessageId: text(),
    createdAt: integer().notNull(),
    updatedAt: integer().notNull(),
  },
  (table) => [
    uniqueIndex('tasks_guild_number_unique').on(table.guildId, table.number),
    // One live task per generated origin (a guide's translation), never duplicated.
    uniqueIndex('tasks_live_origin_unique')
      .on(table.guildId, table.origin)
      .where(sql`origin <> 'manual' AND status IN ('open', 'claimed')`),
    index('tasks_guild_status_idx').on(table.guildId, table.status),
    index('tasks_claimant_idx').on(table.guildId, table.claimantId),
  ],
);

/** Per-guild task board settings set with /task-admin settings. */
export const taskSettings = sqliteTable('task_settings', {
  guildId: text().primaryKey(),
  maxClaims: integer().notNull(),
  idleDays: integer().notNull(),
  updatedAt: integer().notNull(),
});

/** Members who asked not to appear on the /task stats leaderboard. */
export const taskLeaderboardOptOuts = sqliteTable(
  'task_leaderboard_opt_outs',
  {
    guildId: text().notNull(),
    userId: text().notNull(),
    createdAt: integer().notNull(),
  },
  (table) => [primaryKey({ columns: [table.guildId, table.userId] })],
);
