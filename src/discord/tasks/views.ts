import { ActionRowBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder } from 'discord.js';
import type { Task, TaskPage, TaskStats } from '../../domain/tasks/task-service.js';
import { isSkill, type Skill } from '../../domain/tasks/skills.js';
import { t, type Language } from '../../i18n/index.js';
import { encodeCustomId } from '../custom-id.js';

const HOUR_MS = 60 * 60 * 1000;

const STATUS_COLOURS: Record<Task['status'], number> = {
  open: 0x2e9d5b,
  claimed: 0xe0a526,
  done: 0x3b73c4,
  cancelled: 0x8a8f98,
};

/** Display name of a skill value; unknown values (from an older release) are shown as stored. */
export function skillName(lang: Language, skill: string): string {
  return isSkill(skill) ? t(lang, `skills.${skill}`) : skill;
}

/**
 * A due date as a Discord timestamp, shown in each reader's own time zone and language. Due dates
 * are stored as the end of the UTC day; noon of that day shows the same date almost everywhere.
 */
export function dueText(dueAt: number): string {
  return `<t:${Math.floor((dueAt - 12 * HOUR_MS) / 1000)}:D>`;
}

/** Relative time such as "in 3 days", rendered by Discord in the reader's language. */
export function relativeTime(at: number): string {
  return `<t:${Math.floor(at / 1000)}:R>`;
}

export function messageUrl(guildId: string, channelId: string, messageId: string): string {
  return `https://discord.com/channels/${guildId}/${channelId}/${messageId}`;
}

export function announcementUrl(task: Task): string | undefined {
  return task.announcementChannelId && task.announcementMessageId
    ? messageUrl(task.guildId, task.announcementChannelId, task.announcementMessageId)
    : undefined;
}

function statusText(task: Task, lang: Language): string {
  const status = t(lang, `task.status.${task.status}`);
  if (task.status === 'claimed' && task.claimantId) return `${status} · ${t(lang, 'task.claimedBy', { userId: task.claimantId })}`;
  if (task.status === 'done' && task.claimantId) return `${status} · ${t(lang, 'task.completedBy', { userId: task.claimantId })}`;
  return status;
}

export function taskEmbed(task: Task, lang: Language, now: number = Date.now()): EmbedBuilder {
  const embed = new EmbedBuilder()
    .setColor(STATUS_COLOURS[task.status])
    .setTitle(`#${task.number} · ${task.title}`.slice(0, 256))
    .setDescription(task.description.slice(0, 4096))
    .addFields(
      { name: t(lang, 'task.fields.skill'), value: skillName(lang, task.skill), inline: true },
      { name: t(lang, 'task.fields.status'), value: statusText(task, lang), inline: true },
    );
  if (task.dueAt !== null) {
    const overdue = task.dueAt < now && (task.status === 'open' || task.status === 'claimed');
    const due = dueText(task.dueAt);
    embed.addFields({ name: t(lang, 'task.fields.due'), value: overdue ? t(lang, 'task.overdue', { date: due }) : due, inline: true });
  }
  if (task.link) embed.addFields({ name: t(lang, 'task.fields.link'), value: task.link.slice(0, 1024) });
  if (task.status === 'done' && task.doneNote) embed.addFields({ name: t(lang, 'task.fields.note'), value: task.doneNote.slice(0, 1024) });
  if (task.origin !== 'manual') embed.setFooter({ text: t(lang, 'task.generatedFooter') });
  return embed;
}

/** Buttons for the task's current state: Claim while open; Release and Mark done while claimed. */
export function taskButtons(task: Task, lang: Language): ActionRowBuilder<ButtonBuilder>[] {
  if (task.status === 'open') {
    return [
      new ActionRowBuilder<ButtonBuilder>().addComponents(
        new ButtonBuilder()
          .setCustomId(encodeCustomId('task', 'claim', task.number))
          .setStyle(ButtonStyle.Primary)
          .setLabel(t(lang, 'task.buttons.claim')),
      ),
    ];
  }
  if (task.status === 'claimed') {
    return [
      new ActionRowBuilder<ButtonBuilder>().addComponents(
        new ButtonBuilder()
          .setCustomId(encodeCustomId('task', 'done', task.number))
          .setStyle(ButtonStyle.Success)
          .setLabel(t(lang, 'task.buttons.done')),
        new ButtonBuilder()
          .setCustomId(encodeCustomId('task', 'release', task.number))
          .setStyle(ButtonStyle.Secondary)
          .setLabel(t(lang, 'task.buttons.release')),
      ),
    ];
  }
  return [];
}

