import { ActionRowBuilder, StringSelectMenuBuilder, type Client, type MessageActionRowComponentBuilder } from 'discord.js';
import { formatRequestNumber, threadName, type PurgeResult, type SupportRequest } from '../../domain/support/index.js';
import { t } from '../../i18n/index.js';
import type { Logger } from '../../logger.js';
import type { JobRunner } from '../../scheduler/job-runner.js';
import type { Services } from '../../services.js';
import { encodeCustomId } from '../custom-id.js';
import { teamRoles } from '../guards.js';
import { queueLine, rolesToPing } from './render.js';
import { CONVERSATION_DELETION_JOB, deleteQueuedThreads, runConversationDeletions } from './conversation-deletion.js';
import { postModlog, staffLanguage } from './threads.js';

export const SUPPORT_REMINDER_JOB = 'support-reminders';
export const SUPPORT_RETENTION_JOB = 'support-retention';
/** Lines per reminder message: well under Discord's 2000 characters and 25 menu options. */
const REMINDER_CHUNK = 15;

/**
 * Lists, in each guild's triage channel, the open requests whose member has waited longer than the
 * guild's reminder hours for a staff reply; each request at most once per interval. Returns how
 * many requests were listed. A guild whose triage channel is unreachable is retried next run.
 */
export async function runSupportReminders(client: Client, services: Services, logger: Logger): Promise<number> {
  let listed = 0;
  for (const due of services.support.dueReminders()) {
    const guild = client.guilds.cache.get(due.guildId);
    if (!guild) continue;
    const settings = services.settings.get(due.guildId);
    const channel = settings.triageChannelId ? guild.channels.cache.get(settings.triageChannelId) : undefined;
    if (!channel?.isTextBased() || channel.isThread()) {
      logger.warn({ guildId: due.guildId, due: due.requests.length }, 'support reminders: no triage channel');
      continue;
    }
    const lang = staffLanguage(settings);
    for (let start = 0; start < due.requests.length; start += REMINDER_CHUNK) {
      const chunk: SupportRequest[] = due.requests.slice(start, start + REMINDER_CHUNK);
      const roles = [...new Set(chunk.flatMap((request) => rolesToPing(request, teamRoles(guild, settings))))];
      const pings = roles.map((id) => `<@&${id}>`).join(' ');
      const body = [t(lang, 'triage.reminder.title', { hours: due.reminderHours, count: chunk.length }), ...chunk.map((request) => queueLine(request, lang))].join('\n');
      const menu = new StringSelectMenuBuilder()
        .setCustomId(encodeCustomId('triage', 'pick'))
        .setPlaceholder(t(lang, 'triage.queue.joinPlaceholder'))
        .addOptions(chunk.map((request) => ({ label: `#${formatRequestNumber(request.number)}`, value: String(request.id) })));
      try {
        await channel.send({
          content: `${pings ? `${pings} ` : ''}${body}`.slice(0, 2000),
          components: [new ActionRowBuilder<MessageActionRowComponentBuilder>().addComponents(menu)],
          allowedMentions: { parse: [], roles },
        });
        services.support.markReminded(chunk.map((request) => request.id));
        listed += chunk.length;
      } catch (error) {
        logger.warn({ err: error, guildId: due.guildId }, 'support reminders: could not post');
      }
    }
  }
  if (listed > 0) logger.info({ listed }, 'support reminders posted');
  return listed;
}

/**
 * Deletes closed requests' metadata after each guild's retention days (and expired blocks), and,
 * unless the guild keeps conversations, their threads: each deleted one is noted in the mod-log.
 */
export async function runSupportRetention(client: Client, services: Services, logger: Logger): Promise<PurgeResult> {
  const result = services.support.purge();
  if (result.requests + result.pending + result.blocks + result.audit > 0) {
    logger.info({ ...result, conversations: result.conversations.length }, 'support retention applied');
  }
  if (result.conversations.length === 0) return result;
  const outcome = await deleteQueuedThreads(client, services, logger, result.conversations.map((item) => item.threadId));
  for (const item of result.conversations) {
    const guild = client.guilds.cache.get(item.guildId);
    if (!guild) continue;
    const lang = staffLanguage(services.settings.get(item.guildId));
    const key = outcome.deleted.includes(item.threadId) ? 'support.conversation.retentionDeleted' : 'support.conversation.retentionQueued';
    await postModlog({ guild, services, logger }, 'triage.audit.wrapper', { line: t(lang, key, { thread: threadName(item.number) }) });
  }
  return result;
}

/** Internal jobs on the JobRunner (not admin-editable schedules). */
export function registerSupportJobs(
  jobs: JobRunner,
  client: Client,
  services: Services,
  logger: Logger,
  crons: { reminders: string; retention: string; conversations?: string } = { reminders: '*/10 * * * *', retention: '23 * * * *' },
): void {
  jobs.upsert({
    name: SUPPORT_REMINDER_JOB,
    cron: crons.reminders,
    runOnStart: true,
    run: async () => {
      await runSupportReminders(client, services, logger);
    },
  });
  jobs.upsert({
    name: SUPPORT_RETENTION_JOB,
    cron: crons.retention,
    runOnStart: true,
    run: async () => {
      await runSupportRetention(client, services, logger);
    },
  });
  jobs.upsert({
    name: CONVERSATION_DELETION_JOB,
    cron: crons.conversations ?? '*/5 * * * *',
    runOnStart: true,
    run: async () => {
      await runConversationDeletions(client, services, logger);
    },
  });
}
