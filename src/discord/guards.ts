import { PermissionFlagsBits, type Guild, type GuildMember } from 'discord.js';
import type { GuildSettings } from '../domain/guild-settings.js';
import { teamRoleRefusal } from '../domain/setup/role-rules.js';
import type { MessageKey } from '../i18n/index.js';
import type { Access, CommandModule } from './types.js';

export function isAdmin(member: GuildMember): boolean {
  return member.permissions.has(PermissionFlagsBits.ManageGuild);
}

/**
 * A stored team role still counts only if /setup roles would accept it today: a row saved before
 * that check (say `support:@everyone`) must not make every member staff.
 */
function countsAsTeamRole(guild: Guild, roleId: string | null): roleId is string {
  if (roleId === null) return false;
  const role = guild.roles.cache.get(roleId);
  if (!role) return roleId !== guild.id;
  return teamRoleRefusal({ id: role.id, managed: role.managed, tagged: role.tags !== null }, guild.id) === null;
}

/** The team roles the bot acts on (for pings too): a stored @everyone or managed role is dropped. */
export function teamRoles(guild: Guild, settings: GuildSettings) {
  const fit = (roleId: string | null) => (countsAsTeamRole(guild, roleId) ? roleId : null);
  return {
    moderatorRoleId: fit(settings.moderatorRoleId),
    supportRoleId: fit(settings.supportRoleId),
    spanishSupportRoleId: fit(settings.spanishSupportRoleId),
  };
}

/**
 * Staff are holders of the configured moderator, support or Spanish support role, and anyone who
 * can manage the server. Roles come from the interaction payload, so no member list is needed.
 */
export function isStaff(member: GuildMember, settings: GuildSettings): boolean {
  if (isAdmin(member)) return true;
  const staffRoles = [settings.moderatorRoleId, settings.supportRoleId, settings.spanishSupportRoleId];
  return staffRoles.some((roleId) => countsAsTeamRole(member.guild, roleId) && member.roles.cache.has(roleId));
}

/** Moderators: the moderator role, Manage Threads, or Manage Server (support volunteers are not). */
export function isModerator(member: GuildMember, settings: GuildSettings): boolean {
  if (isAdmin(member) || member.permissions.has(PermissionFlagsBits.ManageThreads)) return true;
  return countsAsTeamRole(member.guild, settings.moderatorRoleId) && member.roles.cache.has(settings.moderatorRoleId);
}

export function hasAccess(access: Access, member: GuildMember, settings: GuildSettings): boolean {
  switch (access) {
    case 'everyone':
      return true;
    case 'staff':
      return isStaff(member, settings);
    case 'moderator':
      return isModerator(member, settings);
    case 'admin':
      return isAdmin(member);
  }
}

const DENIED: Record<Exclude<Access, 'everyone'>, MessageKey> = {
  staff: 'errors.staffOnly',
  moderator: 'errors.moderatorOnly',
  admin: 'errors.adminOnly',
};

/**
 * The one access rule of a command and subcommand: the command's `access`, then each of its
 * `rules` that covers the subcommand. Returns the refusal to show, or null when the member may go
 * on. The router applies it to the command and to its autocomplete.
 */
export function commandRefusal(
  command: Pick<CommandModule, 'access' | 'rules'>,
  subcommand: string | null,
  member: GuildMember,
  settings: GuildSettings,
): MessageKey | null {
  const checks = [
    { access: command.access, denied: undefined as MessageKey | undefined },
    ...(command.rules ?? []).filter((rule) => !rule.subcommands || (subcommand !== null && rule.subcommands.includes(subcommand))),
  ];
  for (const check of checks) {
    if (check.access === 'everyone' || hasAccess(check.access, member, settings)) continue;
    return check.denied ?? DENIED[check.access];
  }
  return null;
}
