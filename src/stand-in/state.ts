import {
  ChannelType,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  PermissionFlagsBits,
  type Locale,
  type OverwriteType,
  type ThreadAutoArchiveDuration,
  type APIChannel,
  type ChannelFlags,
  type GuildMemberFlags,
  type RoleFlags,
  type UserFlags,
  type APIGuild,
  type APIGuildMember,
  type APIMessage,
  type APIOverwrite,
  type APIRole,
  type APIRoleTags,
  type APIThreadChannel,
  type APIThreadMember,
  type APIUser,
  type GatewayGuildCreateDispatchData,
  type ThreadChannelType,
} from 'discord-api-types/v10';
import type { SnowflakeGenerator } from './snowflake.js';

/**
 * Discord's @everyone permissions for a freshly created (non-community) server.
 * Includes CreatePrivateThreads/CreatePublicThreads/SendMessagesInThreads/MentionEveryone,
 * so tests that want a bot *without* them must also narrow `everyonePermissions`.
 */
export const DEFAULT_EVERYONE_PERMISSIONS = 2248473465835073n;

/** Default permissions of the bot's managed role, as the brief for this project specifies. */
export const DEFAULT_BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.CreatePrivateThreads |
  PermissionFlagsBits.ManageThreads |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.ReadMessageHistory;

export interface UserRecord {
  id: string;
  username: string;
  globalName: string | null;
  bot: boolean;
  /** When true, Discord answers 50007 to DMs from the bot (privacy setting / blocked). */
  dmsClosed: boolean;
}

export interface RoleRecord {
  id: string;
  guildId: string;
  name: string;
  permissions: bigint;
  position: number;
  color: number;
  hoist: boolean;
  mentionable: boolean;
  managed: boolean;
  botId: string | null;
  /**
   * Other tags Discord documents for managed roles: `integration_id`, `premium_subscriber: null`
   * (Server Booster), `subscription_listing_id`, `available_for_purchase`, `guild_connections`.
   */
  tags: Omit<APIRoleTags, 'bot_id'> | null;
}

export interface MemberRecord {
  userId: string;
  roles: string[];
  joinedAt: string;
  nick: string | null;
}

export interface GuildRecord {
  id: string;
  name: string;
  ownerId: string;
  preferredLocale: Locale;
  joinedAt: string;
  roles: Map<string, RoleRecord>;
  members: Map<string, MemberRecord>;
  systemChannelId: string | null;
}

export interface OverwriteRecord {
  id: string;
  type: OverwriteType;
  allow: bigint;
  deny: bigint;
}

export interface ThreadMemberRecord {
  userId: string;
  joinTimestamp: string;
  flags: number;
}

export interface ThreadState {
  ownerId: string;
  archived: boolean;
  locked: boolean;
  invitable: boolean;
  autoArchiveDuration: ThreadAutoArchiveDuration;
  archiveTimestamp: string;
  createTimestamp: string;
  messageCount: number;
  totalMessageSent: number;
  members: Map<string, ThreadMemberRecord>;
}

export interface ChannelRecord {
  id: string;
  type: ChannelType;
  guildId: string | null;
  name: string | null;
  position: number;
  topic: string | null;
  parentId: string | null;
  nsfw: boolean;
  rateLimitPerUser: number;
  overwrites: OverwriteRecord[];
  lastMessageId: string | null;
  flags: number;
  thread: ThreadState | null;
  /** DM channels only. */
  recipientIds: string[];
}

/** A stored message plus the stand-in's bookkeeping (who may see it, who was pinged). */
export interface StoredMessage {
  message: APIMessage;
  guildId: string | null;
  /** Ephemeral messages are only visible to this user (and never dispatched/fetchable). */
  ephemeralRecipientId: string | null;
  interactionId: string | null;
  allowedMentions: unknown;
  pingedUserIds: string[];
  pingedRoleIds: string[];
  pingedEveryone: boolean;
  deleted: boolean;
  /** Previous versions, oldest first, so tests can assert on edits. */
  revisions: APIMessage[];
}

export const THREAD_TYPES: ReadonlySet<ChannelType> = new Set([
  ChannelType.PublicThread,
  ChannelType.PrivateThread,
  ChannelType.AnnouncementThread,
]);

