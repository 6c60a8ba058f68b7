import { Client, GatewayIntentBits, Options, PermissionFlagsBits } from 'discord.js';
import type { Config } from '../config.js';

/**
 * Exactly what the bot needs in a channel: read and post, embed links, and run private support
 * threads. The invite URL and /setup's permission check both use this list.
 */
export const REQUIRED_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.CreatePrivateThreads |
  PermissionFlagsBits.ManageThreads;

export function inviteUrl(applicationId: string, permissions: bigint = REQUIRED_PERMISSIONS): string {
  const params = new URLSearchParams({
    client_id: applicationId,
    scope: 'bot applications.commands',
    permissions: permissions.toString(),
  });
  return `https://discord.com/oauth2/authorize?${params.toString()}`;
}

/**
 * The one-step setup (/setup start) can create the channels and roles when the bot also has
 * Manage Channels and Manage Roles; this second link asks for them, and the flow says afterwards
 * that they can be removed again.
 */
export const SETUP_PERMISSIONS = REQUIRED_PERMISSIONS | PermissionFlagsBits.ManageChannels | PermissionFlagsBits.ManageRoles;

export function setupInviteUrl(applicationId: string): string {
  return inviteUrl(applicationId, SETUP_PERMISSIONS);
}

/**
 * Plain lines printed after the `ready:` log line when a person watches the terminal: a JSON log
 * line is hard to click, a bare URL is not. Nothing when stdout is a pipe or a log collector.
 */
export function readyConsoleLines(applicationId: string, isTTY: boolean): string[] {
  if (!isTTY) return [];
  return [
    `Invite the bot: ${inviteUrl(applicationId)}`,
    `One-step setup invite (also Manage Channels and Manage Roles, for /setup start): ${setupInviteUrl(applicationId)}`,
  ];
}

/**
 * Non-privileged intents only: Guilds for channels, roles and threads, GuildMessages to notice
 * *that* someone posted in a support thread. No MessageContent: the bot never reads what people
 * write. Caches keep only what handlers use, so memory stays flat in a large server.
 */
export function createDiscordClient(config: Config): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages],
    rest: { api: config.DISCORD_API_URL },
    allowedMentions: { parse: [] },
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      MessageManager: 0,
      GuildMessageManager: 0,
      ThreadMemberManager: 0,
      ReactionManager: 0,
      ReactionUserManager: 0,
      PresenceManager: 0,
      VoiceStateManager: 0,
      GuildEmojiManager: 0,
      GuildStickerManager: 0,
      GuildScheduledEventManager: 0,
      StageInstanceManager: 0,
      GuildInviteManager: 0,
      GuildBanManager: 0,
      AutoModerationRuleManager: 0,
      ApplicationCommandManager: 0,
      GuildMemberManager: { maxSize: 200, keepOverLimit: (member) => member.id === member.client.user.id },
      UserManager: { maxSize: 200, keepOverLimit: (user) => user.id === user.client.user.id },
    }),
    sweepers: {
      ...Options.DefaultSweeperSettings,
      threads: { interval: 3_600, lifetime: 3_600 },
    },
  });
}
