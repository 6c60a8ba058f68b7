import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ChannelType,
  MessageFlags,
  PermissionFlagsBits,
  type APIApplicationCommand,
  type APIApplicationCommandOption,
  type APIMessage,
} from 'discord-api-types/v10';
import type { DemoGuild, Persona } from './demo-guild.js';
import type { DiscordStandIn } from './stand-in.js';

/** What the page needs to draw one persona's Discord: only what that member could see. */
export interface Snapshot {
  guild: { id: string; name: string };
  persona: { key: string; userId: string; locale: string };
  personas: { key: string; label: string }[];
  botUserId: string;
  channels: ChannelView[];
  users: Record<string, { name: string; bot: boolean }>;
  roles: Record<string, { name: string; color: number }>;
  /** Names for channel mentions; channels the persona cannot see are absent (drawn as "No access"). */
  channelNames: Record<string, string>;
  commands: CommandView[];
}

export interface ChannelView {
  id: string;
  name: string;
  topic: string | null;
  parentId: string | null;
  thread: boolean;
  privateThread: boolean;
  canSend: boolean;
}

/** One invocable leaf: a command, or one of its subcommands, with names in the persona's language. */
export interface CommandView {
  command: string;
  subcommandGroup?: string;
  subcommand?: string;
  /** e.g. "guía" or "programación añadir", localized. */
  label: string;
  description: string;
  options: OptionView[];
}

export interface OptionView {
  name: string;
  label: string;
  description: string;
  type: number;
  required: boolean;
  autocomplete: boolean;
  choices: { name: string; value: string | number }[];
  channelTypes: number[] | null;
  minValue: number | null;
  maxValue: number | null;
  maxLength: number | null;
}

export interface MessageView {
  id: string;
  channelId: string;
  author: { id: string; name: string; bot: boolean };
  content: string;
  embeds: APIMessage['embeds'];
  components: APIMessage['components'];
  timestamp: string;
  edited: boolean;
  ephemeral: boolean;
  /** "<name> used /<command>" for command replies. */
  usedCommand: { user: string; command: string } | null;
}

type Localized = { name_localizations?: Partial<Record<string, string | null>> | null; description_localizations?: Partial<Record<string, string | null>> | null };

const localName = (item: { name: string } & Localized, locale: string): string => item.name_localizations?.[locale] ?? item.name;
const localDescription = (item: { description: string } & Localized, locale: string): string => item.description_localizations?.[locale] ?? item.description;

export function displayName(standIn: DiscordStandIn, guildId: string, userId: string): string {
  const user = standIn.state.users.get(userId);
  if (!user) return 'Unknown user';
  return standIn.state.member(guildId, userId)?.nick ?? user.globalName ?? user.username;
}

/** Whether Discord would list the command for this member (default_member_permissions; admins see all). */
function mayUse(command: APIApplicationCommand, permissions: bigint): boolean {
  if ((permissions & PermissionFlagsBits.Administrator) !== 0n) return true;
  if (command.default_member_permissions === null || command.default_member_permissions === undefined) return true;
  const required = BigInt(command.default_member_permissions);
  return required !== 0n && (permissions & required) === required;
}

function optionView(option: APIApplicationCommandOption, locale: string): OptionView {
  const raw = option as APIApplicationCommandOption & {
    required?: boolean;
    autocomplete?: boolean;
    choices?: ({ name: string; value: string | number } & Localized)[];
    channel_types?: number[];
    min_value?: number;
    max_value?: number;
    max_length?: number;
  };
  return {
    name: option.name,
    label: localName(option, locale),
    description: localDescription(option, locale),
    type: option.type,
    required: raw.required === true,
    autocomplete: raw.autocomplete === true,
    choices: (raw.choices ?? []).map((choice) => ({ name: localName(choice, locale), value: choice.value })),
    channelTypes: raw.channel_types ?? null,
    minValue: raw.min_value ?? null,
    maxValue: raw.max_value ?? null,
    maxLength: raw.max_length ?? null,
  };
}

export function commandViews(commands: APIApplicationCommand[], locale: string, permissions: bigint): CommandView[] {
  const views: CommandView[] = [];
  for (const command of commands) {
    if (command.type !== undefined && command.type !== ApplicationCommandType.ChatInput) continue;
    if (!mayUse(command, permissions)) continue;
    const base = localName(command, locale);
    const options = command.options ?? [];
    const nested = options.filter((option) => option.type === ApplicationCommandOptionType.Subcommand || option.type === ApplicationCommandOptionType.SubcommandGroup);
    if (nested.length === 0) {
      views.push({ command: command.name, label: base, description: localDescription(command, locale), options: options.map((option) => optionView(option, locale)) });
      continue;
    }
    for (const sub of nested) {
      if (sub.type === ApplicationCommandOptionType.SubcommandGroup) {
        for (const leaf of sub.options ?? []) {
          views.push({
            command: command.name,
            subcommandGroup: sub.name,
            subcommand: leaf.name,
            label: `${base} ${localName(sub, locale)} ${localName(leaf, locale)}`,
            description: localDescription(leaf, locale),
            options: (leaf.options ?? []).map((option) => optionView(option, locale)),
          });
        }
      } else if (sub.type === ApplicationCommandOptionType.Subcommand) {
        views.push({
          command: command.name,
          subcommand: sub.name,
          label: `${base} ${localName(sub, locale)}`,
          description: localDescription(sub, locale),
          options: (sub.options ?? []).map((option) => optionView(option, locale)),
        });
      }
    }
  }
  return views.sort((a, b) => a.label.localeCompare(b.label, locale));
}

