import { PermissionFlagsBits, type GuildMember } from 'discord.js';
import type { GuildSettings } from '../domain/guild-settings.js';
import type { Access } from './types.js';

export function isAdmin(member: GuildMember): boolean {
  return member.permissions.has(PermissionFlagsBits.ManageGuild);
}

/**
 * Staff are holders of the configured moderator, support or Spanish support role, and anyone who
 * can manage the server. Roles come from the interaction payload, so no member list is needed.
 */
export function isStaff(member: GuildMember, settings: GuildSettings): boolean {
  if (isAdmin(member)) return true;
  const staffRoles = [settings.moderatorRoleId, settings.supportRoleId, settings.spanishSupportRoleId];
  return staffRoles.some((roleId) => roleId !== null && member.roles.cache.has(roleId));
}

/** Moderators: the moderator role, Manage Threads, or Manage Server (support volunteers are not). */
export function isModerator(member: GuildMember, settings: GuildSettings): boolean {
  if (isAdmin(member) || member.permissions.has(PermissionFlagsBits.ManageThreads)) return true;
  return settings.moderatorRoleId !== null && member.roles.cache.has(settings.moderatorRoleId);
}

export function hasAccess(access: Access, member: GuildMember, settings: GuildSettings): boolean {
  switch (access) {
    case 'everyone':
      return true;
    case 'staff':
      return isStaff(member, settings);
    case 'admin':
      return isAdmin(member);
  }
}
