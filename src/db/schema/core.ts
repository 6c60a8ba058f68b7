import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Per-guild configuration set with /setup. Unset channels and roles are null. */
export const guildSettings = sqliteTable('guild_settings', {
  guildId: text().primaryKey(),
  supportChannelId: text(),
  triageChannelId: text(),
  updatesChannelId: text(),
  advocacyChannelId: text(),
  tasksChannelId: text(),
  modlogChannelId: text(),
  moderatorRoleId: text(),
  supportRoleId: text(),
  spanishSupportRoleId: text(),
  volunteerRoleId: text(),
  volunteerFormUrl: text(),
  retentionDays: integer().notNull().default(90),
  reminderHours: integer().notNull().default(24),
  /** Whether retention also deletes a closed request's thread (the conversation) with its metadata. */
  retentionConversations: text({ enum: ['delete', 'keep'] }).notNull().default('delete'),
  /** A safer channel than Discord (e.g. a Signal number or an encrypted form), set with /setup secure-contact. */
  secureContact: text(),
  defaultLanguage: text({ enum: ['en', 'es'] }),
  createdAt: integer().notNull(),
  updatedAt: integer().notNull(),
});

/** A member's own choice of reply language; absence means "auto". */
export const memberPreferences = sqliteTable(
  'member_preferences',
  {
    guildId: text().notNull(),
    userId: text().notNull(),
    language: text({ enum: ['en', 'es'] }).notNull(),
    updatedAt: integer().notNull(),
  },
  (table) => [primaryKey({ columns: [table.guildId, table.userId] })],
);

/** Small key/value store for process state such as the command-registration hash. */
export const botState = sqliteTable('bot_state', {
  key: text().primaryKey(),
  value: text().notNull(),
  updatedAt: integer().notNull(),
});
