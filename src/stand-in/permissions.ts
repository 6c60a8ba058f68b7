import { ChannelType, OverwriteType, PermissionFlagsBits } from 'discord-api-types/v10';
import type { ChannelRecord, StandInState } from './state.js';

const P = PermissionFlagsBits;

export const ALL_PERMISSIONS: bigint = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n);

/** Permissions lost when SEND_MESSAGES is missing (documented implicit denial). */
const SEND_DEPENDENT = P.MentionEveryone | P.SendTTSMessages | P.AttachFiles | P.EmbedLinks;

/** What a user may do in a 1:1 DM with the bot. */
const DM_PERMISSIONS =
  P.ViewChannel | P.SendMessages | P.ReadMessageHistory | P.AddReactions | P.EmbedLinks | P.AttachFiles | P.UseExternalEmojis | P.MentionEveryone;

/** Step 1 of Discord's algorithm: owner → all; @everyone | roles; ADMINISTRATOR → all. */
export function basePermissions(state: StandInState, guildId: string, userId: string): bigint {
  const guild = state.guilds.get(guildId);
  const member = guild?.members.get(userId);
  if (!guild || !member) return 0n;
  if (guild.ownerId === userId) return ALL_PERMISSIONS;
  let permissions = guild.roles.get(guildId)?.permissions ?? 0n;
  for (const roleId of member.roles) permissions |= guild.roles.get(roleId)?.permissions ?? 0n;
  return (permissions & P.Administrator) === P.Administrator ? ALL_PERMISSIONS : permissions;
}

/** Step 2: @everyone overwrite, then all role overwrites combined, then the member overwrite. */
function applyOverwrites(base: bigint, channel: ChannelRecord, guildId: string, userId: string, roles: string[]): bigint {
  if ((base & P.Administrator) === P.Administrator) return ALL_PERMISSIONS;
  let permissions = base;
  const everyone = channel.overwrites.find((overwrite) => overwrite.id === guildId && overwrite.type === OverwriteType.Role);
  if (everyone) permissions = (permissions & ~everyone.deny) | everyone.allow;
  let allow = 0n;
  let deny = 0n;
  for (const overwrite of channel.overwrites) {
    if (overwrite.type === OverwriteType.Role && overwrite.id !== guildId && roles.includes(overwrite.id)) {
      allow |= overwrite.allow;
      deny |= overwrite.deny;
    }
  }
  permissions = (permissions & ~deny) | allow;
  const own = channel.overwrites.find((overwrite) => overwrite.id === userId && overwrite.type === OverwriteType.Member);
  if (own) permissions = (permissions & ~own.deny) | own.allow;
  return permissions;
}

/** Implicit denials: no VIEW_CHANNEL → nothing; no (thread) send permission → no mention/tts/attach/embed. */
function applyImplicitDenials(permissions: bigint, isThread: boolean): bigint {
  if ((permissions & P.Administrator) === P.Administrator) return permissions;
  if ((permissions & P.ViewChannel) === 0n) return 0n;
  // Threads gate sending on SEND_MESSAGES_IN_THREADS; we assume the same implicit denial keys off it there.
  const sendBit = isThread ? P.SendMessagesInThreads : P.SendMessages;
  if ((permissions & sendBit) === 0n) return permissions & ~SEND_DEPENDENT;
  return permissions;
}

function guildChannelPermissions(state: StandInState, userId: string, channel: ChannelRecord): bigint {
  const guildId = channel.guildId;
  if (!guildId) return 0n;
  const member = state.member(guildId, userId);
  if (!member) return 0n;
  const base = basePermissions(state, guildId, userId);
  if (base === ALL_PERMISSIONS) return ALL_PERMISSIONS;
  return applyOverwrites(base, channel, guildId, userId, member.roles);
}

/**
 * Effective permissions of `userId` in `channelId`.
 * Threads use their parent's overwrites; a private thread grants nothing unless the user is a
 * thread member or has MANAGE_THREADS in the parent.
 */
export function permissionsFor(state: StandInState, userId: string, channelId: string): bigint {
  const channel = state.channels.get(channelId);
  if (!channel) return 0n;
  if (channel.type === ChannelType.DM) return channel.recipientIds.includes(userId) ? DM_PERMISSIONS : 0n;
  if (channel.thread) {
    const parent = channel.parentId ? state.channels.get(channel.parentId) : undefined;
    if (!parent) return 0n;
    const parentPermissions = applyImplicitDenials(guildChannelPermissions(state, userId, parent), false);
    if ((parentPermissions & P.ViewChannel) === 0n) return 0n;
    if (channel.type === ChannelType.PrivateThread) {
      const isMember = channel.thread.members.has(userId);
      const moderates = (parentPermissions & P.ManageThreads) === P.ManageThreads;
      if (!isMember && !moderates) return 0n;
    }
    return applyImplicitDenials(guildChannelPermissions(state, userId, parent), true);
  }
  return applyImplicitDenials(guildChannelPermissions(state, userId, channel), false);
}

export function canView(state: StandInState, userId: string, channelId: string): boolean {
  return (permissionsFor(state, userId, channelId) & P.ViewChannel) === P.ViewChannel;
}

export function has(permissions: bigint, required: bigint): boolean {
  return (permissions & required) === required;
}

/** Highest role position of a member (owner counts as above everything). */
export function highestRolePosition(state: StandInState, guildId: string, userId: string): number {
  const guild = state.guilds.get(guildId);
  const member = guild?.members.get(userId);
  if (!guild || !member) return -1;
  if (guild.ownerId === userId) return Number.POSITIVE_INFINITY;
  return Math.max(0, ...member.roles.map((roleId) => guild.roles.get(roleId)?.position ?? 0));
}

/** Names of the set bits, for readable assertion failures. */
export function permissionNames(permissions: bigint): string[] {
  return Object.entries(PermissionFlagsBits)
    .filter(([name, bit]) => name !== 'ManageEmojisAndStickers' && (permissions & bit) === bit)
    .map(([name]) => name);
}