export function snapshot(standIn: DiscordStandIn, demo: DemoGuild, persona: Persona): Snapshot {
  const guild = standIn.state.requireGuild(demo.guildId);
  const all = standIn.state.guildChannels(demo.guildId);
  const visible = all.filter((channel) => standIn.canView(persona.userId, channel.id));
  const channels: ChannelView[] = visible
    .filter((channel) => channel.type === ChannelType.GuildText || channel.type === ChannelType.GuildAnnouncement || channel.thread)
    .map((channel) => {
      const permissions = standIn.permissionsFor(persona.userId, channel.id);
      const send = channel.thread ? PermissionFlagsBits.SendMessagesInThreads : PermissionFlagsBits.SendMessages;
      return {
        id: channel.id,
        name: channel.name ?? '',
        topic: channel.topic,
        parentId: channel.parentId,
        thread: channel.thread !== null,
        privateThread: channel.type === ChannelType.PrivateThread,
        canSend: (permissions & send) === send && !(channel.thread?.locked ?? false),
      };
    });
  const users: Snapshot['users'] = {};
  for (const userId of guild.members.keys()) users[userId] = { name: displayName(standIn, demo.guildId, userId), bot: standIn.state.users.get(userId)?.bot ?? false };
  const roles: Snapshot['roles'] = {};
  for (const role of guild.roles.values()) roles[role.id] = { name: role.id === guild.id ? '@everyone' : role.name, color: role.color };
  const general = demo.channels.general;
  return {
    guild: { id: guild.id, name: guild.name },
    persona: { key: persona.key, userId: persona.userId, locale: persona.locale },
    personas: demo.personas.map(({ key, label }) => ({ key, label })),
    botUserId: standIn.botUserId,
    channels,
    users,
    roles,
    channelNames: Object.fromEntries(visible.map((channel) => [channel.id, channel.name ?? ''])),
    commands: commandViews(standIn.registeredCommands(demo.guildId), persona.locale, standIn.permissionsFor(persona.userId, general)),
  };
}

/** The channel's messages as the persona sees them: everyone's, plus ephemeral replies meant for them. */
export function messagesFor(standIn: DiscordStandIn, demo: DemoGuild, persona: Persona, channelId: string): MessageView[] | null {
  if (!standIn.canView(persona.userId, channelId)) return null;
  return standIn
    .messagesIn(channelId, { includeEphemeral: true })
    .filter((stored) => !stored.ephemeralRecipientId || stored.ephemeralRecipientId === persona.userId)
    .map(({ message }) => {
      const interaction = message.interaction;
      return {
        id: message.id,
        channelId: message.channel_id,
        author: { id: message.author.id, name: displayName(standIn, demo.guildId, message.author.id), bot: message.author.bot === true },
        content: message.content ?? '',
        embeds: message.embeds ?? [],
        components: message.components ?? [],
        timestamp: message.timestamp,
        edited: message.edited_timestamp !== null && message.edited_timestamp !== undefined,
        ephemeral: ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0,
        usedCommand: interaction ? { user: displayName(standIn, demo.guildId, interaction.user.id), command: interaction.name } : null,
      };
    });
}

/**
 * A cheap fingerprint of everything a page can show. The server compares it a few times a second
 * and tells connected pages to refresh when it changes (scheduled posts, another persona's actions).
 */
export function worldVersion(standIn: DiscordStandIn, guildId: string): string {
  const { state } = standIn;
  let messages = 0;
  for (const stored of state.messages.values()) messages += 1 + stored.revisions.length * 3 + (stored.deleted ? 7 : 0);
  let channels = 0;
  for (const channel of state.guildChannels(guildId)) {
    channels += 1 + channel.overwrites.length + (channel.thread ? channel.thread.members.size * 5 + (channel.thread.archived ? 11 : 0) + (channel.thread.locked ? 13 : 0) : 0);
    channels += (channel.name ?? '').length * 17;
  }
  const guild = state.requireGuild(guildId);
  let members = 0;
  for (const member of guild.members.values()) members += 1 + member.roles.length;
  return `${state.messages.size}:${messages}:${channels}:${members}:${guild.roles.size}:${standIn.registeredCommands(guildId).length}:${standIn.registrationCalls.length}`;
}
