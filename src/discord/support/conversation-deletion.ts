import { DiscordAPIError, RESTJSONErrorCodes, Routes, type Client } from 'discord.js';
import type { Logger } from '../../logger.js';
import type { Services } from '../../services.js';

export const CONVERSATION_DELETION_JOB = 'support-conversation-deletions';

export interface DeletionOutcome {
  deleted: string[];
  failed: string[];
}

/**
 * Deletes queued support threads in Discord (DELETE /channels/{thread.id}, which needs Manage
 * Threads in the parent). A thread Discord no longer knows (10003) is gone too. Anything else
 * (missing permission, an outage) leaves it queued for the retry job. Logs carry no member id.
 */
export async function deleteQueuedThreads(
  client: Client,
  services: Services,
  logger: Logger,
  threadIds: string[],
  options: { forget?: boolean } = {},
): Promise<DeletionOutcome> {
  const outcome: DeletionOutcome = { deleted: [], failed: [] };
  for (const threadId of threadIds) {
    try {
      await client.rest.delete(Routes.channel(threadId), { reason: 'Help Me Leave: support conversation deleted (privacy or retention)' });
      outcome.deleted.push(threadId);
    } catch (error) {
      if (error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.UnknownChannel) {
        outcome.deleted.push(threadId);
      } else {
        outcome.failed.push(threadId);
        const code = error instanceof DiscordAPIError ? error.code : undefined;
        logger.warn({ threadId, code, err: error instanceof DiscordAPIError ? undefined : error }, 'could not delete a support thread yet; it stays queued');
      }
    }
  }
  // The caller may keep them queued a little longer, so the THREAD_DELETE it causes is recognised.
  if (options.forget !== false) services.conversations.done(outcome.deleted);
  return outcome;
}

/**
 * /privacy delete: the member's threads go before their rows. They are queued first, so a thread
 * Discord refuses now (or a crash) is still deleted later by the retry job.
 */
export async function deleteMemberConversations(client: Client, services: Services, logger: Logger, guildId: string, userId: string): Promise<DeletionOutcome> {
  const threadIds = services.conversations.memberThreads(guildId, userId);
  services.conversations.queue(guildId, threadIds);
  return deleteQueuedThreads(client, services, logger, threadIds, { forget: false });
}

/** The retry job: every queued thread, until Discord lets the bot delete it. */
export async function runConversationDeletions(client: Client, services: Services, logger: Logger): Promise<DeletionOutcome> {
  const pending = services.conversations.pending();
  if (pending.length === 0) return { deleted: [], failed: [] };
  const outcome = await deleteQueuedThreads(client, services, logger, pending.map((row) => row.threadId));
  logger.info({ deleted: outcome.deleted.length, failed: outcome.failed.length }, 'queued support conversations retried');
  return outcome;
}
