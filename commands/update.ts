import { OptionType } from '../src/discord/command-definition.js';
import { handleReview, numericArg } from '../src/discord/posts/review.js';
import { respondWithNumbers } from '../src/discord/posts/views.js';
import type { CommandContext, CommandModule, ComponentHandler } from '../src/discord/types.js';
import { DomainError } from '../src/domain/errors.js';
import { discordTimestamp } from '../src/domain/posts/message.js';
import { UPDATE_LIMITS, type ReviewDecision } from '../src/domain/updates/update-service.js';

const source = (name: string, required = false) => ({ name, type: OptionType.String, required, maxLength: 512 });

function whenPosted(context: CommandContext): string {
  const next = context.services.posts.schedules.nextOfJob(context.guildId, 'updates');
  if (!next || next.nextRunAt === null) return context.t('update.noSchedule');
  return context.t('update.nextRun', { schedule: next.number, when: discordTimestamp(next.nextRunAt, 'R') });
}

const review = (decision: ReviewDecision): ComponentHandler => ({
  access: 'staff',
  deferStyle: 'update',
  async run(context) {
    const number = numericArg(context.args);
    if (number === null) throw new DomainError('errors.staleComponent');
    await handleReview(context, decision, () => {
      context.services.posts.updates.decide(context.guildId, number, decision, context.userId);
    });
  },
});

export const update: CommandModule = {
  declaration: {
    name: 'update',
    options: [
      {
        name: 'add',
        type: OptionType.Subcommand,
        options: [
          { name: 'title', type: OptionType.String, required: true, maxLength: UPDATE_LIMITS.title },
          { name: 'summary', type: OptionType.String, required: true, maxLength: UPDATE_LIMITS.summary },
          source('source', true),
          source('source2'),
          source('source3'),
        ],
      },
      { name: 'list', type: OptionType.Subcommand },
      {
        name: 'remove',
        type: OptionType.Subcommand,
        options: [{ name: 'id', type: OptionType.Integer, required: true, minValue: 1, autocomplete: true }],
      },
      {
        name: 'review',
        type: OptionType.Subcommand,
        options: [{ name: 'enabled', type: OptionType.Boolean, required: true }],
      },
    ],
  },
  // Staff reach the handler; only moderators may add, withdraw or review updates (or see their titles).
  access: 'staff',
  rules: [{ access: 'moderator', denied: 'posts.moderatorOnly' }],
  async execute(context) {
    const { interaction, services, guildId } = context;
    const settings = services.settings.get(guildId);
    const updates = services.posts.updates;
    const options = interaction.options;
    switch (options.getSubcommand(true)) {
      case 'add': {
        const added = updates.add({
          guildId,
          title: options.getString('title', true),
          summary: options.getString('summary', true),
          sources: [options.getString('source', true), options.getString('source2'), options.getString('source3')],
          createdBy: context.userId,
        });
        const content =
          added.status === 'review'
            ? context.t('update.addedReview', { id: added.number, channel: `<#${settings.modlogChannelId}>` })
            : `${context.t('update.added', { id: added.number, title: added.title })}\n${whenPosted(context)}`;
        return context.reply({ content, ephemeral: true });
      }
      case 'list': {
        const rows = updates.list(guildId);
        if (rows.length === 0) return context.reply({ content: context.t('update.listEmpty'), ephemeral: true });
        const lines = rows.map((row) =>
          context.t('update.listLine', { id: row.number, title: row.title, status: context.t(`update.statuses.${row.status}`) }),
        );
        return context.reply({ embeds: [{ title: context.t('update.listTitle'), description: lines.join('\n').slice(0, 4096) }], ephemeral: true });
      }
      case 'remove': {
        const removed = updates.remove(guildId, options.getInteger('id', true));
        return context.reply({ content: context.t('update.removed', { id: removed.number }), ephemeral: true });
      }
      default: {
        const enabled = options.getBoolean('enabled', true);
        updates.setReview(guildId, enabled);
        const content = enabled
          ? context.t('update.reviewOn', { channel: `<#${services.settings.get(guildId).modlogChannelId}>` })
          : context.t('update.reviewOff');
        return context.reply({ content, ephemeral: true });
      }
    }
  },
  async autocomplete(context) {
    const rows = context.services.posts.updates.list(context.interaction.guildId).filter((row) => row.status === 'review' || row.status === 'queued');
    await respondWithNumbers(
      context,
      rows.map((row) => ({ number: row.number, label: row.title })),
    );
  },
  components: { approve: review('approve'), reject: review('reject') },
};
