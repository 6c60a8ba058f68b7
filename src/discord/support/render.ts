import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  EmbedBuilder,
  LabelBuilder,
  ModalBuilder,
  StringSelectMenuBuilder,
  TextDisplayBuilder,
  TextInputBuilder,
  TextInputStyle,
  type MessageActionRowComponentBuilder,
} from 'discord.js';
import type { QueuePage, SupportStats, LanguageStats } from '../../domain/support/index.js';
import {
  DESCRIPTION_MAX_LENGTH,
  TOPICS,
  formatRequestNumber,
  type AuditEntry,
  type QueueStatus,
  type SupportRequest,
} from '../../domain/support/index.js';
import { t, type Language } from '../../i18n/index.js';
import { encodeCustomId } from '../custom-id.js';

/** Discord's `<t:…>` timestamps render in each reader's own time zone and language. */
export const timestamp = (ms: number, style: 'F' | 'R' | 'D' | 'f' = 'F') => `<t:${Math.floor(ms / 1000)}:${style}>`;

const EMBED_COLOUR = { open: 0x2b7a78, waiting: 0xd9a400, closed: 0x6c757d, urgent: 0xc0392b } as const;

export const MODAL_FIELDS = { topic: 'topic', description: 'description', language: 'language', urgent: 'urgent' } as const;

/** The /support form. Built from constants only: it must be shown within Discord's 3 s window. */
export function buildSupportModal(lang: Language): ModalBuilder {
  const topic = new StringSelectMenuBuilder()
    .setCustomId(MODAL_FIELDS.topic)
    .setRequired(true)
    .setMinValues(1)
    .setMaxValues(1)
    .addOptions(TOPICS.map((value) => ({ label: t(lang, `support.topics.${value}`), value })));
  const description = new TextInputBuilder()
    .setCustomId(MODAL_FIELDS.description)
    .setStyle(TextInputStyle.Paragraph)
    .setRequired(true)
    .setMinLength(1)
    .setMaxLength(DESCRIPTION_MAX_LENGTH)
    .setPlaceholder(t(lang, 'support.modal.descriptionPlaceholder'));
  const language = new StringSelectMenuBuilder()
    .setCustomId(MODAL_FIELDS.language)
    .setRequired(true)
    .setMinValues(1)
    .setMaxValues(1)
    .addOptions(
      (['en', 'es'] as const).map((value) => ({ label: t(lang, `support.modal.languages.${value}`), value, default: value === lang })),
    );
  const urgent = new StringSelectMenuBuilder()
    .setCustomId(MODAL_FIELDS.urgent)
    .setRequired(true)
    .setMinValues(1)
    .setMaxValues(1)
    .addOptions(
      { label: t(lang, 'support.modal.urgentNo'), value: 'no', default: true },
      { label: t(lang, 'support.modal.urgentYes'), value: 'yes' },
    );
  return new ModalBuilder()
    .setCustomId(encodeCustomId('support', 'submit'))
    .setTitle(t(lang, 'support.modal.title'))
    // Said before anyone writes: Discord can be made to hand over what is written here.
    .addTextDisplayComponents(new TextDisplayBuilder().setContent(t(lang, 'support.conversation.privacyNotice')))
    .addLabelComponents(
      new LabelBuilder().setLabel(t(lang, 'support.modal.topicLabel')).setStringSelectMenuComponent(topic),
      new LabelBuilder()
        .setLabel(t(lang, 'support.modal.descriptionLabel'))
        .setDescription(t(lang, 'support.modal.descriptionHint'))
        .setTextInputComponent(description),
      new LabelBuilder().setLabel(t(lang, 'support.modal.languageLabel')).setStringSelectMenuComponent(language),
      new LabelBuilder()
        .setLabel(t(lang, 'support.modal.urgentLabel'))
        .setDescription(t(lang, 'support.modal.urgentHint'))
        .setStringSelectMenuComponent(urgent),
    );
}

