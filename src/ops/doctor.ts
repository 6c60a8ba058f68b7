import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DiscordAPIError, type REST } from '@discordjs/rest';
import Database from 'better-sqlite3';
import {
  ApplicationFlags,
  OverwriteType,
  Routes,
  type APIApplication,
  type APIApplicationCommand,
  type APIGuild,
  type APIOverwrite,
  type APIGuildMember,
  type APIRole,
  type APIUser,
} from 'discord.js';
import { configSchema, type Config } from '../config.js';
import { inviteUrl, setupInviteUrl } from '../discord/client.js';
import { PURPOSE_KEY, STAFF_ROLE_KEY } from '../discord/setup/privacy-audit-render.js';
import { auditPrivacy, type AuditedChannel, type AuditInput } from '../domain/setup/privacy-audit.js';
import { t } from '../i18n/index.js';

/**
 * `npm run doctor`: checks what the bot needs without a gateway connection, as plain functions
 * fed with a REST client and the database path, so the script only wires them and prints.
 */
export type Level = 'OK' | 'WARN' | 'ERROR';
export interface CheckLine {
  level: Level;
  text: string;
}

export const formatLine = (line: CheckLine): string => `${line.level.padEnd(5)} ${line.text}`;
export const hasError = (lines: readonly CheckLine[]): boolean => lines.some((line) => line.level === 'ERROR');

/** Every invalid variable, one line each (the bot itself stops at the first). */
export function checkConfig(env: NodeJS.ProcessEnv): { config?: Config; lines: CheckLine[] } {
  const result = configSchema.safeParse(env);
  if (result.success) return { config: result.data, lines: [{ level: 'OK', text: 'configuration: valid' }] };
  const lines = result.error.issues.map(
    (issue): CheckLine => ({ level: 'ERROR', text: `configuration: ${String(issue.path[0] ?? 'configuration')} ${issue.message}` }),
  );
  return { lines };
}

interface JournalEntry {
  tag: string;
  when: number;
}

/** Opens nothing for writing beyond a rolled-back transaction; never applies migrations. */
export function checkDatabase(path: string, migrationsFolder: string): { lines: CheckLine[]; guildIds: GuildRow[]; sqlite?: Database.Database } {
  const lines: CheckLine[] = [];
  if (path !== ':memory:' && !existsSync(path)) {
    const folder = nearestExisting(dirname(resolve(path)));
    try {
      accessSync(folder, constants.W_OK);
      lines.push({ level: 'WARN', text: `database: ${path} does not exist yet; the bot creates it at its first start` });
    } catch {
      lines.push({ level: 'ERROR', text: `database: ${path} does not exist and ${folder} is not writable, so the bot cannot create it` });
    }
    return { lines, guildIds: [] };
  }
  let sqlite: Database.Database;
  try {
    sqlite = new Database(path, { fileMustExist: true });
    sqlite.pragma('busy_timeout = 5000');
  } catch (error) {
    lines.push({ level: 'ERROR', text: `database: cannot open ${path}: ${message(error)}` });
    return { lines, guildIds: [] };
  }
  try {
    sqlite.exec('BEGIN IMMEDIATE');
    sqlite.exec('ROLLBACK');
    lines.push({ level: 'OK', text: `database: ${path} is writable` });
  } catch (error) {
    lines.push({ level: 'ERROR', text: `database: ${path} is not writable: ${message(error)}` });
  }
  const journal = (JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, 'utf8')) as { entries: JournalEntry[] }).entries;
  const hasTable = (name: string) => sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
  const applied = hasTable('__drizzle_migrations')
    ? new Set((sqlite.prepare('SELECT created_at FROM __drizzle_migrations').all() as { created_at: number | string }[]).map((row) => Number(row.created_at)))
    : new Set<number>();
  const known = new Set(journal.map((entry) => entry.when));
  const unknown = [...applied].filter((when) => !known.has(when));
  const pending = journal.filter((entry) => !applied.has(entry.when));
  if (unknown.length > 0) {
    lines.push({
      level: 'ERROR',
      text: `database: ${unknown.length} migration(s) from a newer release; this release refuses to start on it (run the newer release or restore a backup)`,
    });
  } else if (pending.length > 0) {
    lines.push({
      level: 'WARN',
      text: `database: ${pending.length} of ${journal.length} migration(s) pending (${pending.map((entry) => entry.tag).join(', ')}); the next start applies them`,
    });
  } else {
    lines.push({ level: 'OK', text: `database: all ${journal.length} migrations applied` });
  }
  const guildIds = hasTable('guild_settings') ? (sqlite.prepare(`SELECT ${GUILD_COLUMNS} FROM guild_settings ORDER BY guild_id`).all() as GuildRow[]) : [];
  return { lines, guildIds, sqlite };
}

