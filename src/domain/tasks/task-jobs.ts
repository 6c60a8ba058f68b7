import { readFileSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { formatReviewDate, type GuideReviewStatus } from '../guides/index.js';
import { t, type Language } from '../../i18n/index.js';
import { parseFrontMatter } from '../guides/front-matter.js';
import type { GuideTranslationStatus } from '../../i18n/translation-check.js';
import type { Logger } from '../../logger.js';
import type { IdleRelease, Task, TaskService } from './task-service.js';

/** How a message reached a member: a DM, a mention in the tasks channel, or not at all. */
export type Delivery = 'dm' | 'channel' | 'none';

/** The Discord side of the task jobs (implemented in src/discord/tasks/notifier.ts). */
export interface TaskNotifier {
  /** Tells the claimant their task is overdue: DM first, a mention in the tasks channel if DMs are closed. */
  remindOverdue(task: Task): Promise<Delivery>;
  /** Tells the claimant the claim will be released at `releaseAt` unless they confirm it. */
  warnIdle(task: Task, releaseAt: number): Promise<Delivery>;
  /** Announces in the tasks channel that an idle claim was released, and tells the former claimant. */
  announceIdleRelease(release: IdleRelease): Promise<void>;
  /** Posts a task's announcement in the tasks channel; false when there is no channel to post in. */
  publish(task: Task): Promise<boolean>;
}

export interface TaskJobsOptions {
  tasks: TaskService;
  notifier: TaskNotifier;
  logger: Logger;
  /** Guilds to keep translation tasks for (every guild with settings). */
  guildIds: () => string[];
  /** The language a guild's generated task texts are written in. */
  languageFor: (guildId: string) => Language;
  /** Current state of every Spanish guide (guideTranslationStatus over locales/). */
  translationStatus: () => GuideTranslationStatus[];
  /** Review state of every English guide (GuideLibrary.reviewStatus under GUIDE_REVIEW_MAX_AGE_DAYS). */
  reviewStatus: () => GuideReviewStatus[];
  /** GUIDE_REVIEW_MAX_AGE_DAYS, for the task text. */
  reviewMaxAgeDays: number;
  /** Paths in task descriptions are shown relative to this folder. */
  projectRoot: string;
}

export interface ReminderReport {
  reminded: number;
  warned: number;
  released: number;
}

export interface TranslationReport {
  created: Task[];
  completed: Task[];
  cancelled: Task[];
}

export const TRANSLATION_ORIGIN_PREFIX = 'translation:';
export const translationOrigin = (slug: string) => `${TRANSLATION_ORIGIN_PREFIX}${slug}`;

/** A review task belongs to one guide and one review date: a new date closes it. */
export const REVIEW_ORIGIN_PREFIX = 'review:';
export const reviewOrigin = (slug: string, lastReviewed: string) => `${REVIEW_ORIGIN_PREFIX}${slug}@${lastReviewed}`;

export type ReviewReport = TranslationReport;

/**
 * The task board's periodic work, as plain methods so tests call them directly:
 * overdue reminders, idle-claim warnings and releases, and Spanish translation tasks.
 */
export class TaskJobs {
  constructor(private readonly options: TaskJobsOptions) {}

  async runReminders(): Promise<ReminderReport> {
    const { tasks, notifier, logger } = this.options;
    const report: ReminderReport = { reminded: 0, warned: 0, released: 0 };

    for (const task of tasks.overdueToRemind()) {
      try {
        const delivery = await notifier.remindOverdue(task);
        // Recorded even when undeliverable, so a closed inbox is not retried every hour.
        tasks.markReminded(task);
        if (delivery !== 'none') report.reminded++;
        else logger.warn({ guildId: task.guildId, task: task.number }, 'overdue reminder could not be delivered');
      } catch (error) {
        logger.error({ err: error, guildId: task.guildId, task: task.number }, 'overdue reminder failed');
      }
    }

    for (const guildId of tasks.guildsWithClaims()) {
      for (const release of tasks.releaseIdle(guildId)) {
        report.released++;
        logger.info({ guildId, task: release.task.number, idleDays: release.idleDays }, 'idle claim released');
        try {
          await notifier.announceIdleRelease(release);
        } catch (error) {
          logger.error({ err: error, guildId, task: release.task.number }, 'idle release announcement failed');
        }
      }
      for (const warning of tasks.idleWarningsDue(guildId)) {
        try {
          const delivery = await notifier.warnIdle(warning.task, warning.releaseAt);
          tasks.markIdleWarned(warning.task);
          if (delivery !== 'none') report.warned++;
        } catch (error) {
          logger.error({ err: error, guildId, task: warning.task.number }, 'idle warning failed');
        }
      }
    }
    return report;
  }

  /**
   * Keeps one open "Spanish translation" task per stale or missing Spanish guide in each guild:
   * creates the missing ones (never duplicates), closes those whose guide is current again (done)
   * or whose English guide is gone (cancelled), and announces any not yet announced.
   */
  async syncTranslations(guildIds: readonly string[] = this.options.guildIds()): Promise<TranslationReport> {
    const { tasks, logger } = this.options;
    const report: TranslationReport = { created: [], completed: [], cancelled: [] };
    const statuses = this.options.translationStatus();
    const bySlug = new Map(statuses.map((status) => [status.slug, status]));
    const titles = new Map<string, string>();

    for (const guildId of guildIds) {
      const lang = this.options.languageFor(guildId);
      const live = tasks.liveGenerated(guildId, TRANSLATION_ORIGIN_PREFIX);
      const liveSlugs = new Set(live.map((task) => task.origin.slice(TRANSLATION_ORIGIN_PREFIX.length)));

      for (const status of statuses) {
        if (status.state === 'current' || liveSlugs.has(status.slug)) continue;
        if (!titles.has(status.slug)) titles.set(status.slug, guideTitle(status));
        const task = tasks.createGenerated(guildId, {
          skill: 'spanish-translation',
          origin: translationOrigin(status.slug),
          ...this.translationText(status, titles.get(status.slug) ?? status.slug, lang),
        });
        if (task) {
          report.created.push(task);
          logger.info({ guildId, task: task.number, slug: status.slug, state: status.state }, 'translation task created');
        }
      }

      for (const task of live) {
        const status = bySlug.get(task.origin.slice(TRANSLATION_ORIGIN_PREFIX.length));
        if (!status) {
          const closed = tasks.closeGenerated(task, 'cancelled', null);
          if (closed) report.cancelled.push(closed);
        } else if (status.state === 'current') {
          const closed = tasks.closeGenerated(task, 'done', t(lang, 'task.translation.autoDone'));
          if (closed) report.completed.push(closed);
        }
      }

      await this.announceGenerated(guildId, TRANSLATION_ORIGIN_PREFIX);
    }
    return report;
  }

  /**
   * Keeps one open "Review guide" task per guide whose `last_reviewed` is older than the policy
   * allows, in each guild: never duplicated; closed as done when the guide gets a new review date,
   * cancelled when the guide is gone; announced like any task.
   */
  async syncReviews(guildIds: readonly string[] = this.options.guildIds()): Promise<ReviewReport> {
    const { tasks, logger } = this.options;
    const report: ReviewReport = { created: [], completed: [], cancelled: [] };
    const statuses = this.options.reviewStatus();
    const bySlug = new Map(statuses.map((status) => [status.slug, status]));

    for (const guildId of guildIds) {
      const lang = this.options.languageFor(guildId);
      const live = tasks.liveGenerated(guildId, REVIEW_ORIGIN_PREFIX);
      const liveOrigins = new Set(live.map((task) => task.origin));

      for (const status of statuses) {
        const origin = reviewOrigin(status.slug, status.lastReviewed);
        if (!status.overdue || liveOrigins.has(origin)) continue;
        const task = tasks.createGenerated(guildId, { skill: 'legal-research', origin, ...this.reviewText(status, lang) });
        if (task) {
          report.created.push(task);
          logger.info({ guildId, task: task.number, slug: status.slug }, 'guide review task created');
        }
      }

      for (const task of live) {
        const [slug, date] = task.origin.slice(REVIEW_ORIGIN_PREFIX.length).split('@');
        const status = slug === undefined ? undefined : bySlug.get(slug);
        if (!status) {
          const closed = tasks.closeGenerated(task, 'cancelled', null);
          if (closed) report.cancelled.push(closed);
        } else if (status.lastReviewed !== date || !status.overdue) {
          const closed = tasks.closeGenerated(task, 'done', t(lang, 'task.review.autoDone'));
          if (closed) report.completed.push(closed);
        }
      }
      await this.announceGenerated(guildId, REVIEW_ORIGIN_PREFIX);
    }
    return report;
  }

  /** Announces the guild's live generated tasks of one kind that are not announced yet. */
  private async announceGenerated(guildId: string, prefix: string): Promise<void> {
    const { tasks, notifier, logger } = this.options;
    for (const task of tasks.liveGenerated(guildId, prefix)) {
      if (task.announcementMessageId) continue;
      try {
        // No tasks channel yet: the task is on the board and is announced once one is set.
        if (!(await notifier.publish(task))) break;
      } catch (error) {
        logger.error({ err: error, guildId, task: task.number }, 'generated task announcement failed');
      }
    }
  }

  private reviewText(status: GuideReviewStatus, lang: Language) {
    // Guide files are already shown relative to the project; only a guide outside it has an absolute path.
    const path = (file: string) => (isAbsolute(file) ? relative(this.options.projectRoot, file) : file).split('\\').join('/');
    const vars = {
      guide: status.title,
      slug: status.slug,
      date: formatReviewDate(status.lastReviewed, lang),
      days: this.options.reviewMaxAgeDays,
      english: path(status.englishFile),
      spanish: status.spanishFile ? path(status.spanishFile) : path(status.englishFile.replace(/(^|[\\/])en([\\/]guides[\\/])/, '$1es$2')),
    };
    return { title: t(lang, 'task.review.title', { guide: status.title }), description: t(lang, 'task.review.description', vars) };
  }

  private translationText(status: GuideTranslationStatus, guide: string, lang: Language) {
    const vars = {
      guide,
      slug: status.slug,
      english: relative(this.options.projectRoot, status.englishFile).split('\\').join('/'),
      spanish: relative(this.options.projectRoot, status.spanishFile).split('\\').join('/'),
    };
    return {
      title: t(lang, 'task.translation.title', { guide }),
      description: t(lang, status.state === 'missing' ? 'task.translation.missing' : 'task.translation.stale', vars),
    };
  }
}

/** The English guide's title from its front matter, or its slug if the file cannot be read. */
function guideTitle(status: GuideTranslationStatus): string {
  try {
    const title = parseFrontMatter(readFileSync(status.englishFile, 'utf8')).data.title;
    return typeof title === 'string' && title.trim() ? title.trim() : status.slug;
  } catch {
    return status.slug;
  }
}