const topicName = (lang: Language, request: Pick<SupportRequest, 'topic'>) => t(lang, `support.topics.${request.topic}`);
const languageName = (lang: Language, request: Pick<SupportRequest, 'language'>) => t(lang, `language.names.${request.language}`);
const statusName = (lang: Language, status: SupportRequest['status']) => t(lang, `support.status.${status}`);

function statusLine(lang: Language, request: SupportRequest): string {
  const assignee = request.assigneeId ? `<@${request.assigneeId}>` : t(lang, 'support.intake.unassigned');
  return t(lang, 'support.intake.statusLine', { status: statusName(lang, request.status), assignee });
}

/** Options of the intake message that come from the guild's settings. */
export interface IntakeOptions {
  /** A secure contact is set, so staff get an "Offer secure contact" button. */
  secureContact: string | null;
}

function deleteConversationButton(request: SupportRequest, lang: Language): ButtonBuilder {
  return new ButtonBuilder()
    .setCustomId(encodeCustomId('triage', 'forget', request.id))
    .setStyle(ButtonStyle.Danger)
    .setLabel(t(lang, 'support.conversation.deleteButton'));
}

function intakeButtons(request: SupportRequest, lang: Language, options: IntakeOptions): ActionRowBuilder<MessageActionRowComponentBuilder>[] {
  const row = new ActionRowBuilder<MessageActionRowComponentBuilder>();
  if (request.status === 'closed') {
    row.addComponents(
      new ButtonBuilder().setCustomId(encodeCustomId('triage', 'reopen', request.id)).setStyle(ButtonStyle.Secondary).setLabel(t(lang, 'triage.buttons.reopen')),
      deleteConversationButton(request, lang),
    );
    return [row];
  }
  if (!request.assigneeId) {
    row.addComponents(
      new ButtonBuilder().setCustomId(encodeCustomId('triage', 'claim', request.id)).setStyle(ButtonStyle.Primary).setLabel(t(lang, 'triage.buttons.claim')),
    );
  }
  row.addComponents(
    request.status === 'waiting'
      ? new ButtonBuilder().setCustomId(encodeCustomId('triage', 'open', request.id)).setStyle(ButtonStyle.Secondary).setLabel(t(lang, 'triage.buttons.backToOpen'))
      : new ButtonBuilder().setCustomId(encodeCustomId('triage', 'waiting', request.id)).setStyle(ButtonStyle.Secondary).setLabel(t(lang, 'triage.buttons.waiting')),
    new ButtonBuilder().setCustomId(encodeCustomId('triage', 'close', request.id)).setStyle(ButtonStyle.Danger).setLabel(t(lang, 'triage.buttons.close')),
  );
  if (options.secureContact) {
    // Staff-only (the router refuses others): posts the secure contact into the thread.
    row.addComponents(
      new ButtonBuilder().setCustomId(encodeCustomId('triage', 'secure', request.id)).setStyle(ButtonStyle.Secondary).setLabel(t(lang, 'support.conversation.secureContactButton')),
    );
  }
  return [row];
}

/** The editable part of the intake message: its content and buttons (the embed keeps the text). */
export function intakeState(request: SupportRequest, options: IntakeOptions) {
  const lang = request.language;
  return {
    content: [t(lang, 'support.intake.welcome', { number: formatRequestNumber(request.number) }), statusLine(lang, request)].join('\n\n'),
    components: intakeButtons(request, lang, options),
  };
}

/** First message in the private thread. The description lives here, in Discord, and nowhere else. */
export function intakeMessage(request: SupportRequest, description: string, nextAvailable: number | null, options: IntakeOptions) {
  const lang = request.language;
  const embed = new EmbedBuilder()
    .setTitle(t(lang, 'support.intake.title', { number: formatRequestNumber(request.number) }))
    .setColor(request.urgent ? EMBED_COLOUR.urgent : EMBED_COLOUR.open)
    .addFields(
      { name: t(lang, 'support.fields.topic'), value: topicName(lang, request), inline: true },
      { name: t(lang, 'support.fields.language'), value: languageName(lang, request), inline: true },
      { name: t(lang, 'support.fields.urgency'), value: t(lang, request.urgent ? 'support.urgency.urgent' : 'support.urgency.normal'), inline: true },
    )
    .setDescription(`**${t(lang, 'support.intake.yourMessage')}**\n${description}`);
  const privacy = [t(lang, 'support.conversation.privacyNotice')];
  if (options.secureContact) privacy.push(t(lang, 'support.conversation.secureContactPointer', { contact: options.secureContact }));
  embed.addFields({ name: t(lang, 'support.conversation.privacyHeading'), value: privacy.join('\n').slice(0, 1024) });
  const state = intakeState(request, options);
  const hours = nextAvailable === null ? [] : [t(lang, 'support.hours.outsideThread', { next: timestamp(nextAvailable), relative: timestamp(nextAvailable, 'R') })];
  return { ...state, content: [state.content, ...hours].join('\n\n'), embeds: [embed] };
}

