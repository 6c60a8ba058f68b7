import { DiscordAPIError, RESTJSONErrorCodes, type Client, type MessageCreateOptions, type SendableChannels } from 'discord.js';
import type { Delivery, TaskNotifier } from '../../domain/tasks/task-jobs.js';
import type { IdleRelease, Task } from '../../domain/tasks/task-service.js';
import { languageFromLocale, t, type Language } from '../../i18n/index.js';
import type { Logger } from '../../logger.js';
import type { Services } from '../../services.js';
import { announcementPayload, announcementUrl, dueText, relativeTime } from './views.js';

export type AnnounceResult =
  | { status: 'posted'; channelId: string; messageId: string }
  | { status: 'no-channel' }
  | { status: 'failed'; channelId: string };

/** The announcement (or the channel holding it) is gone: stop trying to edit it. */
const GONE = new Set<number>([RESTJSONErrorCodes.UnknownMessage, RESTJSONErrorCodes.UnknownChannel]);

/**
 * Everything the task board says in Discord outside interaction replies: announcements in the
 * tasks channel (posted once, then edited in place whenever the task changes), reminders and
 * warnings to claimants (DM first; a mention in the tasks channel when their DMs are closed).
 * Edits of one task are serialised and always render the task as it is in the database now.
 */
export class DiscordTaskNotifier implements TaskNotifier {
  private readonly queues = new Map<number, Promise<unknown>>();

  constructor(
    private readonly client: Client,
    private readonly services: Services,
    private readonly logger: Logger,
  ) {
    services.tasks.onChange((task) => void this.refresh(task.id));
  }

  /** The language of the guild's public posts: its configured language, its Discord locale, English. */
  guildLanguage(guildId: string): Language {
    return (
      this.services.settings.get(guildId).defaultLanguage ??
      languageFromLocale(this.client.guilds.cache.get(guildId)?.preferredLocale) ??
      'en'
    );
  }

  memberLanguage(guildId: string, userId: string): Language {
    return this.services.preferences.getLanguage(guildId, userId) ?? this.guildLanguage(guildId);
  }

  /** Waits until every queued announcement change for this task (or all tasks) has been sent. */
  async settled(taskId?: number): Promise<void> {
    const pending = taskId === undefined ? [...this.queues.values()] : [this.queues.get(taskId)];
    await Promise.allSettled(pending);
  }

  /** Runs `step` after any earlier announcement work for the same task. */
  private enqueue<T>(taskId: number, step: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(taskId) ?? Promise.resolve();
    const next = previous.then(step, step);
    const tracked = next.catch(() => undefined);
    this.queues.set(taskId, tracked);
    void tracked.then(() => {
      if (this.queues.get(taskId) === tracked) this.queues.delete(taskId);
    });
    return next;
  }

  /** Edits the task's announcement to match its current state (no-op if it was never announced). */
  refresh(taskId: number): Promise<void> {
    return this.enqueue(taskId, async () => {
      const task = this.services.tasks.byId(taskId);
      if (!task?.announcementChannelId || !task.announcementMessageId) return;
      try {
        const channel = await this.sendable(task.announcementChannelId);
        if (!channel) {
          this.services.tasks.setAnnouncement(task.id, null, null);
          return;
        }
        await channel.messages.edit(task.announcementMessageId, announcementPayload(task, this.guildLanguage(task.guildId), this.services.clock.now()));
      } catch (error) {
        if (error instanceof DiscordAPIError && typeof error.code === 'number' && GONE.has(error.code)) {
          // Deleted by a moderator: forget it rather than failing on every change.
          this.services.tasks.setAnnouncement(task.id, null, null);
          return;
        }
        this.logger.warn({ err: error, guildId: task.guildId, task: task.number }, 'could not edit task announcement');
      }
    });
  }

  /** Posts the task's announcement in the tasks channel and remembers the message to edit later. */
  announce(task: Task): Promise<AnnounceResult> {
    return this.enqueue(task.id, async (): Promise<AnnounceResult> => {
      const current = this.services.tasks.byId(task.id) ?? task;
      const channelId = this.services.settings.get(current.guildId).tasksChannelId;
      if (!channelId) return { status: 'no-channel' };
      try {
        const channel = await this.sendable(channelId);
        if (!channel) return { status: 'failed', channelId };
        const message = await channel.send(announcementPayload(current, this.guildLanguage(current.guildId), this.services.clock.now()));
        this.services.tasks.setAnnouncement(current.id, channelId, message.id);
        return { status: 'posted', channelId, messageId: message.id };
      } catch (error) {
        this.logger.warn({ err: error, guildId: current.guildId, task: current.number }, 'could not announce task');
        return { status: 'failed', channelId };
      }
    });
  }