export function isThreadType(type: ChannelType): type is ThreadChannelType {
  return THREAD_TYPES.has(type);
}

export const nowIso = (): string => new Date().toISOString();

/** The in-memory world: users, guilds, roles, members, channels, threads and messages. */
export class StandInState {
  readonly users = new Map<string, UserRecord>();
  readonly guilds = new Map<string, GuildRecord>();
  readonly channels = new Map<string, ChannelRecord>();
  readonly messages = new Map<string, StoredMessage>();
  /** Message ids per channel in creation order. */
  readonly channelMessageIds = new Map<string, string[]>();

  constructor(
    private readonly ids: SnowflakeGenerator,
    readonly botUserId: string,
  ) {}

  // ---- users ---------------------------------------------------------------------------

  addUser(user: Omit<UserRecord, 'id'> & { id?: string }): UserRecord {
    const record: UserRecord = { ...user, id: user.id ?? this.ids.next() };
    this.users.set(record.id, record);
    return record;
  }

  requireUser(userId: string): UserRecord {
    const user = this.users.get(userId);
    if (!user) throw new Error(`Stand-in: unknown user ${userId}`);
    return user;
  }

  apiUser(userId: string): APIUser {
    const user = this.requireUser(userId);
    return {
      id: user.id,
      username: user.username,
      discriminator: user.bot ? '0000' : '0',
      global_name: user.globalName,
      avatar: null,
      ...(user.bot ? { bot: true } : {}),
      public_flags: 0 as UserFlags,
      flags: 0 as UserFlags,
      banner: null,
      accent_color: null,
      avatar_decoration_data: null,
      collectibles: null,
      primary_guild: null,
    };
  }

  // ---- guilds, roles, members ----------------------------------------------------------

  addGuild(input: { name: string; ownerId: string; preferredLocale: Locale; everyonePermissions: bigint }): GuildRecord {
    const id = this.ids.next();
    const guild: GuildRecord = {
      id,
      name: input.name,
      ownerId: input.ownerId,
      preferredLocale: input.preferredLocale,
      joinedAt: nowIso(),
      roles: new Map(),
      members: new Map(),
      systemChannelId: null,
    };
    // The @everyone role shares the guild's id.
    guild.roles.set(id, {
      id,
      guildId: id,
      name: '@everyone',
      permissions: input.everyonePermissions,
      position: 0,
      color: 0,
      hoist: false,
      mentionable: false,
      managed: false,
      botId: null,
      tags: null,
    });
    this.guilds.set(id, guild);
    return guild;
  }

  requireGuild(guildId: string): GuildRecord {
    const guild = this.guilds.get(guildId);
    if (!guild) throw new Error(`Stand-in: unknown guild ${guildId}`);
    return guild;
  }

  addRole(
    guildId: string,
    input: {
      name: string;
      permissions: bigint;
      mentionable?: boolean;
      managedBotId?: string;
      position?: number;
      /** A role Discord manages for an integration or boosting (not a bot): `managed: true` with these tags. */
      managedTags?: Omit<APIRoleTags, 'bot_id'>;
    },
  ): RoleRecord {
    const guild = this.requireGuild(guildId);
    const others = [...guild.roles.values()].filter((role) => role.id !== guildId);
    // Discord creates new roles just above @everyone; managed bot roles go on top.
    const position = input.position ?? (input.managedBotId ? others.length + 1 : 1);
    for (const role of others) if (role.position >= position) role.position += 1;
    const role: RoleRecord = {
      id: this.ids.next(),
      guildId,
      name: input.name,
      permissions: input.permissions,
      position,
      color: 0,
      hoist: false,
      mentionable: input.mentionable ?? false,
      managed: Boolean(input.managedBotId) || Boolean(input.managedTags),
      botId: input.managedBotId ?? null,
      tags: input.managedTags ?? null,
    };
    guild.roles.set(role.id, role);
    return role;
  }

