import { ChannelType, OverwriteType, PermissionFlagsBits } from 'discord.js';
import type { ChannelPurpose } from '../channel-permissions.js';
import { CHANNEL_NEEDS } from '../channel-permissions.js';
import type { GuildSettings } from '../../domain/guild-settings.js';

const P = PermissionFlagsBits;

export type RolePurpose = 'moderator' | 'support' | 'spanish_support' | 'volunteer';

export const ROLE_COLUMNS: Record<RolePurpose, keyof GuildSettings> = {
  moderator: 'moderatorRoleId',
  support: 'supportRoleId',
  spanish_support: 'spanishSupportRoleId',
  volunteer: 'volunteerRoleId',
};

export const CHANNEL_COLUMNS: Record<ChannelPurpose, keyof GuildSettings> = {
  support: 'supportChannelId',
  triage: 'triageChannelId',
  updates: 'updatesChannelId',
  advocacy: 'advocacyChannelId',
  tasks: 'tasksChannelId',
  modlog: 'modlogChannelId',
};

/** What the one-step setup needs from the bot itself, beyond its everyday permissions. */
export const PROVISION_PERMISSIONS = P.ManageChannels | P.ManageRoles;

export interface PlannedOverwrite {
  /** A role id, or the placeholder of a role this plan creates (`role:<purpose>`). */
  id: string;
  type: OverwriteType;
  allow: bigint;
  deny: bigint;
}

export interface PlannedChannel {
  purpose: ChannelPurpose | 'staff-category';
  type: ChannelType.GuildText | ChannelType.GuildCategory;
  inStaffCategory: boolean;
  overwrites: PlannedOverwrite[];
}

export interface ProvisionPlan {
  roles: RolePurpose[];
  channels: PlannedChannel[];
}

export interface PlanInput {
  settings: GuildSettings;
  guildId: string;
  botUserId: string;
  /** The bot's guild-wide permissions: Discord lets it allow or deny only bits it holds. */
  botPermissions: bigint;
}

const STAFF_ROLES: RolePurpose[] = ['moderator', 'support', 'spanish_support'];
const THREAD_CREATION = P.CreatePublicThreads | P.CreatePrivateThreads;

export const placeholder = (purpose: RolePurpose): string => `role:${purpose}`;

/**
 * What to create so a server is private by construction: only what is not configured yet, never a
 * change to an existing channel or role. Staff channels (triage, mod-log) sit in a staff category
 * that @everyone cannot view; in the support channel members can read the panel but cannot post,
 * create threads or see private ones (private threads are visible only to their members and to
 * holders of Manage Threads, which members never get here); the announcement channels are read-only.
 */
export function planProvisioning({ settings, guildId, botUserId, botPermissions }: PlanInput): ProvisionPlan {
  const roles = (Object.keys(ROLE_COLUMNS) as RolePurpose[]).filter((purpose) => settings[ROLE_COLUMNS[purpose]] === null);
  const roleRef = (purpose: RolePurpose): string => (settings[ROLE_COLUMNS[purpose]] as string | null) ?? placeholder(purpose);
  const mask = (bits: bigint): bigint => bits & botPermissions;
  const everyone = (allow: bigint, deny: bigint): PlannedOverwrite => ({ id: guildId, type: OverwriteType.Role, allow: mask(allow), deny: mask(deny) });
  const bot = (purpose: ChannelPurpose): PlannedOverwrite => ({ id: botUserId, type: OverwriteType.Member, allow: mask(CHANNEL_NEEDS[purpose]), deny: 0n });
  const staffView: PlannedOverwrite[] = STAFF_ROLES.map((purpose) => ({
    id: roleRef(purpose),
    type: OverwriteType.Role,
    allow: mask(P.ViewChannel | P.ReadMessageHistory | P.SendMessages),
    deny: 0n,
  }));
  const staffOnly = (purpose: ChannelPurpose): PlannedOverwrite[] => [everyone(0n, P.ViewChannel), ...staffView, bot(purpose)];
  const readOnly = (purpose: ChannelPurpose): PlannedOverwrite[] => [
    everyone(P.ViewChannel | P.ReadMessageHistory, P.SendMessages | THREAD_CREATION),
    bot(purpose),
  ];

  const missing = (purpose: ChannelPurpose): boolean => settings[CHANNEL_COLUMNS[purpose]] === null;
  const channels: PlannedChannel[] = [];
  const staffChannels = (['triage', 'modlog'] as const).filter(missing);
  if (staffChannels.length > 0) {
    channels.push({ purpose: 'staff-category', type: ChannelType.GuildCategory, inStaffCategory: false, overwrites: staffOnly('triage') });
    for (const purpose of staffChannels) channels.push({ purpose, type: ChannelType.GuildText, inStaffCategory: true, overwrites: staffOnly(purpose) });
  }
  if (missing('support')) {
    channels.push({
      purpose: 'support',
      type: ChannelType.GuildText,
      inStaffCategory: false,
      // Members keep Send Messages in Threads: they write in their own private request thread.
      overwrites: [everyone(P.ViewChannel | P.ReadMessageHistory, P.SendMessages | THREAD_CREATION | P.ManageThreads), bot('support')],
    });
  }
  for (const purpose of ['tasks', 'updates', 'advocacy'] as const) {
    if (missing(purpose)) channels.push({ purpose, type: ChannelType.GuildText, inStaffCategory: false, overwrites: readOnly(purpose) });
  }
  return { roles, channels };
}

export const planIsEmpty = (plan: ProvisionPlan): boolean => plan.roles.length === 0 && plan.channels.length === 0;
