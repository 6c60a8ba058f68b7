import { ChannelType } from 'discord.js';
import { DomainError } from '../../domain/errors.js';
import { formatRequestNumber, type Actor, type AuditEntry, type SupportRequest } from '../../domain/support/index.js';
import { t } from '../../i18n/index.js';
import { deleteQueuedThreads } from './conversation-deletion.js';
import { actorLabel, auditLine, closedNote, intakeState, triageState } from './render.js';
import { fetchThread, postModlog, staffLanguage, triageLanguage, type SupportIo } from './threads.js';

/**
 * The Discord side of every triage change. The domain has already checked and recorded the change;
 * here the thread, the intake and triage messages and the mod-log follow. A Discord failure after
 * the change is logged and does not undo it (the next change or a refresh brings Discord in line).
 */

const NO_MENTIONS = { parse: [] } as const;

async function logToModlog(io: SupportIo, entry: AuditEntry, request: SupportRequest): Promise<void> {
  const lang = staffLanguage(io.services.settings.get(io.guild.id));
  await postModlog(io, 'triage.audit.wrapper', { line: auditLine(entry, request, lang) });
}

async function threadNote(io: SupportIo, request: SupportRequest, payload: { content: string; components?: never[] } | ReturnType<typeof closedNote>) {
  const thread = await fetchThread(io.guild, request.threadId);
  if (!thread) return;
  await thread.send({ ...payload, allowedMentions: NO_MENTIONS }).catch((error: unknown) =>
    io.logger.warn({ err: error, guildId: io.guild.id, requestId: request.id }, 'could not post in the support thread'),
  );
}

/** Brings the intake message and the triage announcement up to date with the stored request. */
export async function refreshMessages(io: SupportIo, requestId: number): Promise<void> {
  let request: SupportRequest;
  try {
    request = io.services.support.get(io.guild.id, requestId);
  } catch {
    return;
  }
  const thread = await fetchThread(io.guild, request.threadId);
  if (thread && request.intakeMessageId) {
    const { secureContact } = io.services.settings.get(io.guild.id);
    await thread.messages
      .edit(request.intakeMessageId, { ...intakeState(request, { secureContact }), allowedMentions: NO_MENTIONS })
      .catch((error: unknown) => io.logger.warn({ err: error, guildId: io.guild.id, requestId }, 'could not update the intake message'));
  }
  const settings = io.services.settings.get(io.guild.id);
  if (request.triageMessageId && settings.triageChannelId) {
    const channel = io.guild.channels.cache.get(settings.triageChannelId);
    if (channel?.type === ChannelType.GuildText) {
      await channel.messages
        .edit(request.triageMessageId, { ...triageState(request, triageLanguage(request, settings)), allowedMentions: NO_MENTIONS })
        .catch((error: unknown) => io.logger.warn({ err: error, guildId: io.guild.id, requestId }, 'could not update the triage message'));
    }
  }
}

/** Adds a staff member to the private thread: the only way in (a bot's mention adds nobody). */
async function addToThread(io: SupportIo, request: SupportRequest, userId: string): Promise<void> {
  const thread = await fetchThread(io.guild, request.threadId);
  if (!thread) throw new DomainError('triage.errors.threadUnavailable', { number: formatRequestNumber(request.number) });
  try {
    // A quiet thread auto-archives after a week; members cannot be added to an archived thread.
    if (thread.archived) await thread.setArchived(false);
    await thread.members.add(userId);
  } catch (error) {
    io.logger.warn({ err: error, guildId: io.guild.id, requestId: request.id }, 'could not add a member to a support thread');
    throw new DomainError('triage.errors.threadUnavailable', { number: formatRequestNumber(request.number) });
  }
}

export async function joinRequest(io: SupportIo, actor: Actor, requestId: number): Promise<SupportRequest> {
  const { request, entry } = io.services.support.join(io.guild.id, requestId, actor);
  await addToThread(io, request, actor.userId);
  if (entry) await logToModlog(io, entry, request);
  return request;
}

export async function claimRequest(io: SupportIo, actor: Actor, requestId: number): Promise<SupportRequest> {
  const { request, entry } = io.services.support.claim(io.guild.id, requestId, actor);
  await addToThread(io, request, actor.userId);
  await threadNote(io, request, { content: t(request.language, 'support.thread.claimed', { actor: `<@${actor.userId}>` }) });
  await refreshMessages(io, request.id);
  await logToModlog(io, entry, request);
  return request;
}