  addMember(guildId: string, userId: string, roles: string[] = []): MemberRecord {
    const guild = this.requireGuild(guildId);
    this.requireUser(userId);
    for (const roleId of roles) {
      if (!guild.roles.has(roleId) || roleId === guildId) throw new Error(`Stand-in: role ${roleId} is not assignable in ${guildId}`);
    }
    const member: MemberRecord = { userId, roles: [...roles], joinedAt: nowIso(), nick: null };
    guild.members.set(userId, member);
    return member;
  }

  member(guildId: string, userId: string): MemberRecord | undefined {
    return this.guilds.get(guildId)?.members.get(userId);
  }

  apiRole(role: RoleRecord): APIRole {
    return {
      id: role.id,
      name: role.name,
      color: role.color,
      colors: { primary_color: role.color, secondary_color: null, tertiary_color: null },
      hoist: role.hoist,
      icon: null,
      unicode_emoji: null,
      position: role.position,
      permissions: role.permissions.toString(),
      managed: role.managed,
      mentionable: role.mentionable,
      flags: 0 as RoleFlags,
      ...(role.botId || role.tags ? { tags: { ...(role.botId ? { bot_id: role.botId } : {}), ...role.tags } } : {}),
    };
  }

  apiMember(guildId: string, userId: string): APIGuildMember {
    const member = this.member(guildId, userId);
    if (!member) throw new Error(`Stand-in: ${userId} is not a member of ${guildId}`);
    return {
      user: this.apiUser(userId),
      nick: member.nick,
      avatar: null,
      banner: null,
      roles: [...member.roles],
      joined_at: member.joinedAt,
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0 as GuildMemberFlags,
      pending: false,
      communication_disabled_until: null,
    };
  }

  // ---- channels & threads ----------------------------------------------------------------

  addChannel(input: Omit<ChannelRecord, 'id' | 'lastMessageId' | 'flags'> & { id?: string }): ChannelRecord {
    const record: ChannelRecord = { ...input, id: input.id ?? this.ids.next(), lastMessageId: null, flags: 0 };
    this.channels.set(record.id, record);
    this.channelMessageIds.set(record.id, []);
    return record;
  }

  requireChannel(channelId: string): ChannelRecord {
    const channel = this.channels.get(channelId);
    if (!channel) throw new Error(`Stand-in: unknown channel ${channelId}`);
    return channel;
  }

  guildChannels(guildId: string): ChannelRecord[] {
    return [...this.channels.values()].filter((channel) => channel.guildId === guildId);
  }

  apiOverwrite(overwrite: OverwriteRecord): APIOverwrite {
    return { id: overwrite.id, type: overwrite.type, allow: overwrite.allow.toString(), deny: overwrite.deny.toString() };
  }

  apiThreadMember(threadId: string, member: ThreadMemberRecord): APIThreadMember {
    return { id: threadId, user_id: member.userId, join_timestamp: member.joinTimestamp, flags: member.flags };
  }

  /** Channel object as REST returns it (`GET /channels/{id}`). */
  apiChannel(channelId: string, options: { includeGuildId?: boolean } = {}): APIChannel {
    const channel = this.requireChannel(channelId);
    const includeGuildId = options.includeGuildId ?? true;
    if (channel.type === ChannelType.DM) {
      return {
        id: channel.id,
        type: ChannelType.DM,
        name: null,
        last_message_id: channel.lastMessageId,
        flags: 0 as ChannelFlags,
        recipients: channel.recipientIds.filter((id) => id !== this.botUserId).map((id) => this.apiUser(id)),
      };
    }
    if (channel.thread) {
      const thread = channel.thread;
      const data: APIThreadChannel = {
        id: channel.id,
        type: channel.type as ThreadChannelType,
        guild_id: channel.guildId ?? undefined,
        parent_id: channel.parentId ?? undefined,
        owner_id: thread.ownerId,
        name: channel.name ?? '',
        last_message_id: channel.lastMessageId,
        rate_limit_per_user: channel.rateLimitPerUser,
        flags: channel.flags,
        message_count: thread.messageCount,
        member_count: Math.min(thread.members.size, 50),
        total_message_sent: thread.totalMessageSent,
        thread_metadata: {
          archived: thread.archived,
          auto_archive_duration: thread.autoArchiveDuration,
          archive_timestamp: thread.archiveTimestamp,
          locked: thread.locked,
          create_timestamp: thread.createTimestamp,
          ...(channel.type === ChannelType.PrivateThread ? { invitable: thread.invitable } : {}),
        },
      };
      return data as APIChannel;
    }
    const data = {
      id: channel.id,
      type: channel.type,
      ...(includeGuildId && channel.guildId ? { guild_id: channel.guildId } : {}),
      name: channel.name ?? '',
      position: channel.position,
      permission_overwrites: channel.overwrites.map((overwrite) => this.apiOverwrite(overwrite)),
      parent_id: channel.parentId,
      nsfw: channel.nsfw,
      topic: channel.topic,
      last_message_id: channel.lastMessageId,
      rate_limit_per_user: channel.rateLimitPerUser,
      flags: channel.flags,
    };
    // Discord-shaped for every guild channel type we model; the union is too wide to narrow here.
    return data as APIChannel;
  }