export function emergencyGuidance(lang: Language): string {
  return t(lang, 'support.emergency.body');
}

/** Roles to ping for a new request: the team for its language, and moderators too when urgent. */
export function rolesToPing(
  request: Pick<SupportRequest, 'language' | 'urgent'>,
  roles: { supportRoleId: string | null; spanishSupportRoleId: string | null; moderatorRoleId: string | null },
): string[] {
  const team = request.language === 'es' ? (roles.spanishSupportRoleId ?? roles.supportRoleId) : roles.supportRoleId;
  const pinged = new Set<string>();
  if (team) pinged.add(team);
  if ((request.urgent || !team) && roles.moderatorRoleId) pinged.add(roles.moderatorRoleId);
  return [...pinged];
}

/** The staff-only announcement: number, topic, language, urgency. Never the text or the requester. */
export function triageAnnouncement(request: SupportRequest, lang: Language, pingRoleIds: string[]) {
  const number = formatRequestNumber(request.number);
  const pings = pingRoleIds.map((id) => `<@&${id}>`).join(' ');
  const headline = t(lang, request.urgent ? 'triage.announce.urgent' : 'triage.announce.new', {
    number,
    topic: topicName(lang, request),
    language: languageName(lang, request),
  });
  return { ...triageState(request, lang), content: pings ? `${pings} ${headline}` : headline };
}

/** The triage message after a change: same facts, current status, no new pings. */
export function triageState(request: SupportRequest, lang: Language) {
  const number = formatRequestNumber(request.number);
  const colour = request.status === 'closed' ? EMBED_COLOUR.closed : request.urgent ? EMBED_COLOUR.urgent : EMBED_COLOUR[request.status === 'waiting' ? 'waiting' : 'open'];
  const embed = new EmbedBuilder()
    .setTitle(t(lang, 'triage.announce.title', { number }))
    .setColor(colour)
    .addFields(
      { name: t(lang, 'support.fields.topic'), value: topicName(lang, request), inline: true },
      { name: t(lang, 'support.fields.language'), value: languageName(lang, request), inline: true },
      { name: t(lang, 'support.fields.urgency'), value: t(lang, request.urgent ? 'support.urgency.urgent' : 'support.urgency.normal'), inline: true },
      { name: t(lang, 'support.fields.status'), value: statusName(lang, request.status), inline: true },
      { name: t(lang, 'support.fields.assignee'), value: request.assigneeId ? `<@${request.assigneeId}>` : t(lang, 'support.intake.unassigned'), inline: true },
      { name: t(lang, 'support.fields.opened'), value: timestamp(request.createdAt, 'R'), inline: true },
    )
    .setFooter({ text: t(lang, 'triage.announce.footer') });
  const components =
    request.status === 'closed'
      ? []
      : [
          new ActionRowBuilder<MessageActionRowComponentBuilder>().addComponents(
            new ButtonBuilder().setCustomId(encodeCustomId('triage', 'join', request.id)).setStyle(ButtonStyle.Secondary).setLabel(t(lang, 'triage.buttons.join')),
            new ButtonBuilder()
              .setCustomId(encodeCustomId('triage', 'claim', request.id))
              .setStyle(ButtonStyle.Primary)
              .setLabel(t(lang, 'triage.buttons.claim'))
              .setDisabled(request.assigneeId !== null),
          ),
        ];
  return { embeds: [embed], components };
}

