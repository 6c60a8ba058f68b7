import { ChannelType, EmbedBuilder, PermissionFlagsBits, type Guild } from 'discord.js';
import { OptionType, type OptionDeclaration } from '../src/discord/command-definition.js';
import { missingChannelPermissions, type ChannelPurpose } from '../src/discord/channel-permissions.js';
import { runPrivacyAudit } from '../src/discord/setup/privacy-audit.js';
import { auditEmbed } from '../src/discord/setup/privacy-audit-render.js';
import { assertTeamRoles } from '../src/discord/setup/team-roles.js';
import { setupHours, setupPanel, supportSetupLines, supportSetupSubcommands } from '../src/discord/support/setup.js';
import { setupStart, setupStartComponents, setupStartSubcommand } from '../src/discord/setup/setup-start.js';
import type { CommandContext, CommandModule } from '../src/discord/types.js';
import type { Services } from '../src/services.js';
import { REMINDER_HOURS, RETENTION_DAYS, SECURE_CONTACT_MAX_LENGTH, type GuildSettings } from '../src/domain/guild-settings.js';
import type { Language } from '../src/i18n/index.js';
import { t as translate } from '../src/i18n/index.js';

const TEXT_CHANNELS = [ChannelType.GuildText, ChannelType.GuildAnnouncement] as const;

const CHANNEL_OPTIONS: Record<ChannelPurpose, keyof GuildSettings> = {
  support: 'supportChannelId',
  triage: 'triageChannelId',
  updates: 'updatesChannelId',
  advocacy: 'advocacyChannelId',
  tasks: 'tasksChannelId',
  modlog: 'modlogChannelId',
};

const ROLE_OPTIONS = {
  moderator: 'moderatorRoleId',
  support: 'supportRoleId',
  spanish_support: 'spanishSupportRoleId',
  volunteer: 'volunteerRoleId',
} as const;

const channelOption = (name: string): OptionDeclaration => ({
  name,
  type: OptionType.Channel,
  // The support channel hosts private threads, which announcement channels cannot have.
  channelTypes: name === 'support' ? [ChannelType.GuildText] : [...TEXT_CHANNELS],
});

export const setup: CommandModule = {
  declaration: {
    name: 'setup',
    defaultMemberPermissions: PermissionFlagsBits.ManageGuild,
    options: [
      {
        name: 'channels',
        type: OptionType.Subcommand,
        options: Object.keys(CHANNEL_OPTIONS).map(channelOption),
      },
      {
        name: 'roles',
        type: OptionType.Subcommand,
        options: Object.keys(ROLE_OPTIONS).map((name) => ({ name, type: OptionType.Role })),
      },
      {
        name: 'volunteer-form',
        type: OptionType.Subcommand,
        options: [{ name: 'url', type: OptionType.String, required: true, maxLength: 512 }],
      },
      {
        name: 'retention',
        type: OptionType.Subcommand,
        options: [
          { name: 'days', type: OptionType.Integer, required: true, minValue: RETENTION_DAYS.min, maxValue: RETENTION_DAYS.max },
          { name: 'conversations', type: OptionType.String, choices: ['delete', 'keep'] },
        ],
      },
      {
        name: 'secure-contact',
        type: OptionType.Subcommand,
        options: [
          { name: 'text', type: OptionType.String, maxLength: SECURE_CONTACT_MAX_LENGTH },
          { name: 'clear', type: OptionType.Boolean },
        ],
      },
      {
        name: 'reminders',
        type: OptionType.Subcommand,
        options: [
          { name: 'hours', type: OptionType.Integer, required: true, minValue: REMINDER_HOURS.min, maxValue: REMINDER_HOURS.max },
        ],
      },
      ...supportSetupSubcommands,
      { name: 'show', type: OptionType.Subcommand },
      setupStartSubcommand,
    ],
  },
  access: 'admin',
  async execute(context) {
    const { interaction, services, guildId } = context;
    switch (interaction.options.getSubcommand(true)) {
      case 'channels': {
        const changes: Partial<Record<keyof GuildSettings, string>> = {};
        for (const [option, column] of Object.entries(CHANNEL_OPTIONS)) {
          const channel = interaction.options.getChannel(option);
          if (channel) changes[column] = channel.id;
        }
        if (Object.keys(changes).length === 0) return context.reply({ content: context.t('setup.nothingGiven'), ephemeral: true });
        const settings = services.settings.setChannels(guildId, changes);
        return showSettings(context, settings, context.t('setup.saved'));
      }
      case 'roles': {
        assertTeamRoles(context, Object.keys(ROLE_OPTIONS));
        const changes: Partial<Record<keyof GuildSettings, string>> = {};
        for (const [option, column] of Object.entries(ROLE_OPTIONS)) {
          const role = interaction.options.getRole(option);
          if (role) changes[column] = role.id;
        }
        if (Object.keys(changes).length === 0) return context.reply({ content: context.t('setup.nothingGiven'), ephemeral: true });
        const settings = services.settings.setRoles(guildId, changes);
        return showSettings(context, settings, context.t('setup.saved'));
      }
      case 'volunteer-form': {
        const settings = services.settings.setVolunteerForm(guildId, interaction.options.getString('url', true));
        return showSettings(context, settings, context.t('setup.saved'));
      }
      case 'retention': {
        const conversations = interaction.options.getString('conversations');
        if (conversations) services.settings.setRetentionConversations(guildId, conversations as 'delete' | 'keep');
        const settings = services.settings.setRetentionDays(guildId, interaction.options.getInteger('days', true));
        return showSettings(context, settings, context.t('setup.saved'));
      }
      case 'secure-contact': {
        if (interaction.options.getBoolean('clear')) {
          services.settings.setSecureContact(guildId, null);
          return context.reply({ content: context.t('setup.secureContact.cleared'), ephemeral: true });
        }
        const text = interaction.options.getString('text');
        if (text === null) return context.reply({ content: context.t('setup.nothingGiven'), ephemeral: true });
        const settings = services.settings.setSecureContact(guildId, text);
        return context.reply({ content: context.t('setup.secureContact.saved', { contact: settings.secureContact ?? '' }), ephemeral: true });
      }
      case 'reminders': {
        const settings = services.settings.setReminderHours(guildId, interaction.options.getInteger('hours', true));
        return showSettings(context, settings, context.t('setup.saved'));
      }
      case 'hours':
        return setupHours(context);
      case 'panel':
        return setupPanel(context);
      case 'start':
        return setupStart(settingsEmbeds)(context);
      default:
        return showSettings(context, services.settings.get(guildId));
    }
  },
  components: setupStartComponents(settingsEmbeds),
};

