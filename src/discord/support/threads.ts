import {
  ChannelType,
  ThreadAutoArchiveDuration,
  type Guild,
  type GuildMember,
  type Message,
  type TextChannel,
  type ThreadChannel,
} from 'discord.js';
import { DomainError } from '../../domain/errors.js';
import type { GuildSettings } from '../../domain/guild-settings.js';
import {
  DESCRIPTION_MAX_LENGTH,
  SupportService,
  formatRequestNumber,
  threadName,
  type Actor,
  type NewRequestInput,
  type SupportRequest,
} from '../../domain/support/index.js';
import { t, type Language, type MessageKey, type MessageVars } from '../../i18n/index.js';
import type { Logger } from '../../logger.js';
import type { Services } from '../../services.js';
import { missingChannelPermissions } from '../channel-permissions.js';
import { isModerator, isStaff, teamRoles } from '../guards.js';
import { auditLine, emergencyGuidance, intakeMessage, rolesToPing, triageAnnouncement } from './render.js';

/** What the support helpers need: the guild (from the interaction or the client) and the services. */
export interface SupportIo {
  guild: Guild;
  services: Services;
  logger: Logger;
}

const NO_MENTIONS = { parse: [] } as const;

export function actorFor(member: GuildMember, settings: GuildSettings): Actor {
  return { userId: member.id, staff: isStaff(member, settings), moderator: isModerator(member, settings) };
}

/** Staff channels (triage, mod-log) speak the guild's language, English by default. */
export function staffLanguage(settings: GuildSettings): Language {
  return settings.defaultLanguage ?? 'en';
}

async function textChannel(guild: Guild, channelId: string | null): Promise<TextChannel | null> {
  if (!channelId) return null;
  const channel = guild.channels.cache.get(channelId) ?? (await guild.channels.fetch(channelId).catch(() => null));
  return channel && channel.type === ChannelType.GuildText ? channel : null;
}

/** Spanish requests go to the Spanish team, so their announcement is in Spanish. */
export function triageLanguage(request: Pick<SupportRequest, 'language'>, settings: GuildSettings): Language {
  return request.language === 'es' && settings.spanishSupportRoleId ? 'es' : staffLanguage(settings);
}

export async function fetchThread(guild: Guild, threadId: string | null): Promise<ThreadChannel | null> {
  if (!threadId) return null;
  const channel = guild.channels.cache.get(threadId) ?? (await guild.channels.fetch(threadId).catch(() => null));
  return channel?.isThread() ? channel : null;
}

/** A note for staff in the mod-log channel; never the text of a request. Failures are logged only. */
export async function postModlog(io: SupportIo, key: MessageKey, vars: MessageVars = {}): Promise<void> {
  const settings = io.services.settings.get(io.guild.id);
  const content = t(staffLanguage(settings), key, vars);
  const channel = await textChannel(io.guild, settings.modlogChannelId);
  if (!channel) {
    io.logger.warn({ guildId: io.guild.id, note: key }, 'mod-log channel not configured or not reachable');
    return;
  }
  await channel.send({ content, allowedMentions: NO_MENTIONS }).catch((error: unknown) => {
    io.logger.warn({ err: error, guildId: io.guild.id, note: key }, 'could not post to the mod-log channel');
  });
}

export interface CreatedRequest {
  request: SupportRequest;
  /** When the team is next available, if the request came in outside support hours. */
  nextAvailable: number | null;
}

function validDescription(raw: string): string {
  const description = raw.trim();
  if (description.length === 0) throw new DomainError('support.errors.descriptionEmpty');
  if (description.length > DESCRIPTION_MAX_LENGTH) throw new DomainError('support.errors.descriptionTooLong', { max: DESCRIPTION_MAX_LENGTH });
  return description;
}

/**
 * Opens a request: checks the support channel, reserves the number, creates the private thread,
 * adds the requester, posts the intake (the only place the description is written), then the
 * emergency guidance and the triage announcement. If the thread cannot be completed, the thread
 * and the reservation are removed and staff are told in the mod-log channel.
 */