export function closedNote(request: SupportRequest, actorMention: string, reason: string | null) {
  // (The "Delete this conversation" button sits next to Reopen; it asks for confirmation first.)
  const lang = request.language;
  const lines = [t(lang, 'support.thread.closed', { actor: actorMention })];
  if (reason) lines.push(t(lang, 'support.thread.closeReason', { reason }));
  lines.push(t(lang, 'support.thread.howToReopen'));
  return {
    content: lines.join('\n'),
    components: [
      new ActionRowBuilder<MessageActionRowComponentBuilder>().addComponents(
        new ButtonBuilder().setCustomId(encodeCustomId('triage', 'reopen', request.id)).setStyle(ButtonStyle.Secondary).setLabel(t(lang, 'triage.buttons.reopen')),
        deleteConversationButton(request, lang),
      ),
    ],
  };
}

/** The confirmation step of "Delete this conversation" (ephemeral, for whoever pressed it). */
export function forgetConfirmation(request: SupportRequest, lang: Language) {
  return {
    content: t(lang, 'support.conversation.confirm', { number: formatRequestNumber(request.number) }),
    components: [
      new ActionRowBuilder<MessageActionRowComponentBuilder>().addComponents(
        new ButtonBuilder().setCustomId(encodeCustomId('triage', 'forget-yes', request.id)).setStyle(ButtonStyle.Danger).setLabel(t(lang, 'support.conversation.confirmButton')),
        new ButtonBuilder().setCustomId(encodeCustomId('triage', 'forget-no', request.id)).setStyle(ButtonStyle.Secondary).setLabel(t(lang, 'support.conversation.cancelButton')),
      ),
    ],
  };
}

export function actorLabel(lang: Language, request: SupportRequest, actorId: string | null): string {
  if (actorId === null) return t(lang, 'triage.audit.someone');
  return actorId === request.requesterId ? t(lang, 'triage.audit.requester') : `<@${actorId}>`;
}

/** The audit entry as one line for the mod-log: who, what, which request. No request text. */
export function auditLine(entry: AuditEntry, request: SupportRequest, lang: Language): string {
  return t(lang, `triage.audit.${entry.action}`, {
    number: formatRequestNumber(request.number),
    actor: actorLabel(lang, request, entry.actorId),
    target: entry.targetId ? `<@${entry.targetId}>` : t(lang, 'triage.audit.someone'),
    from: entry.fromStatus ? t(lang, `support.status.${entry.fromStatus as SupportRequest['status']}`) : '',
    to: entry.toStatus ? t(lang, `support.status.${entry.toStatus as SupportRequest['status']}`) : '',
  });
}