const mention = (kind: 'channel' | 'role', id: string | null, lang: Language) =>
  id === null ? translate(lang, 'setup.notSet') : kind === 'channel' ? `<#${id}>` : `<@&${id}>`;

async function permissionReport(guild: Guild, settings: GuildSettings, lang: Language): Promise<string[]> {
  const problems: string[] = [];
  for (const [purpose, column] of Object.entries(CHANNEL_OPTIONS) as [ChannelPurpose, keyof GuildSettings][]) {
    const channelId = settings[column];
    if (typeof channelId !== 'string') continue;
    const channel = guild.channels.cache.get(channelId);
    if (!channel) {
      problems.push(translate(lang, 'setup.channelMissing', { channel: `<#${channelId}>`, purpose }));
      continue;
    }
    const missing = await missingChannelPermissions(guild, channel, purpose);
    if (missing.length > 0) {
      problems.push(
        translate(lang, 'setup.permissionsMissing', {
          channel: `<#${channelId}>`,
          permissions: missing.map((flag) => translate(lang, `permissions.${flag}` as never)).join(', '),
        }),
      );
    }
  }
  return problems;
}

/** The /setup show embed: every setting, then what the bot cannot do in the configured channels. */
async function settingsEmbed(guild: Guild, services: Services, settings: GuildSettings, lang: Language): Promise<EmbedBuilder> {
  const t = (key: Parameters<typeof translate>[1], vars?: Parameters<typeof translate>[2]) => translate(lang, key, vars);
  const channelLines = (Object.entries(CHANNEL_OPTIONS) as [ChannelPurpose, keyof GuildSettings][]).map(
    ([purpose, column]) => `${t(`setup.channelNames.${purpose}`)}: ${mention('channel', settings[column] as string | null, lang)}`,
  );
  const roleLines = (Object.entries(ROLE_OPTIONS) as [keyof typeof ROLE_OPTIONS, keyof GuildSettings][]).map(
    ([role, column]) => `${t(`setup.roleNames.${role}`)}: ${mention('role', settings[column] as string | null, lang)}`,
  );
  const problems = await permissionReport(guild, settings, lang);
  return new EmbedBuilder()
    .setTitle(t('setup.title'))
    .addFields(
      { name: t('setup.channelsHeading'), value: channelLines.join('\n') },
      { name: t('setup.rolesHeading'), value: roleLines.join('\n') },
      {
        name: t('setup.otherHeading'),
        value: [
          t('setup.volunteerForm', { url: settings.volunteerFormUrl }),
          `${t('setup.retentionDays', { count: settings.retentionDays })} ${t(`setup.retentionConversations.${settings.retentionConversations}`)}`,
          settings.secureContact ? t('setup.secureContact.line', { contact: settings.secureContact }) : t('setup.secureContact.notSet'),
          t('setup.reminderHours', { count: settings.reminderHours }),
          ...supportSetupLines(services, guild, lang),
        ].join('\n'),
      },
      {
        name: t('setup.permissionsHeading'),
        value: problems.length === 0 ? t('setup.permissionsOk') : problems.join('\n').slice(0, 1024),
      },
    );
}

/** /setup show: the settings embed, then the privacy audit sized to fit beside it. */
async function settingsEmbeds(guild: Guild, services: Services, settings: GuildSettings, lang: Language): Promise<EmbedBuilder[]> {
  const embed = await settingsEmbed(guild, services, settings, lang);
  const audit = auditEmbed(await runPrivacyAudit(guild, settings), guild.id, lang, [embed.toJSON()]);
  return [embed, audit];
}

async function showSettings(context: CommandContext, settings: GuildSettings, headline?: string): Promise<void> {
  const embeds = await settingsEmbeds(context.interaction.guild, context.services, settings, context.lang);
  await context.reply({ content: headline, embeds, ephemeral: true });
}
