import { teamRoleRefusal } from './role-rules.js';

/**
 * The privacy audit of `/setup show`: who besides the team can read the support, triage and
 * mod-log channels, who can read every private support thread, whether the team can be pinged,
 * and whether the bot can delete conversations. Fed with plain role and overwrite data (as Discord
 * sends it), so it runs without discord.js and is tested on its own.
 *
 * Permissions follow Discord's documented algorithm: the @everyone role's permissions OR the
 * role's, Administrator grants everything, then the channel's @everyone overwrite, the role
 * overwrites, and the member overwrite. A role is judged by what a member holding only that role
 * (and @everyone) gets, which is what the role itself grants.
 */

/** Permission bits as Discord documents them. */
export const PERMISSIONS = {
  Administrator: 1n << 3n,
  ManageGuild: 1n << 5n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  MentionEveryone: 1n << 17n,
  ManageThreads: 1n << 34n,
} as const;

const ALL_PERMISSIONS = (1n << 64n) - 1n;

export type AuditedChannel = 'support' | 'triage' | 'modlog';
export const AUDITED_CHANNELS: readonly AuditedChannel[] = ['support', 'triage', 'modlog'];

export interface AuditRole {
  id: string;
  name: string;
  permissions: bigint;
  managed: boolean;
  /** Discord sends `tags` on bot, integration, booster, subscription and linked roles. */
  tagged: boolean;
  mentionable: boolean;
  /** `tags.bot_id`: the bot this managed role belongs to. */
  botId: string | null;
}

export interface AuditOverwrite {
  id: string;
  type: 'role' | 'member';
  allow: bigint;
  deny: bigint;
}

export interface AuditInput {
  guildId: string;
  roles: readonly AuditRole[];
  bot: { userId: string; roleIds: readonly string[] };
  staffRoles: { moderator: string | null; support: string | null; spanishSupport: string | null };
  /** Overwrites of each configured channel; null when not set or gone (the permission check reports that). */
  channels: Record<AuditedChannel, { id: string; overwrites: readonly AuditOverwrite[] } | null>;
}

export type FindingCode =
  | 'everyoneCanView'
  | 'roleCanView'
  | 'everyoneReadsThreads'
  | 'roleReadsThreads'
  | 'staffRoleUnfit'
  | 'staffRoleNotMentionable'
  | 'botCannotDeleteThreads';

export interface Finding {
  severity: 'error' | 'warning';
  code: FindingCode;
  channel?: AuditedChannel;
  channelId?: string;
  roleId?: string;
  /** For staff role findings: which team role (moderator, support, spanishSupport). */
  staffRole?: keyof AuditInput['staffRoles'];
}

export interface ChannelView {
  channelId: string;
  /** @everyone can see the channel, so every member can. */
  everyone: boolean;
  /** Roles other than staff and the bot that can see it (empty when `everyone`). */
  roleIds: string[];
}

export interface StaffRoleState {
  staffRole: keyof AuditInput['staffRoles'];
  roleId: string;
  mentionable: boolean;
}

export interface AuditReport {
  views: Partial<Record<AuditedChannel, ChannelView>>;
  /** Roles (not the bot's) holding Manage Threads or Administrator in the support channel. */
  threadReaderRoleIds: string[];
  staffRoles: StaffRoleState[];
  /** The bot may ping roles that are not mentionable (Mention Everyone in the triage channel). */
  botMentionsAll: boolean;
  findings: Finding[];
}

const has = (permissions: bigint, bit: bigint) => (permissions & bit) === bit;

/** Discord's permission computation for a member holding `roleIds` (besides @everyone) in a channel. */
export function channelPermissions(
  input: Pick<AuditInput, 'guildId' | 'roles'>,
  roleIds: readonly string[],
  overwrites: readonly AuditOverwrite[],
  memberId: string | null = null,
): bigint {
  const byId = new Map(input.roles.map((role) => [role.id, role]));
  let permissions = byId.get(input.guildId)?.permissions ?? 0n;
  for (const id of roleIds) permissions |= byId.get(id)?.permissions ?? 0n;
  if (has(permissions, PERMISSIONS.Administrator)) return ALL_PERMISSIONS;
  const everyone = overwrites.find((overwrite) => overwrite.type === 'role' && overwrite.id === input.guildId);
  if (everyone) permissions = (permissions & ~everyone.deny) | everyone.allow;
  let allow = 0n;
  let deny = 0n;
  for (const overwrite of overwrites) {
    if (overwrite.type !== 'role' || overwrite.id === input.guildId || !roleIds.includes(overwrite.id)) continue;
    allow |= overwrite.allow;
    deny |= overwrite.deny;
  }
  permissions = (permissions & ~deny) | allow;
  const own = memberId === null ? undefined : overwrites.find((overwrite) => overwrite.type === 'member' && overwrite.id === memberId);
  if (own) permissions = (permissions & ~own.deny) | own.allow;
  // Implicit denials: without View Channel nothing else applies; without Send Messages no mentions.
  if (!has(permissions, PERMISSIONS.ViewChannel)) return 0n;
  if (!has(permissions, PERMISSIONS.SendMessages)) permissions &= ~PERMISSIONS.MentionEveryone;
  return permissions;
}

