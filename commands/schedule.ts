import { ChannelType, PermissionFlagsBits } from 'discord.js';
import { OptionType, type OptionDeclaration } from '../src/discord/command-definition.js';
import { channelWarning, frequencyWarning, jobName, respondWithNumbers, runLines, scheduleLine } from '../src/discord/posts/views.js';
import type { CommandModule } from '../src/discord/types.js';
import { POST_JOBS } from '../src/db/schema/index.js';
import { searchTimeZones } from '../src/domain/schedules/cron.js';
import { t } from '../src/i18n/index.js';

const idOption: OptionDeclaration = { name: 'id', type: OptionType.Integer, required: true, minValue: 1, autocomplete: true };
const timezoneOption: OptionDeclaration = { name: 'timezone', type: OptionType.String, autocomplete: true, maxLength: 64 };

export const schedule: CommandModule = {
  declaration: {
    name: 'schedule',
    defaultMemberPermissions: PermissionFlagsBits.ManageGuild,
    options: [
      {
        name: 'add',
        type: OptionType.Subcommand,
        options: [
          { name: 'job', type: OptionType.String, required: true, choices: POST_JOBS },
          { name: 'cron', type: OptionType.String, required: true, maxLength: 100 },
          { name: 'channel', type: OptionType.Channel, required: true, channelTypes: [ChannelType.GuildText, ChannelType.GuildAnnouncement] },
          timezoneOption,
          { name: 'digest', type: OptionType.Boolean },
        ],
      },
      { name: 'list', type: OptionType.Subcommand },
      { name: 'pause', type: OptionType.Subcommand, options: [idOption] },
      { name: 'resume', type: OptionType.Subcommand, options: [idOption] },
      { name: 'remove', type: OptionType.Subcommand, options: [idOption] },
      { name: 'run', type: OptionType.Subcommand, options: [idOption] },
      {
        name: 'preview',
        type: OptionType.Subcommand,
        options: [{ name: 'cron', type: OptionType.String, required: true, maxLength: 100 }, timezoneOption],
      },
    ],
  },
  access: 'admin',
  async execute(context) {
    const { interaction, services, guildId, lang } = context;
    const schedules = services.posts.schedules;
    const options = interaction.options;
    switch (options.getSubcommand(true)) {
      case 'add': {
        const channel = options.getChannel('channel', true);
        const { schedule: created, runs } = schedules.add({
          guildId,
          job: options.getString('job', true),
          cron: options.getString('cron', true),
          timezone: options.getString('timezone'),
          channelId: channel.id,
          digest: options.getBoolean('digest') ?? false,
          createdBy: context.userId,
        });
        const lines = [
          context.t('schedule.added', {
            id: created.number,
            job: jobName(created.job, lang),
            channel: `<#${created.channelId}>`,
            cron: created.cron,
            timezone: created.timezone,
            digest: created.digest ? context.t('schedule.digestSuffix') : '',
          }),
          context.t('schedule.nextRuns'),
          ...runLines(runs, created.cron, created.timezone, lang),
          frequencyWarning(runs, lang),
          await channelWarning(interaction.guild, created.channelId, created.job === 'advocacy' ? 'advocacy' : 'updates', lang),
        ];
        return context.reply({ content: lines.filter(Boolean).join('\n'), ephemeral: true });
      }
      case 'list': {
        const all = schedules.list(guildId);
        if (all.length === 0) return context.reply({ content: context.t('schedule.listEmpty'), ephemeral: true });
        const description = all.map((row) => scheduleLine(row, lang)).join('\n').slice(0, 4096);
        return context.reply({ embeds: [{ title: context.t('schedule.listTitle'), description }], ephemeral: true });
      }
      case 'pause': {
        const paused = schedules.pause(guildId, options.getInteger('id', true));
        return context.reply({ content: context.t('schedule.paused', { id: paused.number }), ephemeral: true });
      }
      case 'resume': {
        const { schedule: resumed, runs } = schedules.resume(guildId, options.getInteger('id', true));
        const lines = [
          context.t('schedule.resumed', { id: resumed.number }),
          context.t('schedule.nextRuns'),
          ...runLines(runs, resumed.cron, resumed.timezone, lang),
        ];
        return context.reply({ content: lines.join('\n'), ephemeral: true });
      }
      case 'remove': {
        const removed = schedules.remove(guildId, options.getInteger('id', true));
        return context.reply({ content: context.t('schedule.removed', { id: removed.number }), ephemeral: true });
      }
      case 'run': {
        const { schedule: ran, outcome } = await services.posts.postRuns.runNow(guildId, options.getInteger('id', true));
        const content =
          outcome.posts > 0
            ? context.t('schedule.ran', { id: ran.number, count: outcome.posts, channel: `<#${ran.channelId}>` })
            : context.t('schedule.ranNothing', {
                id: ran.number,
                reason: context.t(`schedule.runReasons.${outcome.reason ?? 'nothingQueued'}`),
              });
        return context.reply({ content, ephemeral: true });
      }
      default: {
        const preview = schedules.preview(options.getString('cron', true), options.getString('timezone'));
        const lines = [
          context.t('schedule.preview', { cron: preview.cron, timezone: preview.timezone }),
          ...runLines(preview.runs, preview.cron, preview.timezone, lang),
          frequencyWarning(preview.runs, lang),
        ];
        return context.reply({ content: lines.filter(Boolean).join('\n'), ephemeral: true });
      }
    }
  },
  async autocomplete(context) {
    const { interaction, services, lang } = context;
    const focused = interaction.options.getFocused(true);
    if (focused.name === 'timezone') {
      await interaction.respond(searchTimeZones(String(focused.value)).map((zone) => ({ name: zone, value: zone })));
      return;
    }
    const entries = services.posts.schedules.list(interaction.guildId).map((row) => ({
      number: row.number,
      label: `${t(lang, `schedule.jobs.${row.job}`)} · ${row.cron} (${row.timezone})${row.enabled ? '' : ` · ${t(lang, 'schedule.statePaused')}`}`,
    }));
    await respondWithNumbers(context, entries);
  },
};