  async publish(task: Task): Promise<boolean> {
    return (await this.announce(task)).status === 'posted';
  }

  async remindOverdue(task: Task): Promise<Delivery> {
    if (!task.claimantId || task.dueAt === null) return 'none';
    const lang = this.memberLanguage(task.guildId, task.claimantId);
    const vars = { ...this.vars(task), userId: task.claimantId, due: dueText(task.dueAt) };
    return this.tellClaimant(task, task.claimantId, t(lang, 'task.notify.overdueDm', vars), t(lang, 'task.notify.overdueChannel', vars));
  }

  async warnIdle(task: Task, releaseAt: number): Promise<Delivery> {
    if (!task.claimantId) return 'none';
    const lang = this.memberLanguage(task.guildId, task.claimantId);
    const vars = { ...this.vars(task), userId: task.claimantId, when: relativeTime(releaseAt) };
    return this.tellClaimant(task, task.claimantId, t(lang, 'task.notify.idleDm', vars), t(lang, 'task.notify.idleChannel', vars));
  }

  async announceIdleRelease(release: IdleRelease): Promise<void> {
    const { task, formerClaimantId, idleDays } = release;
    const lang = this.guildLanguage(task.guildId);
    const url = announcementUrl(task);
    const link = url ? t(lang, 'task.announce.announcementLink', { url }) : '';
    await this.postInTasksChannel(task.guildId, {
      content: t(lang, 'task.announce.idleReleased', { number: task.number, title: task.title, count: idleDays, link }).trim(),
      allowedMentions: { parse: [] },
    });
    if (formerClaimantId) {
      const memberLang = this.memberLanguage(task.guildId, formerClaimantId);
      await this.dm(formerClaimantId, t(memberLang, 'task.notify.releasedDm', { ...this.vars(task), count: idleDays }));
    }
  }

  /** Tells a member a moderator gave them a task; true when the DM arrived. */
  async notifyAssigned(task: Task): Promise<boolean> {
    if (!task.claimantId) return false;
    const lang = this.memberLanguage(task.guildId, task.claimantId);
    return this.dm(task.claimantId, t(lang, 'task.notify.assignedDm', this.vars(task)));
  }

  private vars(task: Task) {
    const url = announcementUrl(task);
    return {
      guild: this.client.guilds.cache.get(task.guildId)?.name ?? '',
      number: task.number,
      title: task.title,
      link: url ?? '',
    };
  }

  private async tellClaimant(task: Task, userId: string, dm: string, channelText: string): Promise<Delivery> {
    if (await this.dm(userId, dm)) return 'dm';
    // DMs closed (50007) or the member left: a mention in the tasks channel still reaches them.
    const posted = await this.postInTasksChannel(task.guildId, { content: channelText, allowedMentions: { users: [userId] } });
    return posted ? 'channel' : 'none';
  }

  private async dm(userId: string, content: string): Promise<boolean> {
    try {
      await this.client.users.send(userId, { content: content.trim().slice(0, 2000), allowedMentions: { parse: [] } });
      return true;
    } catch (error) {
      const code = error instanceof DiscordAPIError ? error.code : undefined;
      // No member id at info: logs outlive /privacy delete.
      this.logger.info({ code }, 'direct message not delivered');
      return false;
    }
  }

  private async postInTasksChannel(guildId: string, payload: MessageCreateOptions): Promise<boolean> {
    const channelId = this.services.settings.get(guildId).tasksChannelId;
    if (!channelId) return false;
    try {
      const channel = await this.sendable(channelId);
      if (!channel) return false;
      await channel.send({ ...payload, content: payload.content?.slice(0, 2000) });
      return true;
    } catch (error) {
      this.logger.warn({ err: error, guildId, channelId }, 'could not post in the tasks channel');
      return false;
    }
  }

  private async sendable(channelId: string): Promise<SendableChannels | undefined> {
    const channel = this.client.channels.cache.get(channelId) ?? (await this.client.channels.fetch(channelId).catch(() => null));
    return channel?.isSendable() ? channel : undefined;
  }
}

const notifiers = new WeakMap<Client, DiscordTaskNotifier>();

/** One notifier per client, shared by the task commands and the task jobs. */
export function taskNotifier(client: Client, services: Services, logger: Logger): DiscordTaskNotifier {
  let notifier = notifiers.get(client);
  if (!notifier) {
    notifier = new DiscordTaskNotifier(client, services, logger);
    notifiers.set(client, notifier);
  }
  return notifier;
}
