import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  EmbedBuilder,
  escapeMarkdown,
  StringSelectMenuBuilder,
  type APIEmbedField,
} from 'discord.js';
import {
  encodeLinkUrl,
  formatReviewDate,
  mapPage,
  type GuideLibrary,
  type GuidePage,
  type GuideSource,
  type GuideSummary,
  type GuideView,
  type PageSize,
} from '../../domain/guides/index.js';
import { COMMAND_REFERENCE, commandReference, t, type Language } from '../../i18n/index.js';
import { encodeCustomId } from '../custom-id.js';

/** Discord's limits for one embed (https://discord.com/developers/docs/resources/message#embed-object-embed-limits). */
export const EMBED_LIMITS = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  total: 6000,
} as const;
const BUTTON_LABEL_MAX = 80;
const SELECT_TEXT_MAX = 100;
const SELECT_OPTIONS_MAX = 25;

/** A page this long reads comfortably on a phone; longer sections get their own page up to the limit. */
export const PREFERRED_PAGE_CHARS = 1800;

/** 'e': only the member who asked sees it; 'p': posted for the channel (`public:true`). */
export type Visibility = 'e' | 'p';

export const isVisibility = (value: unknown): value is Visibility => value === 'e' || value === 'p';

export interface GuideMessage {
  embeds: EmbedBuilder[];
  components: ActionRowBuilder<ButtonBuilder | StringSelectMenuBuilder>[];
}

const truncate = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

function sourceLine(source: GuideSource): string {
  const title = source.title.replace(/([[\]\\])/g, '\\$1');
  return `• [${title}](${encodeLinkUrl(source.url)})`;
}

/** The sources as one field, or several when they do not fit in 1024 characters. */
export function sourceFields(sources: readonly GuideSource[], lang: Language): APIEmbedField[] {
  const fields: APIEmbedField[] = [];
  let value = '';
  for (const line of sources.map(sourceLine)) {
    const safeLine = truncate(line, EMBED_LIMITS.fieldValue);
    if (value && value.length + 1 + safeLine.length > EMBED_LIMITS.fieldValue) {
      fields.push({ name: fields.length === 0 ? t(lang, 'guide.sources') : t(lang, 'guide.sourcesContinued'), value });
      value = '';
    }
    value = value ? `${value}\n${safeLine}` : safeLine;
  }
  if (value) fields.push({ name: fields.length === 0 ? t(lang, 'guide.sources') : t(lang, 'guide.sourcesContinued'), value });
  return fields;
}

/** What the member should know before reading: a fallback or stale translation, a review that is overdue. */
function notice(view: GuideView): string | undefined {
  const lang = view.requestedLang;
  const lines: string[] = [];
  if (view.fallback) lines.push(`*${t(lang, 'guide.fallbackNotice')}*`);
  else if (view.stale) lines.push(`*${t(lang, 'guide.staleNotice')}*`);
  if (view.reviewOverdue) lines.push(t(lang, 'guide.reviewOverdueNotice', { date: reviewDate(view) }));
  return lines.length > 0 ? lines.join('\n\n') : undefined;
}

/** The shown version's review date, written the way the member's language writes dates. */
const reviewDate = (view: GuideView): string => formatReviewDate(view.guide.lastReviewed, view.requestedLang);

/** `{cmd:x}` → `</x:id>`: 3 characters of syntax and an id of up to 20 digits, less the 6 of `{cmd:}`. */
const MENTION_GROWTH = 17;

/**
 * How long a page of this guide may be: what is left of the embed's 6000 characters after the
 * title, the sources, the footer and any notice, and never over the description's 4096.
 */
export function pageSizeFor(view: GuideView): PageSize {
  const lang = view.requestedLang;
  const fields = sourceFields(view.guide.sources, lang);
  const fieldChars = fields.reduce((sum, field) => sum + field.name.length + field.value.length, 0);
  // Page numbers of up to three digits: more pages than that would need a 180 KB guide.
  const footerChars = t(lang, 'guide.footer', { date: reviewDate(view), page: 999, pages: 999 }).length;
  const noticeChars = (notice(view)?.length ?? -2) + 2;
  // `{cmd:…}` becomes `</name sub:id>` when shown: room for each reference to grow by a snowflake.
  const mentionGrowth = [...view.guide.body.matchAll(COMMAND_REFERENCE)].length * MENTION_GROWTH;
  const left = EMBED_LIMITS.total - view.guide.title.length - fieldChars - footerChars - noticeChars - mentionGrowth;
  const max = Math.min(EMBED_LIMITS.description - noticeChars - mentionGrowth, left);
  if (max < 200) throw new Error(`guide ${view.guide.slug}: sources leave no room for text`);
  return { target: Math.min(PREFERRED_PAGE_CHARS, max), max };
}

export function guidePages(library: GuideLibrary, view: GuideView): GuidePage[] {
  return library.pages(view.guide, pageSizeFor(view));
}

const otherLanguage = (lang: Language): Language => (lang === 'en' ? 'es' : 'en');