const GUILD_COLUMNS =
  'guild_id, support_channel_id, triage_channel_id, modlog_channel_id, moderator_role_id, support_role_id, spanish_support_role_id';
export interface GuildRow {
  guild_id: string;
  support_channel_id: string | null;
  triage_channel_id: string | null;
  modlog_channel_id: string | null;
  moderator_role_id: string | null;
  support_role_id: string | null;
  spanish_support_role_id: string | null;
}

/** The bot asks for none of these; an enabled one is access it never uses. */
const PRIVILEGED_FLAGS: [bigint, string][] = [
  [BigInt(ApplicationFlags.GatewayPresence), 'Presence'],
  [BigInt(ApplicationFlags.GatewayPresenceLimited), 'Presence (limited)'],
  [BigInt(ApplicationFlags.GatewayGuildMembers), 'Server Members'],
  [BigInt(ApplicationFlags.GatewayGuildMembersLimited), 'Server Members (limited)'],
  [BigInt(ApplicationFlags.GatewayMessageContent), 'Message Content'],
  [BigInt(ApplicationFlags.GatewayMessageContentLimited), 'Message Content (limited)'],
];

export function privilegedIntentsLine(flags: bigint): CheckLine {
  const on = PRIVILEGED_FLAGS.filter(([bit]) => (flags & bit) === bit).map(([, name]) => name);
  if (on.length === 0) return { level: 'OK', text: 'privileged intents: all off (the bot needs none)' };
  return {
    level: 'WARN',
    text: `privileged intents: ${on.join(', ')} switched on; the bot never uses them. Turn them off in the Developer Portal → Bot → Privileged Gateway Intents`,
  };
}

/** Token, application, invite links, command registration, and each configured server's audit. */
export async function checkDiscord(rest: REST, config: Config, guilds: readonly GuildRow[]): Promise<CheckLine[]> {
  const lines: CheckLine[] = [];
  let user: APIUser;
  try {
    user = (await rest.get(Routes.user('@me'))) as APIUser;
  } catch (error) {
    if (error instanceof DiscordAPIError && error.status === 401) {
      lines.push({ level: 'ERROR', text: 'token: Discord refused DISCORD_TOKEN (401 Unauthorized); copy a fresh one from the Developer Portal → Bot → Reset Token' });
    } else {
      lines.push({ level: 'ERROR', text: `token: could not reach Discord at ${config.DISCORD_API_URL}: ${message(error)}` });
    }
    return lines;
  }
  lines.push({ level: 'OK', text: `token: accepted for ${user.username} (${user.id})` });

  const application = (await rest.get(Routes.currentApplication())) as APIApplication;
  lines.push(privilegedIntentsLine(BigInt(application.flags)));
  lines.push({ level: 'OK', text: `invite link: ${inviteUrl(application.id)}` });
  lines.push({
    level: 'OK',
    text: `one-step setup invite link (also Manage Channels and Manage Roles, for /setup start): ${setupInviteUrl(application.id)}`,
  });

  try {
    const global = (await rest.get(Routes.applicationCommands(application.id))) as APIApplicationCommand[];
    const guildCommands = config.DISCORD_GUILD_ID
      ? ((await rest.get(Routes.applicationGuildCommands(application.id, config.DISCORD_GUILD_ID))) as APIApplicationCommand[])
      : undefined;
    lines.push(...commandLines(global.length, config.DISCORD_GUILD_ID, guildCommands?.length));
  } catch (error) {
    // Typically 403 Missing Access: the bot is not in DISCORD_GUILD_ID's server.
    lines.push({ level: 'ERROR', text: `commands: cannot list them (${message(error)}); is the bot in server ${config.DISCORD_GUILD_ID ?? '(global)'}?` });
  }

  if (guilds.length === 0) lines.push({ level: 'WARN', text: 'servers: none configured yet (run /setup start or /setup channels in a server)' });
  for (const row of guilds) lines.push(...(await auditGuild(rest, user.id, row)));
  return lines;
}