export async function createSupportRequest(
  io: SupportIo,
  requesterId: string,
  input: NewRequestInput,
  rawDescription: string,
): Promise<CreatedRequest> {
  const { guild, services, logger } = io;
  SupportService.validateInput(input);
  const description = validDescription(rawDescription);
  const settings = services.settings.get(guild.id);
  const channel = await textChannel(guild, settings.supportChannelId);
  if (!settings.supportChannelId) {
    await postModlog(io, 'support.modlog.notConfigured');
    throw new DomainError('support.errors.unavailable');
  }
  if (!channel) {
    await postModlog(io, 'support.modlog.channelMissing', { channel: `<#${settings.supportChannelId}>` });
    throw new DomainError('support.errors.unavailable');
  }
  const missing = await missingChannelPermissions(guild, channel, 'support');
  if (missing.length > 0) {
    await postModlog(io, 'support.modlog.missingPermissions', {
      channel: `<#${channel.id}>`,
      permissions: missing.map((flag) => t(staffLanguage(settings), `permissions.${flag}` as MessageKey)).join(', '),
    });
    throw new DomainError('support.errors.unavailable');
  }

  const reserved = services.support.reserve(guild.id, requesterId, input);
  let thread: ThreadChannel | undefined;
  let request: SupportRequest;
  const nextAvailable = services.supportHours.nextAvailable(guild.id);
  try {
    thread = await channel.threads.create({
      name: threadName(reserved.number),
      type: ChannelType.PrivateThread,
      invitable: false,
      autoArchiveDuration: ThreadAutoArchiveDuration.OneWeek,
    });
    await thread.members.add(requesterId);
    // Rendered as it will be once attached: the reservation is still `pending` in the database.
    const intake: Message = await thread.send({
      ...intakeMessage({ ...reserved, threadId: thread.id, status: 'open' }, description, nextAvailable, { secureContact: settings.secureContact }),
      allowedMentions: NO_MENTIONS,
    });
    request = services.support.attachThread(reserved.id, thread.id, intake.id);
  } catch (error) {
    logger.error({ err: error, guildId: guild.id, requestId: reserved.id }, 'support thread creation failed; rolling back');
    if (thread) await thread.delete().catch((deleteError: unknown) => logger.warn({ err: deleteError, guildId: guild.id }, 'could not delete the half-made thread'));
    services.support.discard(reserved.id);
    await postModlog(io, 'support.modlog.createFailed', { channel: `<#${channel.id}>` });
    throw new DomainError('support.errors.createFailed');
  }
  logger.info({ guildId: guild.id, requestId: request.id, number: request.number, urgent: request.urgent }, 'support request opened');

  if (request.urgent) {
    await thread.send({ content: emergencyGuidance(request.language), allowedMentions: NO_MENTIONS }).catch((error: unknown) =>
      logger.warn({ err: error, guildId: guild.id, requestId: request.id }, 'could not post emergency guidance'),
    );
  }
  await announce(io, request, settings);
  const opened = services.support.auditTrail(guild.id, request.id)[0];
  if (opened) await postModlog(io, 'triage.audit.wrapper', { line: auditLine(opened, request, staffLanguage(settings)) });
  return { request, nextAvailable };
}

/** The staff-only announcement with the right team's ping (and moderators when urgent). */
async function announce(io: SupportIo, request: SupportRequest, settings: GuildSettings): Promise<void> {
  const number = formatRequestNumber(request.number);
  const channel = await textChannel(io.guild, settings.triageChannelId);
  if (!channel) {
    await postModlog(io, 'support.modlog.triageMissing', { number });
    return;
  }
  const pings = rolesToPing(request, teamRoles(io.guild, settings));
  const lang = triageLanguage(request, settings);
  try {
    const message = await channel.send({ ...triageAnnouncement(request, lang, pings), allowedMentions: { parse: [], roles: pings } });
    io.services.support.setTriageMessage(request.id, message.id);
  } catch (error) {
    io.logger.warn({ err: error, guildId: io.guild.id, requestId: request.id }, 'could not announce a support request');
    await postModlog(io, 'support.modlog.triageMissing', { number });
  }
}
