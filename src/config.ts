import { config as loadDotenv } from 'dotenv';
import cron from 'node-cron';
import { z } from 'zod';

const SNOWFLAKE = /^\d{17,20}$/;
// Bot tokens are three dot-separated base64url parts; anything else is a paste error.
const TOKEN = /^[\w-]{10,}\.[\w-]{4,}\.[\w-]{10,}$/;

/** Empty strings in env files mean "not set". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const cronExpression = z
  .string()
  .trim()
  .refine((expression) => cron.validate(expression), 'must be a cron expression (five fields, or six with seconds first)');

export const configSchema = z.object({
  DISCORD_TOKEN: z
    .string({ error: 'is required to connect' })
    .trim()
    .min(1, 'is required to connect')
    .regex(TOKEN, 'does not look like a Discord bot token'),
  DISCORD_API_URL: optional(
    z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
      .transform((url) => url.replace(/\/+$/, '')),
  ).transform((url) => url ?? 'https://discord.com/api'),
  // Where /help points members for the bot's source code, as the AGPL asks of a network service.
  SOURCE_URL: optional(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' })),
  DATABASE_PATH: optional(z.string().min(1)).transform((path) => path ?? './data/bot.sqlite'),
  DISCORD_GUILD_ID: optional(z.string().regex(SNOWFLAKE, 'must be a server id (17–20 digits)')),
  LOG_LEVEL: optional(
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'must be one of fatal, error, warn, info, debug, trace, silent',
    }),
  ).transform((level) => level ?? 'info'),
  // Opt-in health endpoint for supervisors: GET http://127.0.0.1:HEALTH_PORT/healthz (unset = off).
  HEALTH_PORT: optional(z.coerce.number({ error: 'must be a port number (1–65535)' }).int('must be a port number (1–65535)').min(1, 'must be a port number (1–65535)').max(65_535, 'must be a port number (1–65535)')),
  // Feeds are fetched only from public hosts; tests serve feeds from 127.0.0.1 and turn this on.
  FEEDS_ALLOW_PRIVATE_HOSTS: optional(booleanFlag).transform((flag) => flag ?? false),
  // No posting schedule (advocacy, updates, digests) may fire more often than this; tests lower it.
  POST_MIN_INTERVAL_SECONDS: optional(z.coerce.number().int().min(1).max(86_400)).transform((seconds) => seconds ?? 60),
  // How long shutdown waits for in-flight handlers and posts before closing anyway.
  SHUTDOWN_TIMEOUT_MS: optional(z.coerce.number().int().min(0).max(60_000)).transform((ms) => ms ?? 10_000),
  // Task board jobs: overdue reminders / idle releases (hourly) and Spanish translation tasks (daily).
  TASK_REMINDER_CRON: optional(cronExpression).transform((expression) => expression ?? '0 * * * *'),
  TRANSLATION_TASKS_CRON: optional(cronExpression).transform((expression) => expression ?? '30 5 * * *'),
  // A guide whose last_reviewed is older than this is marked overdue in /guide and gets a "Review guide" task.
  GUIDE_REVIEW_MAX_AGE_DAYS: optional(
    z.coerce.number({ error: 'must be a whole number of days' }).int('must be a whole number of days').min(0, 'must be 0 or more').max(3650, 'must be at most 3650'),
  ).transform((days) => days ?? 180),
  // Support jobs: reminders of unanswered requests (every 10 min) and retention of closed ones (hourly).
  SUPPORT_REMINDER_CRON: optional(cronExpression).transform((expression) => expression ?? '*/10 * * * *'),
  SUPPORT_RETENTION_CRON: optional(cronExpression).transform((expression) => expression ?? '23 * * * *'),
  // Retries deleting support threads Discord refused to delete (privacy erasure, retention, the button).
  SUPPORT_CONVERSATION_RETRY_CRON: optional(cronExpression).transform((expression) => expression ?? '*/5 * * * *'),
  // Backups (`npm run backup`, and by the bot itself when BACKUP_CRON is set; unset = no scheduled backups).
  BACKUP_CRON: optional(cronExpression),
  BACKUP_DIR: optional(z.string().trim().min(1)).transform((dir) => dir ?? './data/backups'),
  BACKUP_KEEP: optional(
    z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be 1 or more').max(10_000, 'must be at most 10000'),
  ).transform((keep) => keep ?? 14),
});

export type Config = z.infer<typeof configSchema>;

/** What the backup and restore tools need: the same rules, without requiring a token. */
export const backupConfigSchema = configSchema.pick({ DATABASE_PATH: true, BACKUP_DIR: true, BACKUP_KEEP: true });
export type BackupConfig = z.infer<typeof backupConfigSchema>;

export class ConfigError extends Error {}

/** Reads `.env` (without overriding real env vars) and validates; throws one readable line. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, readDotenv = true): Config {
  return parse(configSchema, env, readDotenv);
}

export function loadBackupConfig(env: NodeJS.ProcessEnv = process.env, readDotenv = true): BackupConfig {
  return parse(backupConfigSchema, env, readDotenv);
}

function parse<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv, readDotenv: boolean): z.infer<T> {
  if (readDotenv) loadDotenv({ quiet: true });
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const variable = String(issue?.path[0] ?? 'configuration');
  const hint = variable === 'DISCORD_TOKEN' ? ' (see README.md, "Getting a bot token")' : ' (see README.md, "Configuration")';
  throw new ConfigError(`Configuration error: ${variable} ${issue?.message ?? 'is invalid'}${hint}`);
}
