import { ChannelType, PermissionFlagsBits } from 'discord.js';
import { OptionType } from '../src/discord/command-definition.js';
import { handleReview, numericArg } from '../src/discord/posts/review.js';
import { channelWarning, respondWithNumbers } from '../src/discord/posts/views.js';
import type { CommandContext, CommandModule, ComponentHandler } from '../src/discord/types.js';
import { DomainError } from '../src/domain/errors.js';
import { FAILURE_KEYS, type Feed, type FeedFailure } from '../src/domain/feeds/feed-service.js';
import { discordTimestamp, escapeMarkdown } from '../src/domain/posts/message.js';
import type { ReviewDecision } from '../src/domain/updates/update-service.js';
import { translateDynamic } from '../src/i18n/index.js';

const review = (decision: ReviewDecision): ComponentHandler => ({
  // Review buttons live in the staff-only mod log; moderators decide.
  access: 'staff',
  deferStyle: 'update',
  async run(context) {
    const itemId = numericArg(context.args);
    if (itemId === null) throw new DomainError('errors.staleComponent');
    await handleReview(context, decision, () => {
      context.services.posts.feeds.decide(context.guildId, itemId, decision, context.userId);
    });
  },
});

function failureText(context: CommandContext, feed: Feed, failure: string | null): string {
  const key = FAILURE_KEYS[(failure ?? 'network') as FeedFailure] ?? 'network';
  return translateDynamic(context.lang, `feed.fetchErrors.${key}`, { url: feed.url, status: '' });
}

function feedLine(context: CommandContext, feed: Feed): string {
  const counts = context.services.posts.feeds.itemCounts(feed.id);
  let state: string;
  if (!feed.enabled) state = context.t('feed.stateOff', { reason: failureText(context, feed, feed.disabledReason) });
  else if (feed.consecutiveFailures > 0) {
    state = context.t('feed.stateFailing', { failures: feed.consecutiveFailures, reason: failureText(context, feed, feed.lastError) });
  } else if (feed.lastFetchedAt === null) state = context.t('feed.stateNever');
  else state = context.t('feed.stateOk', { when: discordTimestamp(feed.lastFetchedAt, 'R'), posted: counts.posted ?? 0 });
  const line = context.t('feed.listLine', {
    id: feed.number,
    // The feed's own title is the feed owner's text: it may not format or mask links here either.
    title: feed.title ? escapeMarkdown(feed.title) : feed.url,
    channel: feed.channelId ? `<#${feed.channelId}>` : context.t('feed.scheduleChannel'),
    review: feed.review ? context.t('feed.reviewMark') : '',
    state,
  });
  const filters =
    feed.include || feed.exclude
      ? `\n  ${context.t('feed.filters', { include: feed.include ?? context.t('feed.none'), exclude: feed.exclude ?? context.t('feed.none') })}`
      : '';
  return `${line}\n  <${feed.url}>${filters}`;
}

export const feed: CommandModule = {
  declaration: {
    name: 'feed',
    defaultMemberPermissions: PermissionFlagsBits.ManageGuild,
    options: [
      {
        name: 'add',
        type: OptionType.Subcommand,
        options: [
          { name: 'url', type: OptionType.String, required: true, maxLength: 512 },
          { name: 'channel', type: OptionType.Channel, channelTypes: [ChannelType.GuildText, ChannelType.GuildAnnouncement] },
          { name: 'include', type: OptionType.String, maxLength: 300 },
          { name: 'exclude', type: OptionType.String, maxLength: 300 },
          { name: 'review', type: OptionType.Boolean },
        ],
      },
      { name: 'list', type: OptionType.Subcommand },
      {
        name: 'remove',
        type: OptionType.Subcommand,
        options: [{ name: 'id', type: OptionType.Integer, required: true, minValue: 1, autocomplete: true }],
      },
    ],
  },
  access: 'admin',
  async execute(context) {
    const { interaction, services, guildId } = context;
    const feeds = services.posts.feeds;
    const options = interaction.options;
    switch (options.getSubcommand(true)) {
      case 'add': {
        // The first fetch can take seconds: acknowledge now.
        await context.defer();
        const { feed: added, summary, revived } = await feeds.subscribe({
          guildId,
          url: options.getString('url', true),
          channelId: options.getChannel('channel')?.id ?? null,
          include: options.getString('include'),
          exclude: options.getString('exclude'),
          review: options.getBoolean('review') ?? false,
          createdBy: context.userId,
        });
        const title = added.title ? escapeMarkdown(added.title) : added.url;
        const next = services.posts.schedules.nextOfJob(guildId, 'updates');
        const lines = [
          revived ? context.t('feed.revived', { id: added.number, title }) : context.t('feed.added', { id: added.number, title }),
          added.review
            ? context.t('feed.summaryReview', { review: summary.review, seen: summary.seen, filtered: summary.filtered })
            : context.t('feed.summary', { queued: summary.queued, seen: summary.seen, filtered: summary.filtered }),
          next && next.nextRunAt !== null
            ? context.t('update.nextRun', { schedule: next.number, when: discordTimestamp(next.nextRunAt, 'R') })
            : context.t('update.noSchedule'),
          added.channelId ? await channelWarning(interaction.guild, added.channelId, 'updates', context.lang) : null,
        ];
        return context.reply({ content: lines.filter(Boolean).join('\n'), ephemeral: true });
      }
      case 'list': {
        const rows = feeds.list(guildId);
        if (rows.length === 0) return context.reply({ content: context.t('feed.listEmpty'), ephemeral: true });
        const description = rows.map((row) => feedLine(context, row)).join('\n').slice(0, 4096);
        return context.reply({ embeds: [{ title: context.t('feed.listTitle'), description }], ephemeral: true });
      }
      default: {
        const removed = feeds.remove(guildId, options.getInteger('id', true));
        return context.reply({ content: context.t('feed.removed', { id: removed.number }), ephemeral: true });
      }
    }
  },
  async autocomplete(context) {
    const { interaction, services } = context;
    await respondWithNumbers(
      context,
      services.posts.feeds.list(interaction.guildId).map((row) => ({ number: row.number, label: row.title ?? row.url })),
    );
  },
  components: { approve: review('approve'), reject: review('reject') },
};
