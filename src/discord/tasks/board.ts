import { Events, type Client } from 'discord.js';
import type { Config } from '../../config.js';
import { TaskJobs } from '../../domain/tasks/task-jobs.js';
import { guideTranslationStatus } from '../../i18n/translation-check.js';
import type { Logger } from '../../logger.js';
import { PROJECT_ROOT, projectPath } from '../../paths.js';
import type { JobRunner } from '../../scheduler/job-runner.js';
import type { Services } from '../../services.js';
import { taskNotifier } from './notifier.js';

export const TASK_REMINDER_JOB = 'task-reminders';
export const TRANSLATION_TASKS_JOB = 'translation-tasks';
export const GUIDE_REVIEW_TASKS_JOB = 'guide-review-tasks';

/**
 * Wires the volunteer task board into the running bot: the announcement notifier (edits follow
 * every task change), the reminder job, the translation-task job, and translation tasks for a
 * guild the bot has just joined.
 */
export function wireTaskBoard(deps: { client: Client; services: Services; jobs: JobRunner; config: Config; logger: Logger }): TaskJobs {
  const { client, services, jobs, config, logger } = deps;
  const notifier = taskNotifier(client, services, logger);
  const taskJobs = new TaskJobs({
    tasks: services.tasks,
    notifier,
    logger,
    guildIds: () => [...new Set([...services.settings.guildIds(), ...client.guilds.cache.keys()])],
    languageFor: (guildId) => notifier.guildLanguage(guildId),
    translationStatus: () => guideTranslationStatus(projectPath('locales')),
    reviewStatus: () => services.guides.reviewStatus(),
    reviewMaxAgeDays: config.GUIDE_REVIEW_MAX_AGE_DAYS,
    projectRoot: PROJECT_ROOT,
  });

  jobs.upsert({
    name: TASK_REMINDER_JOB,
    cron: config.TASK_REMINDER_CRON,
    runOnStart: true,
    run: async () => {
      const report = await taskJobs.runReminders();
      if (report.reminded + report.warned + report.released > 0) logger.info({ ...report }, 'task reminders done');
    },
  });
  jobs.upsert({
    name: TRANSLATION_TASKS_JOB,
    cron: config.TRANSLATION_TASKS_CRON,
    runOnStart: true,
    run: async () => {
      const report = await taskJobs.syncTranslations();
      logger.info(
        { created: report.created.length, completed: report.completed.length, cancelled: report.cancelled.length },
        'translation tasks synced',
      );
    },
  });

  // Same daily rhythm as translation tasks: a review date only changes with a new release.
  jobs.upsert({
    name: GUIDE_REVIEW_TASKS_JOB,
    cron: config.TRANSLATION_TASKS_CRON,
    runOnStart: true,
    run: async () => {
      const report = await taskJobs.syncReviews();
      logger.info(
        { created: report.created.length, completed: report.completed.length, cancelled: report.cancelled.length },
        'guide review tasks synced',
      );
    },
  });

  client.on(Events.GuildCreate, (guild) => {
    taskJobs.syncTranslations([guild.id]).catch((error: unknown) => {
      logger.error({ err: error, guildId: guild.id }, 'translation tasks for a new guild failed');
    });
    taskJobs.syncReviews([guild.id]).catch((error: unknown) => {
      logger.error({ err: error, guildId: guild.id }, 'guide review tasks for a new guild failed');
    });
  });
  return taskJobs;
}