  // ---- guild payloads ------------------------------------------------------------------

  /** Guild object as `GET /guilds/{id}` returns it. */
  apiGuild(guildId: string): APIGuild {
    const guild = this.requireGuild(guildId);
    return {
      id: guild.id,
      name: guild.name,
      icon: null,
      icon_hash: null,
      splash: null,
      discovery_splash: null,
      owner_id: guild.ownerId,
      afk_channel_id: null,
      afk_timeout: 300,
      widget_enabled: false,
      widget_channel_id: null,
      verification_level: GuildVerificationLevel.None,
      default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
      explicit_content_filter: GuildExplicitContentFilter.Disabled,
      roles: [...guild.roles.values()].map((role) => this.apiRole(role)),
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: GuildMFALevel.None,
      application_id: null,
      system_channel_id: guild.systemChannelId,
      system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotificationReplies,
      rules_channel_id: null,
      max_presences: null,
      max_members: 500000,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: GuildPremiumTier.None,
      premium_subscription_count: 0,
      preferred_locale: guild.preferredLocale,
      public_updates_channel_id: null,
      max_video_channel_users: 25,
      max_stage_video_channel_users: 50,
      nsfw_level: GuildNSFWLevel.Default,
      premium_progress_bar_enabled: false,
      hub_type: null,
      safety_alerts_channel_id: null,
      incidents_data: null,
    };
  }

  /**
   * GUILD_CREATE payload as a bot without the GuildMembers/GuildPresences intents gets it:
   * `members` only holds the bot's own member. Threads are the active ones the bot can see.
   */
  guildCreatePayload(guildId: string, canBotView: (channelId: string) => boolean): GatewayGuildCreateDispatchData {
    const guild = this.requireGuild(guildId);
    const channels = this.guildChannels(guildId);
    return {
      ...this.apiGuild(guildId),
      joined_at: guild.joinedAt,
      large: false,
      unavailable: false,
      member_count: guild.members.size,
      voice_states: [],
      members: guild.members.has(this.botUserId) ? [this.apiMember(guildId, this.botUserId)] : [],
      channels: channels
        .filter((channel) => !channel.thread)
        .map((channel) => this.apiChannel(channel.id, { includeGuildId: false })) as GatewayGuildCreateDispatchData['channels'],
      threads: channels
        .filter((channel) => channel.thread && !channel.thread.archived && canBotView(channel.id))
        .map((channel) => this.apiChannel(channel.id)) as GatewayGuildCreateDispatchData['threads'],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  // ---- messages ------------------------------------------------------------------------

  storeMessage(stored: StoredMessage): void {
    this.messages.set(stored.message.id, stored);
    const list = this.channelMessageIds.get(stored.message.channel_id);
    if (list) list.push(stored.message.id);
    else this.channelMessageIds.set(stored.message.channel_id, [stored.message.id]);
  }

  /** All non-deleted messages of a channel, oldest first (including ephemeral ones). */
  channelMessages(channelId: string): StoredMessage[] {
    const ids = this.channelMessageIds.get(channelId) ?? [];
    return ids.map((id) => this.messages.get(id)).filter((stored): stored is StoredMessage => Boolean(stored && !stored.deleted));
  }
}

