import { EmbedBuilder } from 'discord.js';
import { OptionType, type OptionDeclaration } from '../src/discord/command-definition.js';
import { autocompleteTaskId } from '../src/discord/tasks/autocomplete.js';
import { taskNotifier } from '../src/discord/tasks/notifier.js';
import { taskEmbed } from '../src/discord/tasks/views.js';
import type { CommandContext, CommandModule } from '../src/discord/types.js';
import { DomainError } from '../src/domain/errors.js';
import { SKILLS } from '../src/domain/tasks/skills.js';
import { DESCRIPTION_MAX, LINK_MAX, TASK_LIMITS, TITLE_MAX, type TaskBoardSettings } from '../src/domain/tasks/task-service.js';

const idOption: OptionDeclaration = { name: 'id', type: OptionType.Integer, required: true, minValue: 1, autocomplete: true };

const fieldOptions = (required: boolean): OptionDeclaration[] => [
  { name: 'title', type: OptionType.String, required, maxLength: TITLE_MAX },
  { name: 'description', type: OptionType.String, required, maxLength: DESCRIPTION_MAX },
  { name: 'skill', type: OptionType.String, required, choices: SKILLS },
  { name: 'due', type: OptionType.String, maxLength: 40 },
  { name: 'link', type: OptionType.String, maxLength: LINK_MAX },
];

function settingsEmbed(context: CommandContext, settings: TaskBoardSettings): EmbedBuilder {
  return new EmbedBuilder()
    .setTitle(context.t('taskAdmin.settingsTitle'))
    .setDescription(
      [
        context.t('taskAdmin.settingsMaxClaims', { count: settings.maxClaims }),
        context.t('taskAdmin.settingsIdleDays', { count: settings.idleDays }),
      ].join('\n'),
    );
}

export const taskAdmin: CommandModule = {
  declaration: {
    name: 'task-admin',
    options: [
      // Discord wants required options first: title, description and skill lead.
      { name: 'create', type: OptionType.Subcommand, options: fieldOptions(true) },
      { name: 'edit', type: OptionType.Subcommand, options: [idOption, ...fieldOptions(false)] },
      { name: 'cancel', type: OptionType.Subcommand, options: [idOption] },
      {
        name: 'assign',
        type: OptionType.Subcommand,
        options: [idOption, { name: 'user', type: OptionType.User, required: true }],
      },
      {
        name: 'settings',
        type: OptionType.Subcommand,
        options: [
          { name: 'max_claims', type: OptionType.Integer, minValue: TASK_LIMITS.maxClaims.min, maxValue: TASK_LIMITS.maxClaims.max },
          { name: 'idle_days', type: OptionType.Integer, minValue: TASK_LIMITS.idleDays.min, maxValue: TASK_LIMITS.idleDays.max },
        ],
      },
    ],
  },
  // Staff reach the handler; managing the board is for moderators (not every support volunteer).
  access: 'staff',
  rules: [{ access: 'moderator', denied: 'taskAdmin.moderatorsOnly' }],
  autocomplete: autocompleteTaskId,
  async execute(context) {
    const { interaction, services, guildId, userId } = context;
    const options = interaction.options;
    const tasks = services.tasks;
    const notifier = taskNotifier(context.runtime.client, services, context.logger);

    switch (options.getSubcommand(true)) {
      case 'create': {
        const created = tasks.create(
          guildId,
          {
            title: options.getString('title', true),
            description: options.getString('description', true),
            skill: options.getString('skill', true),
            due: options.getString('due'),
            link: options.getString('link'),
          },
          userId,
        );
        const announced = await notifier.announce(created);
        const lines = [context.t('taskAdmin.created', { number: created.number, title: created.title })];
        if (announced.status === 'posted') lines.push(context.t('taskAdmin.announced', { channelId: announced.channelId }));
        else if (announced.status === 'no-channel') lines.push(context.t('taskAdmin.noChannel'));
        else lines.push(context.t('taskAdmin.announceFailed', { channelId: announced.channelId }));
        const latest = tasks.byId(created.id) ?? created;
        return context.reply({ content: lines.join('\n'), embeds: [taskEmbed(latest, context.lang, services.clock.now())], ephemeral: true });
      }
      case 'edit': {
        const edited = tasks.edit(guildId, options.getInteger('id', true), {
          title: options.getString('title'),
          description: options.getString('description'),
          skill: options.getString('skill'),
          due: options.getString('due'),
          link: options.getString('link'),
        });
        await context.reply({
          content: context.t('taskAdmin.edited', { number: edited.number, title: edited.title }),
          embeds: [taskEmbed(edited, context.lang, services.clock.now())],
          ephemeral: true,
        });
        return notifier.settled(edited.id);
      }
      case 'cancel': {
        const cancelled = tasks.cancel(guildId, options.getInteger('id', true));
        await context.reply({ content: context.t('taskAdmin.cancelled', { number: cancelled.number, title: cancelled.title }), ephemeral: true });
        return notifier.settled(cancelled.id);
      }
      case 'assign': {
        const user = options.getUser('user', true);
        if (user.bot) throw new DomainError('taskAdmin.errors.assignBot');
        const { task } = tasks.assign(guildId, options.getInteger('id', true), user.id);
        const notified = await notifier.notifyAssigned(task);
        const lines = [
          context.t('taskAdmin.assigned', { number: task.number, title: task.title, userId: user.id }),
          context.t(notified ? 'taskAdmin.assignedNotified' : 'taskAdmin.assignedNotNotified'),
        ];
        await context.reply({ content: lines.join('\n'), ephemeral: true });
        return notifier.settled(task.id);
      }
      case 'settings': {
        const maxClaims = options.getInteger('max_claims');
        const idleDays = options.getInteger('idle_days');
        const changing = maxClaims !== null || idleDays !== null;
        const settings = changing
          ? tasks.updateSettings(guildId, { ...(maxClaims !== null ? { maxClaims } : {}), ...(idleDays !== null ? { idleDays } : {}) })
          : tasks.getSettings(guildId);
        return context.reply({
          content: changing ? context.t('taskAdmin.settingsSaved') : undefined,
          embeds: [settingsEmbed(context, settings)],
          ephemeral: true,
        });
      }
      default:
        throw new Error(`unknown /task-admin subcommand ${options.getSubcommand(true)}`);
    }
  },
};