/** The tasks-channel message for a task; edited in place as the task changes state. */
export function announcementPayload(task: Task, lang: Language, now: number = Date.now()) {
  return {
    content: t(lang, 'task.announce.new', { number: task.number }),
    embeds: [taskEmbed(task, lang, now)],
    components: taskButtons(task, lang),
    allowedMentions: { parse: [] as const },
  };
}

/** What a task list shows; encoded into the paging buttons so pages survive restarts. */
export interface TaskListView {
  skill: Skill | null;
  mine: boolean;
}

export function encodeListView(view: TaskListView, page: number): string {
  return encodeCustomId('task', 'page', view.skill ?? '-', view.mine ? 1 : 0, page);
}

export function decodeListView(args: readonly string[]): { view: TaskListView; page: number } {
  const [skill, mine, page] = args;
  return {
    view: { skill: isSkill(skill) ? skill : null, mine: mine === '1' },
    page: Math.max(0, Number.parseInt(page ?? '0', 10) || 0),
  };
}

function listLine(task: Task, lang: Language, now: number): string {
  const details = [skillName(lang, task.skill)];
  if (task.dueAt !== null) {
    const due = t(lang, 'task.list.due', { date: dueText(task.dueAt) });
    details.push(task.dueAt < now ? t(lang, 'task.overdue', { date: due }) : due);
  }
  if (task.status === 'claimed' && task.claimantId) details.push(t(lang, 'task.claimedBy', { userId: task.claimantId }));
  return `**#${task.number}** ${task.title}\n-# ${details.join(' · ')}`;
}

export function listPayload(page: TaskPage, view: TaskListView, lang: Language, now: number = Date.now()) {
  const skill = view.skill ? skillName(lang, view.skill) : null;
  const title = view.mine
    ? t(lang, 'task.list.titleMine')
    : skill
      ? t(lang, 'task.list.titleSkill', { skill })
      : t(lang, 'task.list.title');
  const embed = new EmbedBuilder().setTitle(title).setColor(STATUS_COLOURS.open);
  if (page.tasks.length === 0) {
    embed.setDescription(
      view.mine ? t(lang, 'task.list.emptyMine') : skill ? t(lang, 'task.list.emptySkill', { skill }) : t(lang, 'task.list.empty'),
    );
    return { embeds: [embed], components: [] };
  }
  // The claim hint names a command, and mentions only render in the description, not the footer.
  const hint = `\n\n-# ${t(lang, 'task.list.claimHint')}`;
  embed
    .setDescription(page.tasks.map((task) => listLine(task, lang, now)).join('\n\n').slice(0, 4096 - hint.length) + hint)
    .setFooter({ text: t(lang, 'task.list.footer', { count: page.total, page: page.page + 1, pages: page.pageCount }) });
  if (page.pageCount <= 1) return { embeds: [embed], components: [] };
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder()
      .setCustomId(encodeListView(view, page.page - 1))
      .setStyle(ButtonStyle.Secondary)
      .setLabel(t(lang, 'task.buttons.previous'))
      .setDisabled(page.page === 0),
    new ButtonBuilder()
      .setCustomId(encodeListView(view, page.page + 1))
      .setStyle(ButtonStyle.Secondary)
      .setLabel(t(lang, 'task.buttons.next'))
      .setDisabled(page.page >= page.pageCount - 1),
  );
  return { embeds: [embed], components: [row] };
}

export function statsEmbed(stats: TaskStats, lang: Language): EmbedBuilder {
  const skills = stats.perSkill
    .map((entry) => t(lang, 'task.stats.skillLine', { ...entry, skill: skillName(lang, entry.skill) }))
    .join('\n');
  const leaderboard = stats.leaderboard
    .map((entry, index) => t(lang, 'task.stats.leaderboardLine', { rank: index + 1, userId: entry.userId, count: entry.completed }))
    .join('\n');
  return new EmbedBuilder()
    .setTitle(t(lang, 'task.stats.title'))
    .setColor(STATUS_COLOURS.done)
    .addFields(
      { name: t(lang, 'task.stats.perSkill'), value: (skills || t(lang, 'task.stats.noTasks')).slice(0, 1024) },
      {
        name: t(lang, 'task.stats.recent', { days: stats.days }),
        value: t(lang, 'task.stats.recentCount', { count: stats.completedRecently }),
      },
      {
        name: t(lang, 'task.stats.leaderboard', { days: stats.days }),
        value: (leaderboard || t(lang, 'task.stats.leaderboardEmpty', { days: stats.days })).slice(0, 1024),
      },
    )
    // In the description rather than the footer: it names a command, and footers show no mentions.
    .setDescription(t(lang, 'task.stats.optOutHint'));
}