export function auditPrivacy(input: AuditInput): AuditReport {
  const findings: Finding[] = [];
  const byId = new Map(input.roles.map((role) => [role.id, role]));
  const botRoles = new Set(input.bot.roleIds.filter((id) => id !== input.guildId));
  for (const role of input.roles) if (role.botId === input.bot.userId) botRoles.add(role.id);

  // Staff as the bot itself counts them: the configured team roles it accepts, and Manage Server.
  const staffRoles: StaffRoleState[] = [];
  const staff = new Set<string>();
  for (const [staffRole, roleId] of Object.entries(input.staffRoles) as [keyof AuditInput['staffRoles'], string | null][]) {
    if (roleId === null) continue;
    const role = byId.get(roleId);
    if (role && teamRoleRefusal(role, input.guildId) !== null) {
      findings.push({ severity: 'error', code: 'staffRoleUnfit', roleId, staffRole });
      continue;
    }
    if (!role) continue;
    staff.add(roleId);
    staffRoles.push({ staffRole, roleId, mentionable: role.mentionable });
  }
  const everyonePermissions = byId.get(input.guildId)?.permissions ?? 0n;
  for (const role of input.roles) {
    const granted = role.permissions | everyonePermissions;
    if (role.id !== input.guildId && (has(granted, PERMISSIONS.ManageGuild) || has(granted, PERMISSIONS.Administrator))) staff.add(role.id);
  }
  const others = input.roles.filter((role) => role.id !== input.guildId && !staff.has(role.id) && !botRoles.has(role.id));

  const views: AuditReport['views'] = {};
  for (const purpose of AUDITED_CHANNELS) {
    const channel = input.channels[purpose];
    if (!channel) continue;
    const sees = (roleIds: string[]) => has(channelPermissions(input, roleIds, channel.overwrites), PERMISSIONS.ViewChannel);
    const everyone = sees([]);
    const roleIds = everyone ? [] : others.filter((role) => sees([role.id])).map((role) => role.id);
    views[purpose] = { channelId: channel.id, everyone, roleIds };
    // Members need the support channel to reach their own private threads; the staff channels are the team's.
    if (purpose === 'support') continue;
    if (everyone) findings.push({ severity: 'error', code: 'everyoneCanView', channel: purpose, channelId: channel.id });
    for (const roleId of roleIds) findings.push({ severity: 'warning', code: 'roleCanView', channel: purpose, channelId: channel.id, roleId });
  }

  const threadReaderRoleIds: string[] = [];
  const support = input.channels.support;
  if (support) {
    const readsAll = (roleIds: string[]) => has(channelPermissions(input, roleIds, support.overwrites), PERMISSIONS.ManageThreads);
    if (readsAll([])) {
      threadReaderRoleIds.push(input.guildId);
      findings.push({ severity: 'error', code: 'everyoneReadsThreads', channel: 'support', channelId: support.id, roleId: input.guildId });
    } else {
      for (const role of input.roles) {
        if (role.id === input.guildId || botRoles.has(role.id) || !readsAll([role.id])) continue;
        threadReaderRoleIds.push(role.id);
        if (!staff.has(role.id)) findings.push({ severity: 'warning', code: 'roleReadsThreads', channel: 'support', channelId: support.id, roleId: role.id });
      }
    }
    const bot = channelPermissions(input, [...botRoles], support.overwrites, input.bot.userId);
    if (!has(bot, PERMISSIONS.ManageThreads)) findings.push({ severity: 'error', code: 'botCannotDeleteThreads', channel: 'support', channelId: support.id });
  }

  // A role that is not mentionable hears the bot's ping only if the bot may mention every role there.
  const triage = input.channels.triage;
  const botMentionsAll = triage
    ? has(channelPermissions(input, [...botRoles], triage.overwrites, input.bot.userId), PERMISSIONS.MentionEveryone)
    : false;
  if (triage && !botMentionsAll) {
    const warned = new Set<string>();
    for (const state of staffRoles) {
      if (state.mentionable || warned.has(state.roleId)) continue;
      warned.add(state.roleId);
      findings.push({ severity: 'warning', code: 'staffRoleNotMentionable', roleId: state.roleId, staffRole: state.staffRole, channelId: triage.id });
    }
  }

  findings.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  return { views, threadReaderRoleIds, staffRoles, botMentionsAll, findings };
}
