import { respondWithNumbers } from '../src/discord/posts/views.js';
import { OptionType } from '../src/discord/command-definition.js';
import { toEmbeds } from '../src/discord/posts/publisher.js';
import type { CommandModule } from '../src/discord/types.js';
import { ACTION_LIMITS } from '../src/domain/advocacy/advocacy-service.js';
import { discordTimestamp } from '../src/domain/posts/message.js';
import { deadlineDisplayInstant } from '../src/domain/posts/validation.js';

export const action: CommandModule = {
  declaration: {
    name: 'action',
    options: [
      {
        name: 'add',
        type: OptionType.Subcommand,
        options: [
          { name: 'title', type: OptionType.String, required: true, maxLength: ACTION_LIMITS.title },
          { name: 'text', type: OptionType.String, required: true, maxLength: ACTION_LIMITS.text },
          { name: 'link', type: OptionType.String, required: true, maxLength: 512 },
          { name: 'deadline', type: OptionType.String, maxLength: 10 },
          { name: 'title_es', type: OptionType.String, maxLength: ACTION_LIMITS.title },
          { name: 'text_es', type: OptionType.String, maxLength: ACTION_LIMITS.text },
        ],
      },
      { name: 'list', type: OptionType.Subcommand },
      {
        name: 'retire',
        type: OptionType.Subcommand,
        options: [{ name: 'id', type: OptionType.Integer, required: true, minValue: 1, autocomplete: true }],
      },
    ],
  },
  // Staff reach the handler; only moderators may change the library.
  access: 'staff',
  rules: [{ access: 'moderator', denied: 'posts.moderatorOnly' }],
  async execute(context) {
    const { interaction, services, guildId } = context;
    const advocacy = services.posts.advocacy;
    const options = interaction.options;
    switch (options.getSubcommand(true)) {
      case 'add': {
        const added = advocacy.add({
          guildId,
          title: options.getString('title', true),
          text: options.getString('text', true),
          link: options.getString('link', true),
          deadline: options.getString('deadline'),
          titleEs: options.getString('title_es'),
          textEs: options.getString('text_es'),
          createdBy: context.userId,
        });
        const preview = advocacy.render(added, services.settings.get(guildId).defaultLanguage);
        return context.reply({
          content: context.t('action.added', { id: added.number, title: added.title }),
          embeds: toEmbeds(preview),
          ephemeral: true,
        });
      }
      case 'list': {
        const actions = advocacy.list(guildId);
        if (actions.length === 0) return context.reply({ content: context.t('action.listEmpty'), ephemeral: true });
        let nextShown = false;
        const lines = actions.map((entry) => {
          let state: string;
          if (entry.status === 'retired') state = context.t('action.stateRetired');
          else if (advocacy.isExpired(entry)) state = context.t('action.stateExpired');
          else if (!nextShown) {
            nextShown = true;
            state = context.t('action.stateNext');
          } else if (entry.lastPostedAt === null) state = context.t('action.stateNever');
          else state = context.t('action.statePosted', { count: entry.postCount, last: discordTimestamp(entry.lastPostedAt, 'R') });
          const deadline = entry.deadline ? ` · ${context.t('action.deadline', { deadline: discordTimestamp(deadlineDisplayInstant(entry.deadline), 'D') })}` : '';
          return context.t('action.listLine', {
            id: entry.number,
            title: entry.title.replace(/[[\]]/g, ''),
            link: entry.link,
            spanish: entry.titleEs && entry.textEs ? context.t('action.hasSpanish') : '',
            state: `${state}${deadline}`,
          });
        });
        return context.reply({ embeds: [{ title: context.t('action.listTitle'), description: lines.join('\n').slice(0, 4096) }], ephemeral: true });
      }
      default: {
        const retired = advocacy.retire(guildId, options.getInteger('id', true));
        return context.reply({ content: context.t('action.retired', { id: retired.number }), ephemeral: true });
      }
    }
  },
  async autocomplete(context) {
    const { interaction, services } = context;
    const actions = services.posts.advocacy.list(interaction.guildId).filter((entry) => entry.status === 'active');
    await respondWithNumbers(
      context,
      actions.map((entry) => ({ number: entry.number, label: entry.title })),
    );
  },
};
