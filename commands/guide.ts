import { MessageFlags } from 'discord.js';
import { OptionType } from '../src/discord/command-definition.js';
import {
  isVisibility,
  mappedPage,
  renderGuide,
  renderIndex,
  renderNotFound,
  type GuideMessage,
  type Visibility,
} from '../src/discord/guides/render.js';
import type { CommandModule, ComponentContext, ComponentHandler } from '../src/discord/types.js';
import { DomainError } from '../src/domain/errors.js';
import type { GuideLibrary } from '../src/domain/guides/index.js';
import { isLanguage, type Language } from '../src/i18n/index.js';

const AUTOCOMPLETE_NAME_MAX = 100;

/** Arguments of a guide button: slug, language, page, visibility (see src/discord/guides/render.ts). */
function guideArgs(args: readonly string[]): { slug: string; lang: Language; page: number; visibility: Visibility } {
  const [slug, lang, page, visibility] = args;
  if (!slug || !isLanguage(lang) || !isVisibility(visibility)) throw new DomainError('errors.staleComponent');
  const parsed = Number.parseInt(page ?? '0', 10);
  return { slug, lang, page: Number.isFinite(parsed) ? parsed : 0, visibility };
}

function viewOf(library: GuideLibrary, slug: string, lang: Language) {
  const view = library.get(slug, lang);
  // The guide was removed in a newer release than the message's buttons.
  if (!view) throw new DomainError('errors.staleComponent');
  return view;
}

/**
 * Shows the result of a click. Normally the message changes in place; but a click on someone
 * else's public guide answers privately (so one member cannot page the channel's copy away), and
 * a `public` choice made from a private message ("did you mean") posts a new public message.
 */
async function deliver(context: ComponentContext, render: (visibility: Visibility) => GuideMessage, visibility: Visibility) {
  const message = context.interaction.message;
  const onEphemeral = message.flags.has(MessageFlags.Ephemeral);
  if (visibility === 'p' && onEphemeral) return context.reply({ ...render('p'), ephemeral: false });
  const owner = message.interactionMetadata?.user?.id;
  if (!onEphemeral && owner && owner !== context.userId) return context.reply({ ...render('e'), ephemeral: true });
  // `content: ''` clears the "no guide matches" text when a suggestion replaces it.
  return context.update({ content: '', ...render(visibility) });
}

const showPage: ComponentHandler = {
  deferStyle: 'update',
  async run(context) {
    const { slug, lang, page, visibility } = guideArgs(context.args);
    const library = context.services.guides;
    const view = viewOf(library, slug, lang);
    await deliver(context, (vis) => renderGuide(library, view, page, vis), visibility);
  },
};

export const guide: CommandModule = {
  declaration: {
    name: 'guide',
    options: [
      { name: 'topic', type: OptionType.String, autocomplete: true, maxLength: 100 },
      { name: 'language', type: OptionType.String, choices: ['en', 'es'] },
      { name: 'public', type: OptionType.Boolean },
    ],
  },
  access: 'everyone',
  async execute(context) {
    const { interaction, services } = context;
    const chosen = interaction.options.getString('language');
    const lang: Language = isLanguage(chosen) ? chosen : context.lang;
    const visibility: Visibility = interaction.options.getBoolean('public') ? 'p' : 'e';
    const ephemeral = visibility === 'e';
    const library = services.guides;
    const topic = interaction.options.getString('topic')?.trim();
    if (!topic) return context.reply({ ...renderIndex(library, lang, visibility), ephemeral });
    const resolution = library.resolve(topic, lang);
    if (!resolution.found) {
      // Only the member who typed it needs to see that nothing matched.
      return context.reply({ ...renderNotFound(topic, resolution.suggestions, lang, visibility), ephemeral: true });
    }
    const view = viewOf(library, resolution.slug, lang);
    return context.reply({ ...renderGuide(library, view, 0, visibility), ephemeral });
  },
  async autocomplete({ interaction, lang, services }) {
    const focused = interaction.options.getFocused(true);
    if (focused.name !== 'topic') return interaction.respond([]);
    // A language already chosen in the same command decides which titles to search.
    const chosen = interaction.options.getString('language');
    const results = services.guides.search(String(focused.value), isLanguage(chosen) ? chosen : lang);
    await interaction.respond(
      results.map((result) => ({ name: result.title.slice(0, AUTOCOMPLETE_NAME_MAX), value: result.slug })),
    );
  },
  components: {
    prev: showPage,
    next: showPage,
    show: showPage,
    /** Switch language: args are the slug, the target language and the page shown before. */
    lang: {
      deferStyle: 'update',
      async run(context) {
        const { slug, lang, page, visibility } = guideArgs(context.args);
        const library = context.services.guides;
        const target = viewOf(library, slug, lang);
        const from = viewOf(library, slug, lang === 'en' ? 'es' : 'en');
        const mapped = mappedPage(library, from, page, target);
        await deliver(context, (vis) => renderGuide(library, target, mapped, vis), visibility);
      },
    },
    /** The index's select menu: args are the language and visibility, the value is the slug. */
    pick: {
      deferStyle: 'update',
      async run(context) {
        const [lang, visibility] = context.args;
        const slug = context.interaction.isStringSelectMenu() ? context.interaction.values[0] : undefined;
        if (!slug || !isLanguage(lang) || !isVisibility(visibility)) throw new DomainError('errors.staleComponent');
        const library = context.services.guides;
        const view = viewOf(library, slug, lang);
        await deliver(context, (vis) => renderGuide(library, view, 0, vis), visibility);
      },
    },
    index: {
      deferStyle: 'update',
      async run(context) {
        const [lang, visibility] = context.args;
        if (!isLanguage(lang) || !isVisibility(visibility)) throw new DomainError('errors.staleComponent');
        const library = context.services.guides;
        await deliver(context, (vis) => renderIndex(library, lang, vis), visibility);
      },
    },
    /** From other features (e.g. /volunteer): opens a guide as a new private message. */
    open: {
      async run(context) {
        const { slug, lang, page } = guideArgs(context.args);
        const library = context.services.guides;
        const view = viewOf(library, slug, lang);
        await context.reply({ ...renderGuide(library, view, page, 'e'), ephemeral: true });
      },
    },
  },
};