export async function assignRequest(
  io: SupportIo,
  actor: Actor,
  requestId: number,
  assignee: { userId: string; staff: boolean },
): Promise<SupportRequest> {
  const { request, entry } = io.services.support.assign(io.guild.id, requestId, actor, assignee);
  await addToThread(io, request, assignee.userId);
  await threadNote(io, request, { content: t(request.language, 'support.thread.assigned', { assignee: `<@${assignee.userId}>` }) });
  await refreshMessages(io, request.id);
  await logToModlog(io, entry, request);
  return request;
}

export async function setRequestStatus(io: SupportIo, actor: Actor, requestId: number, to: 'open' | 'waiting'): Promise<SupportRequest> {
  const { request, entry } = io.services.support.setStatus(io.guild.id, requestId, actor, to);
  await threadNote(io, request, { content: t(request.language, to === 'waiting' ? 'support.thread.waiting' : 'support.thread.backToOpen') });
  await refreshMessages(io, request.id);
  await logToModlog(io, entry, request);
  return request;
}

/** Closes, tells the requester (with the reason, if any, and how to reopen), archives and locks. */
export async function closeRequest(io: SupportIo, actor: Actor, requestId: number, reason: string | null): Promise<SupportRequest> {
  const { request, entry } = io.services.support.close(io.guild.id, requestId, actor);
  const lang = request.language;
  await threadNote(io, request, closedNote(request, actorLabel(lang, request, actor.userId), reason));
  await refreshMessages(io, request.id);
  const thread = await fetchThread(io.guild, request.threadId);
  await thread
    ?.edit({ archived: true, locked: true })
    .catch((error: unknown) => io.logger.warn({ err: error, guildId: io.guild.id, requestId }, 'could not archive the support thread'));
  await logToModlog(io, entry, request);
  return request;
}

export async function reopenRequest(io: SupportIo, actor: Actor, requestId: number): Promise<SupportRequest> {
  const { request, entry } = io.services.support.reopen(io.guild.id, requestId, actor);
  const thread = await fetchThread(io.guild, request.threadId);
  await thread
    ?.edit({ archived: false, locked: false })
    .catch((error: unknown) => io.logger.warn({ err: error, guildId: io.guild.id, requestId }, 'could not unarchive the support thread'));
  await threadNote(io, request, { content: t(request.language, 'support.thread.reopened', { actor: actorLabel(request.language, request, actor.userId) }) });
  await refreshMessages(io, request.id);
  await logToModlog(io, entry, request);
  return request;
}

export async function logBlockChange(io: SupportIo, entry: AuditEntry, until: number | null): Promise<void> {
  const lang = staffLanguage(io.services.settings.get(io.guild.id));
  const vars = {
    actor: entry.actorId ? `<@${entry.actorId}>` : t(lang, 'triage.audit.someone'),
    target: entry.targetId ? `<@${entry.targetId}>` : t(lang, 'triage.audit.someone'),
    until: until === null ? '' : `<t:${Math.floor(until / 1000)}:D>`,
  };
  const line = entry.action === 'blocked' ? t(lang, 'triage.audit.blocked', vars) : t(lang, 'triage.audit.unblocked', vars);
  await postModlog(io, 'triage.audit.wrapper', { line });
}

/**
 * "Delete this conversation" confirmed: the thread is queued and detached from the request, then
 * deleted in Discord (or retried by the job). Returns whether it is already gone.
 */
export async function forgetConversation(io: SupportIo, actor: Actor, requestId: number): Promise<{ request: SupportRequest; deleted: boolean }> {
  const { request, threadId } = io.services.conversations.forget(io.guild.id, requestId, actor);
  const outcome = await deleteQueuedThreads(io.guild.client, io.services, io.logger, [threadId]);
  const entry = io.services.support.auditTrail(io.guild.id, request.id).at(-1);
  if (entry?.action === 'conversationDeleted') await logToModlog(io, entry, request);
  await refreshMessages(io, request.id);
  return { request, deleted: outcome.deleted.includes(threadId) };
}

/** Staff offer the guild's secure contact: posted in the thread, in the request's language. */
export async function offerSecureContact(io: SupportIo, actor: Actor, requestId: number): Promise<SupportRequest> {
  if (!actor.staff) throw new DomainError('errors.staffOnly');
  const request = io.services.support.get(io.guild.id, requestId);
  const { secureContact } = io.services.settings.get(io.guild.id);
  if (!secureContact) throw new DomainError('support.conversation.errors.noSecureContact');
  const thread = await fetchThread(io.guild, request.threadId);
  if (!thread) throw new DomainError('triage.errors.threadUnavailable', { number: formatRequestNumber(request.number) });
  await thread.send({ content: t(request.language, 'support.conversation.secureContactOffered', { contact: secureContact }), allowedMentions: NO_MENTIONS });
  return request;
}