export function formatDuration(ms: number | null, lang: Language): string {
  if (ms === null) return t(lang, 'triage.stats.noData');
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return t(lang, 'triage.duration.underMinute');
  if (minutes < 60) return t(lang, 'triage.duration.minutes', { minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return t(lang, 'triage.duration.hours', { hours, minutes: minutes % 60 });
  return t(lang, 'triage.duration.days', { days: Math.floor(hours / 24), hours: hours % 24 });
}

function statsBlock(stats: LanguageStats, lang: Language): string {
  return t(lang, 'triage.stats.block', {
    open: stats.open,
    waiting: stats.waiting,
    closed: stats.closed,
    firstReply: formatDuration(stats.medianFirstReplyMs, lang),
    close: formatDuration(stats.medianCloseMs, lang),
  });
}

export function statsEmbed(stats: SupportStats, lang: Language): EmbedBuilder {
  return new EmbedBuilder()
    .setTitle(t(lang, 'triage.stats.title'))
    .setDescription(t(lang, 'triage.stats.intro'))
    .addFields(
      { name: t(lang, 'triage.stats.all'), value: statsBlock(stats.all, lang) },
      { name: t(lang, 'language.names.en'), value: statsBlock(stats.en, lang), inline: true },
      { name: t(lang, 'language.names.es'), value: statsBlock(stats.es, lang), inline: true },
    );
}

export interface QueueFilter {
  status: QueueStatus | null;
  language: Language | null;
}

export function queueLine(request: SupportRequest, lang: Language): string {
  return t(lang, 'triage.queue.line', {
    urgent: request.urgent ? '🚨 ' : '',
    number: formatRequestNumber(request.number),
    topic: topicName(lang, request),
    language: request.language.toUpperCase(),
    status: statusName(lang, request.status),
    assignee: request.assigneeId ? `<@${request.assigneeId}>` : t(lang, 'support.intake.unassigned'),
    opened: timestamp(request.createdAt, 'R'),
    thread: request.threadId ? `<#${request.threadId}>` : '—',
  });
}

/** A queue page with paging buttons and a menu to join one of the listed requests. */
export function queueMessage(page: QueuePage, filter: QueueFilter, lang: Language) {
  const scope = filter.status ? statusName(lang, filter.status) : t(lang, 'triage.queue.active');
  const title = filter.language
    ? t(lang, 'triage.queue.titleLanguage', { scope, language: t(lang, `language.names.${filter.language}`) })
    : t(lang, 'triage.queue.title', { scope });
  const embed = new EmbedBuilder()
    .setTitle(title)
    .setDescription(page.items.length === 0 ? t(lang, 'triage.queue.empty') : page.items.map((item) => queueLine(item, lang)).join('\n'))
    .setFooter({ text: t(lang, 'triage.queue.footer', { page: page.page + 1, pages: page.pages, count: page.total }) });
  const components: ActionRowBuilder<MessageActionRowComponentBuilder>[] = [];
  const args = [filter.status ?? '-', filter.language ?? '-'];
  if (page.pages > 1) {
    components.push(
      new ActionRowBuilder<MessageActionRowComponentBuilder>().addComponents(
        new ButtonBuilder()
          .setCustomId(encodeCustomId('triage', 'page', page.page - 1, ...args))
          .setStyle(ButtonStyle.Secondary)
          .setLabel(t(lang, 'triage.buttons.previous'))
          .setDisabled(page.page === 0),
        new ButtonBuilder()
          .setCustomId(encodeCustomId('triage', 'page', page.page + 1, ...args))
          .setStyle(ButtonStyle.Secondary)
          .setLabel(t(lang, 'triage.buttons.next'))
          .setDisabled(page.page >= page.pages - 1),
      ),
    );
  }
  const joinable = page.items.filter((item) => item.status !== 'closed');
  if (joinable.length > 0) {
    components.push(
      new ActionRowBuilder<MessageActionRowComponentBuilder>().addComponents(
        new StringSelectMenuBuilder()
          .setCustomId(encodeCustomId('triage', 'pick'))
          .setPlaceholder(t(lang, 'triage.queue.joinPlaceholder'))
          .addOptions(
            joinable.map((item) => ({
              label: `#${formatRequestNumber(item.number)} · ${topicName(lang, item)}`.slice(0, 100),
              description: `${statusName(lang, item.status)} · ${languageName(lang, item)}${item.urgent ? ` · ${t(lang, 'support.urgency.urgent')}` : ''}`.slice(0, 100),
              value: String(item.id),
            })),
          ),
      ),
    );
  }
  return { embeds: [embed], components };
}

/** The bilingual public panel: the same button opens the form in each member's language. */
export function supportPanel() {
  const embed = new EmbedBuilder()
    .setColor(EMBED_COLOUR.open)
    .setTitle(`${t('en', 'support.panel.title')} · ${t('es', 'support.panel.title')}`)
    .setDescription(
      `${t('en', 'support.panel.body')} ${t('en', 'support.conversation.privacyNotice')}\n\n${t('es', 'support.panel.body')} ${t('es', 'support.conversation.privacyNotice')}`,
    );
  return {
    embeds: [embed],
    components: [
      new ActionRowBuilder<MessageActionRowComponentBuilder>().addComponents(
        new ButtonBuilder()
          .setCustomId(encodeCustomId('support', 'open'))
          .setStyle(ButtonStyle.Primary)
          .setLabel(`${t('en', 'support.panel.button')} · ${t('es', 'support.panel.button')}`),
      ),
    ],
  };
}
