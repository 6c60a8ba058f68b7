import { ChannelType, PermissionFlagsBits, type Guild } from 'discord.js';
import { DomainError } from '../../domain/errors.js';
import { SCHEDULE_MAX_LENGTH } from '../../domain/support/support-hours.js';
import { t, type Language, type MessageKey } from '../../i18n/index.js';
import type { Services } from '../../services.js';
import { OptionType, type OptionDeclaration } from '../command-definition.js';
import { supportPanel, timestamp } from './render.js';
import type { CommandContext } from '../types.js';

/** `/setup hours` and `/setup panel`, declared here and spread into the /setup declaration. */
export const supportSetupSubcommands: OptionDeclaration[] = [
  {
    name: 'hours',
    type: OptionType.Subcommand,
    options: [
      { name: 'timezone', type: OptionType.String, maxLength: 64 },
      { name: 'schedule', type: OptionType.String, maxLength: SCHEDULE_MAX_LENGTH },
      { name: 'clear', type: OptionType.Boolean },
    ],
  },
  {
    name: 'panel',
    type: OptionType.Subcommand,
    options: [
      { name: 'channel', type: OptionType.Channel, required: true, channelTypes: [ChannelType.GuildText, ChannelType.GuildAnnouncement] },
    ],
  },
];

const PANEL_NEEDS = {
  ViewChannel: PermissionFlagsBits.ViewChannel,
  SendMessages: PermissionFlagsBits.SendMessages,
  EmbedLinks: PermissionFlagsBits.EmbedLinks,
} as const;

/** Lines for /setup show: the support hours (the privacy audit checks that the team can be pinged). */
export function supportSetupLines(services: Services, guild: Guild, lang: Language): string[] {
  const hours = services.supportHours.get(guild.id);
  return [hours ? t(lang, 'support.hours.summary', { timezone: hours.timezone, schedule: hours.schedule }) : t(lang, 'support.hours.none')];
}

export async function setupHours(context: CommandContext): Promise<void> {
  const { interaction, services, guildId, t: tr } = context;
  if (interaction.options.getBoolean('clear')) {
    services.supportHours.clear(guildId);
    return context.reply({ content: tr('support.hours.cleared'), ephemeral: true });
  }
  const timezone = interaction.options.getString('timezone');
  const schedule = interaction.options.getString('schedule');
  if (!timezone && !schedule) return context.reply({ content: tr('setup.nothingGiven'), ephemeral: true });
  const hours = services.supportHours.set(guildId, { timezone, schedule });
  const next = services.supportHours.nextAvailable(guildId);
  const now = next === null ? tr('support.hours.openNow') : tr('support.hours.closedNow', { next: timestamp(next), relative: timestamp(next, 'R') });
  await context.reply({ content: `${tr('support.hours.saved', { timezone: hours.timezone, schedule: hours.schedule })}\n${now}`, ephemeral: true });
}

/** Posts the bilingual "Request help" panel, after checking the bot can post there. */
export async function setupPanel(context: CommandContext): Promise<void> {
  const { interaction, lang } = context;
  const option = interaction.options.getChannel('channel', true);
  const channel = interaction.guild.channels.cache.get(option.id);
  if (!channel || (channel.type !== ChannelType.GuildText && channel.type !== ChannelType.GuildAnnouncement)) {
    throw new DomainError('support.panel.unusableChannel', { channel: `<#${option.id}>` });
  }
  const me = interaction.guild.members.me ?? (await interaction.guild.members.fetchMe());
  const granted = channel.permissionsFor(me);
  const missing = Object.entries(PANEL_NEEDS)
    .filter(([, bit]) => !granted.has(bit))
    .map(([name]) => t(lang, `permissions.${name}` as MessageKey));
  if (missing.length > 0) {
    throw new DomainError('support.panel.missingPermissions', { channel: `<#${channel.id}>`, permissions: missing.join(', ') });
  }
  const message = await channel.send({ ...supportPanel(), allowedMentions: { parse: [] } });
  await context.reply({ content: context.t('support.panel.posted', { channel: `<#${channel.id}>`, url: message.url }), ephemeral: true });
}