export function commandLines(globalCount: number, guildId: string | undefined, guildCount: number | undefined): CheckLine[] {
  const lines: CheckLine[] = [];
  if (guildId === undefined) {
    lines.push(
      globalCount > 0
        ? { level: 'OK', text: `commands: ${globalCount} registered globally` }
        : { level: 'WARN', text: 'commands: none registered globally yet; the bot registers them at start' },
    );
    return lines;
  }
  lines.push(
    (guildCount ?? 0) > 0
      ? { level: 'OK', text: `commands: ${guildCount} registered in server ${guildId} (DISCORD_GUILD_ID)` }
      : { level: 'WARN', text: `commands: none registered in server ${guildId} yet; the bot registers them at start` },
  );
  if (globalCount > 0) {
    lines.push({
      level: 'WARN',
      text: `commands: ${globalCount} also registered globally, so they show twice in server ${guildId}; run npm run commands:clear, then start the bot`,
    });
  }
  return lines;
}


/** The parts of GET /guilds/{id}/channels the audit reads. */
interface GuildChannelFacts {
  id: string;
  name?: string | null;
  permission_overwrites?: APIOverwrite[];
}

async function auditGuild(rest: REST, botId: string, row: GuildRow): Promise<CheckLine[]> {
  const id = row.guild_id;
  let guild: APIGuild, roles: APIRole[], channels: GuildChannelFacts[], me: APIGuildMember;
  try {
    guild = (await rest.get(Routes.guild(id))) as APIGuild;
    roles = (await rest.get(Routes.guildRoles(id))) as APIRole[];
    channels = (await rest.get(Routes.guildChannels(id))) as GuildChannelFacts[];
    me = (await rest.get(Routes.guildMember(id, botId))) as APIGuildMember;
  } catch (error) {
    return [{ level: 'ERROR', text: `server ${id}: cannot read it (${message(error)}); the bot may have been removed from it` }];
  }
  const label = `server "${guild.name}" (${id})`;
  const byId = new Map(channels.map((channel) => [channel.id, channel]));
  const facts = (channelId: string | null): AuditInput['channels'][AuditedChannel] => {
    const channel = channelId ? byId.get(channelId) : undefined;
    if (!channel) return null;
    return {
      id: channel.id,
      overwrites: (channel.permission_overwrites ?? []).map((overwrite) => ({
        id: overwrite.id,
        type: overwrite.type === OverwriteType.Member ? 'member' : 'role',
        allow: BigInt(overwrite.allow),
        deny: BigInt(overwrite.deny),
      })),
    };
  };
  const report = auditPrivacy({
    guildId: id,
    roles: roles.map((role) => ({
      id: role.id,
      name: role.name,
      permissions: BigInt(role.permissions),
      managed: role.managed,
      tagged: role.tags !== undefined,
      mentionable: role.mentionable,
      botId: role.tags?.bot_id ?? null,
    })),
    bot: { userId: botId, roleIds: me.roles },
    staffRoles: { moderator: row.moderator_role_id, support: row.support_role_id, spanishSupport: row.spanish_support_role_id },
    channels: { support: facts(row.support_channel_id), triage: facts(row.triage_channel_id), modlog: facts(row.modlog_channel_id) },
  });
  const lines: CheckLine[] = [];
  const missing = (['support', 'triage', 'modlog'] as const).filter(
    (purpose) => report.views[purpose] === undefined && row[`${purpose}_channel_id`] !== null,
  );
  for (const purpose of missing) lines.push({ level: 'ERROR', text: `${label}: the ${purpose} channel is set but no longer exists; set it again with /setup channels` });
  const roleName = (roleId: string) => (roleId === id ? '@everyone' : `@${roles.find((role) => role.id === roleId)?.name ?? roleId}`);
  const channelName = (channelId: string) => `#${byId.get(channelId)?.name ?? channelId}`;
  for (const finding of report.findings) {
    const text = t('en', `setup.audit.findings.${finding.code}`, {
      channel: finding.channelId ? channelName(finding.channelId) : '',
      purpose: finding.channel ? t('en', PURPOSE_KEY[finding.channel]) : '',
      role: finding.roleId ? roleName(finding.roleId) : '',
      staffRole: finding.staffRole ? t('en', STAFF_ROLE_KEY[finding.staffRole]) : '',
      fix: 'Fix:',
    }).replaceAll('**', '');
    lines.push({ level: finding.severity === 'error' ? 'ERROR' : 'WARN', text: `${label}: ${text}` });
  }
  if (lines.length === 0) lines.push({ level: 'OK', text: `${label}: privacy audit found no problems` });
  return lines;
}

function nearestExisting(folder: string): string {
  let current = folder;
  while (!existsSync(current) && dirname(current) !== current) current = dirname(current);
  return current;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