/** One page of a guide as an embed with Previous / Next, language switch and "All guides" buttons. */
export function renderGuide(library: GuideLibrary, view: GuideView, requestedPage: number, visibility: Visibility): GuideMessage {
  const lang = view.requestedLang;
  const { guide } = view;
  const pages = guidePages(library, view);
  const last = pages.length - 1;
  const page = Math.min(Math.max(Number.isInteger(requestedPage) ? requestedPage : 0, 0), last);
  const prefix = notice(view);
  const text = (pages[page]?.text ?? '').replace(COMMAND_REFERENCE, (_match, path: string) => commandReference(lang, path));
  const embed = new EmbedBuilder()
    .setTitle(guide.title)
    .setDescription(prefix ? `${prefix}\n\n${text}` : text)
    .addFields(sourceFields(guide.sources, lang))
    .setFooter({ text: t(lang, 'guide.footer', { date: reviewDate(view), page: page + 1, pages: pages.length }) });

  const buttons: ButtonBuilder[] = [];
  if (pages.length > 1) {
    buttons.push(
      new ButtonBuilder()
        .setCustomId(encodeCustomId('guide', 'prev', guide.slug, lang, Math.max(page - 1, 0), visibility))
        .setLabel(t(lang, 'guide.previous'))
        .setStyle(ButtonStyle.Secondary)
        .setDisabled(page === 0),
      new ButtonBuilder()
        .setCustomId(encodeCustomId('guide', 'next', guide.slug, lang, Math.min(page + 1, last), visibility))
        .setLabel(t(lang, 'guide.next'))
        .setStyle(ButtonStyle.Secondary)
        .setDisabled(page === last),
    );
  }
  if (view.otherLanguageAvailable) {
    const target = otherLanguage(lang);
    buttons.push(
      new ButtonBuilder()
        // The page shown now; the handler maps it to the same section in the other language.
        .setCustomId(encodeCustomId('guide', 'lang', guide.slug, target, page, visibility))
        .setLabel(t(lang, `guide.switchTo.${target}`))
        .setStyle(ButtonStyle.Primary),
    );
  }
  buttons.push(allGuidesButton(lang, visibility));
  return { embeds: [embed], components: [new ActionRowBuilder<ButtonBuilder>().addComponents(buttons)] };
}

/** The page of the other language's version that shows what `fromPage` of `from` shows. */
export function mappedPage(library: GuideLibrary, from: GuideView, fromPage: number, to: GuideView): number {
  return mapPage(guidePages(library, from), fromPage, guidePages(library, to));
}

/** The list of guides: an embed with titles and summaries, and a select menu to open one. */
export function renderIndex(library: GuideLibrary, lang: Language, visibility: Visibility): GuideMessage {
  const all = library.list(lang);
  const listed = all.slice(0, SELECT_OPTIONS_MAX);
  const lines: string[] = [t(lang, 'guide.indexIntro'), ''];
  const more = listed.length < all.length ? t(lang, 'guide.indexMore', { shown: listed.length, total: all.length }) : '';
  let length = lines.join('\n').length + more.length + 2;
  for (const guide of listed) {
    const line = `**${escapeMarkdown(guide.title)}**: ${escapeMarkdown(guide.summary)}`;
    if (length + line.length + 1 > EMBED_LIMITS.description) break;
    lines.push(line);
    length += line.length + 1;
  }
  if (more) lines.push('', more);
  const embed = new EmbedBuilder()
    .setTitle(t(lang, 'guide.indexTitle'))
    .setDescription(lines.join('\n'))
    .setFooter({ text: t(lang, 'help.footer') });
  const components: GuideMessage['components'] = [];
  if (listed.length > 0) {
    const menu = new StringSelectMenuBuilder()
      .setCustomId(encodeCustomId('guide', 'pick', lang, visibility))
      .setPlaceholder(t(lang, 'guide.indexPlaceholder'))
      .addOptions(
        listed.map((guide) => ({
          label: truncate(guide.title, SELECT_TEXT_MAX),
          description: truncate(guide.summary, SELECT_TEXT_MAX),
          value: guide.slug,
        })),
      );
    components.push(new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(menu));
  }
  return { embeds: [embed], components };
}

/** "No guide matches …" with the closest guides as buttons. */
export function renderNotFound(
  topic: string,
  suggestions: readonly GuideSummary[],
  lang: Language,
  visibility: Visibility,
): { content: string; components: ActionRowBuilder<ButtonBuilder>[] } {
  const shown = escapeMarkdown(truncate(topic.replace(/\s+/g, ' ').trim(), 100));
  const lines = [t(lang, 'guide.notFound', { topic: shown })];
  lines.push(suggestions.length > 0 ? t(lang, 'guide.closestMatches') : t(lang, 'guide.noCloseMatches'));
  // Up to four guesses and "All guides": five buttons, one row.
  const buttons = suggestions.slice(0, 4).map((guide) =>
    new ButtonBuilder()
      .setCustomId(encodeCustomId('guide', 'show', guide.slug, lang, 0, visibility))
      .setLabel(truncate(guide.title, BUTTON_LABEL_MAX))
      .setStyle(ButtonStyle.Primary),
  );
  buttons.push(allGuidesButton(lang, visibility));
  return { content: lines.join('\n'), components: [new ActionRowBuilder<ButtonBuilder>().addComponents(buttons)] };
}

/** "All guides": back to the index, in the same language and visibility. */
function allGuidesButton(lang: Language, visibility: Visibility): ButtonBuilder {
  return new ButtonBuilder()
    .setCustomId(encodeCustomId('guide', 'index', lang, visibility))
    .setLabel(t(lang, 'guide.allGuides'))
    .setStyle(ButtonStyle.Secondary);
}
