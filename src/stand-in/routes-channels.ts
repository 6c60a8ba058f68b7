import {
  ChannelType,
  GatewayDispatchEvents,
  GatewayIntentBits,
  MessageFlags,
  OverwriteType,
  PermissionFlagsBits,
  ThreadAutoArchiveDuration,
} from 'discord-api-types/v10';
import type { StandInContext } from './context.js';
import { ApiError, FormErrors, formError } from './errors.js';
import { json, noContent, queryFlag, type RestRequest, type RestResult } from './http-types.js';
import {
  buildAttachments,
  deleteMessage,
  editMessage,
  isEmptyMessage,
  messageAsSeenByApp,
  postMessage,
  prepareEdit,
} from './messages.js';
import { messageForEnforcedNonce } from './nonce.js';
import { canView, has, permissionsFor } from './permissions.js';
import { requireGuildForBot, type RouteDefinition, type RouteDeps } from './routes-core.js';
import { nowIso, type ChannelRecord, type StoredMessage } from './state.js';
import { isObject, validateMessageBody, type JsonObject } from './validation.js';

const P = PermissionFlagsBits;
const ARCHIVE_DURATIONS = [
  ThreadAutoArchiveDuration.OneHour,
  ThreadAutoArchiveDuration.OneDay,
  ThreadAutoArchiveDuration.ThreeDays,
  ThreadAutoArchiveDuration.OneWeek,
];
const MESSAGEABLE: ReadonlySet<ChannelType> = new Set([
  ChannelType.GuildText,
  ChannelType.DM,
  ChannelType.GuildVoice,
  ChannelType.GuildAnnouncement,
  ChannelType.AnnouncementThread,
  ChannelType.PublicThread,
  ChannelType.PrivateThread,
  ChannelType.GuildStageVoice,
]);
/** Flags a bot may set on a channel message (EPHEMERAL only exists for interaction responses). */
const CHANNEL_MESSAGE_FLAGS = MessageFlags.SuppressEmbeds | MessageFlags.SuppressNotifications | MessageFlags.IsComponentsV2 | MessageFlags.IsVoiceMessage;

/** Thread-related events go to the bot only if it can see the thread (private: member or MANAGE_THREADS). */
export function dispatchThreadEvent(ctx: StandInContext, event: GatewayDispatchEvents, thread: ChannelRecord, extra: JsonObject = {}): void {
  if (!canView(ctx.state, ctx.botUserId, thread.id)) return;
  const member = thread.thread?.members.get(ctx.botUserId);
  ctx.gateway.dispatch(
    event,
    {
      ...(ctx.state.apiChannel(thread.id) as unknown as JsonObject),
      ...(member ? { member: ctx.state.apiThreadMember(thread.id, member) } : {}),
      ...extra,
    },
    { intent: GatewayIntentBits.Guilds, guildId: thread.guildId },
  );
}

/**
 * THREAD_MEMBERS_UPDATE: without GUILD_MEMBERS Discord only sends it when the current user
 * was added or removed.
 */
export function dispatchThreadMembersUpdate(ctx: StandInContext, thread: ChannelRecord, change: { added?: string[]; removed?: string[] }): void {
  const state = thread.thread;
  if (!state || !thread.guildId) return;
  const added = change.added ?? [];
  const removed = change.removed ?? [];
  const involvesBot = added.includes(ctx.botUserId) || removed.includes(ctx.botUserId);
  ctx.gateway.dispatch(
    GatewayDispatchEvents.ThreadMembersUpdate,
    (session: { intents: number }) => {
      if (!involvesBot && (session.intents & GatewayIntentBits.GuildMembers) === 0) return null;
      return {
        id: thread.id,
        guild_id: thread.guildId,
        member_count: Math.min(state.members.size, 50),
        ...(added.length > 0
          ? {
              added_members: added
                .map((userId) => state.members.get(userId))
                .filter((member) => member !== undefined)
                .map((member) => ctx.state.apiThreadMember(thread.id, member)),
            }
          : {}),
        ...(removed.length > 0 ? { removed_member_ids: removed } : {}),
      };
    },
    { intent: GatewayIntentBits.Guilds, guildId: thread.guildId },
  );
}

export function channelRoutes({ ctx }: RouteDeps): RouteDefinition[] {
  const { state } = ctx;
  const botPermissions = (channel: ChannelRecord): bigint => permissionsFor(state, ctx.botUserId, channel.id);
  const appSeesContent = (ctx.enabledPrivilegedIntents & GatewayIntentBits.MessageContent) !== 0;

  /** The channel if the bot can see it: unknown → 10003, not visible → 50001. */
  const botChannel = (req: RestRequest): ChannelRecord => {
    const channel = state.channels.get(req.params.channel ?? '');
    if (!channel) throw ApiError.unknownChannel();
    if (channel.type === ChannelType.DM) {
      if (!channel.recipientIds.includes(ctx.botUserId)) throw ApiError.missingAccess();
      return channel;
    }
    if (!channel.guildId || !state.member(channel.guildId, ctx.botUserId)) throw ApiError.missingAccess();
    if (!canView(state, ctx.botUserId, channel.id)) throw ApiError.missingAccess();
    return channel;
  };
  const requirePermission = (channel: ChannelRecord, bits: bigint): void => {
    if (!has(botPermissions(channel), bits)) throw ApiError.missingPermissions();
  };
  const channelMessage = (channel: ChannelRecord, messageId: string | undefined): StoredMessage => {
    const stored = messageId ? state.messages.get(messageId) : undefined;
    if (!stored || stored.deleted || stored.ephemeralRecipientId || stored.message.channel_id !== channel.id) throw ApiError.unknownMessage();
    return stored;
  };
  const formFail = (path: Array<string | number>, error: ReturnType<typeof formError.required>): never => {
    const errors = new FormErrors();
    errors.add(path, error);
    throw ApiError.invalidFormBody(errors);
  };

  /** Sending into an archived thread unarchives it, unless it is locked and we can't manage threads. */
  const ensureWritableThread = (channel: ChannelRecord): void => {
    const thread = channel.thread;
    if (!thread) return;
    const moderates = has(botPermissions(channel), P.ManageThreads);
    if (thread.archived) {
      if (thread.locked && !moderates) throw ApiError.threadArchived();
      thread.archived = false;
      thread.archiveTimestamp = nowIso();
      dispatchThreadEvent(ctx, GatewayDispatchEvents.ThreadUpdate, channel);
    } else if (thread.locked && !moderates) {
      throw ApiError.threadLocked();
    }
  };

  const checkDmOpen = (channel: ChannelRecord): void => {
    if (channel.type !== ChannelType.DM) return;
    const recipientId = channel.recipientIds.find((id) => id !== ctx.botUserId) ?? '';
    const recipient = state.users.get(recipientId);
    const sharesGuild = [...state.guilds.values()].some((guild) => guild.members.has(recipientId) && guild.members.has(ctx.botUserId));
    if (!recipient || recipient.dmsClosed || !sharesGuild) throw ApiError.cannotMessageUser();
  };

  const createMessage = (req: RestRequest): RestResult => {
    const channel = botChannel(req);
    if (channel.type === ChannelType.GuildForum || channel.type === ChannelType.GuildMedia) throw ApiError.forumChannel();
    if (!MESSAGEABLE.has(channel.type)) throw ApiError.nonTextChannel();
    checkDmOpen(channel);
    requirePermission(channel, channel.thread ? P.SendMessagesInThreads : P.SendMessages);
    const body: JsonObject = { ...(isObject(req.body) ? req.body : {}) };
    const errors = new FormErrors();
    const flags = typeof body.flags === 'number' ? body.flags : 0;
    validateMessageBody(errors, [], body, { allowedFlags: CHANNEL_MESSAGE_FLAGS, componentsV2: (flags & MessageFlags.IsComponentsV2) !== 0 });
    const reference = isObject(body.message_reference) ? body.message_reference : null;
    if (reference) {
      const target = typeof reference.message_id === 'string' ? state.messages.get(reference.message_id) : undefined;
      const sameChannel = target && !target.deleted && target.message.channel_id === (typeof reference.channel_id === 'string' ? reference.channel_id : channel.id);
      if (!target || target.deleted) {
        if (reference.fail_if_not_exists !== false) errors.add(['message_reference'], formError.custom('REPLIES_UNKNOWN_MESSAGE', 'Unknown message'));
        else delete body.message_reference;
      } else if (!sameChannel || target.message.channel_id !== channel.id) {
        errors.add(['message_reference'], formError.custom('REPLIES_CANNOT_REFERENCE_OTHER_CHANNEL', 'Cannot reply to a message in a different channel'));
      }
    }
    errors.throwIfAny();
    const permissions = botPermissions(channel);
    if (reference && !has(permissions, P.ReadMessageHistory)) throw ApiError.missingPermissions();
    if (req.files.length > 0 && !has(permissions, P.AttachFiles)) throw ApiError.missingPermissions();
    // Without EMBED_LINKS Discord drops the embeds; an embed-only message is refused outright.
    if (Array.isArray(body.embeds) && body.embeds.length > 0 && !has(permissions, P.EmbedLinks)) {
      delete body.embeds;
      if (isEmptyMessage({ ...body, attachments: req.files })) throw ApiError.missingPermissions();
      ctx.warnings.push(`embeds dropped from a message in ${channel.id}: bot lacks EMBED_LINKS`);
    }
    if (body.tts === true && !has(permissions, P.SendTTSMessages)) body.tts = false;
    const attachments = buildAttachments(ctx, channel.id, body, req.files);
    if (isEmptyMessage({ ...body, attachments })) throw ApiError.emptyMessage();
    ensureWritableThread(channel);
    const earlier = messageForEnforcedNonce(ctx, ctx.botUserId, body);
    if (earlier) return json(structuredClone(earlier.message));
    const stored = postMessage(ctx, {
      channelId: channel.id,
      author: state.apiUser(ctx.botUserId),
      body,
      flags,
      attachments,
      senderPermissions: permissions,
    });
    return json(structuredClone(stored.message));
  };

  const editChannelMessage = (req: RestRequest): RestResult => {
    const channel = botChannel(req);
    const stored = channelMessage(channel, req.params.message);
    const body: JsonObject = { ...(isObject(req.body) ? req.body : {}) };
    if (stored.message.author.id !== ctx.botUserId) {
      // Others' messages: only SUPPRESS_EMBEDS via flags, and only with MANAGE_MESSAGES.
      const onlyFlags = Object.keys(body).every((key) => key === 'flags');
      if (!onlyFlags) throw ApiError.cannotEditOthersMessage();
      requirePermission(channel, P.ManageMessages);
    }
    const { flags, attachments } = prepareEdit(ctx, stored, body, req.files, []);
    editMessage(ctx, stored, body, { flags, attachments });
    return json(structuredClone(stored.message));
  };

  const listMessages = (req: RestRequest): RestResult => {
    const channel = botChannel(req);
    if (!has(botPermissions(channel), P.ReadMessageHistory)) return json([]);
    const limit = Number(req.query.get('limit') ?? 50);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) formFail(['limit'], formError.numberMax(100));
    let messages = state.channelMessages(channel.id).filter((stored) => !stored.ephemeralRecipientId);
    const before = req.query.get('before');
    const after = req.query.get('after');
    const around = req.query.get('around');
    if (before) messages = messages.filter((stored) => BigInt(stored.message.id) < BigInt(before));
    if (after) messages = messages.filter((stored) => BigInt(stored.message.id) > BigInt(after)).slice(0, limit);
    if (around) {
      const index = messages.findIndex((stored) => BigInt(stored.message.id) >= BigInt(around));
      const start = Math.max(0, (index === -1 ? messages.length : index) - Math.floor(limit / 2));
      messages = messages.slice(start, start + limit);
    }
    const newestFirst = messages.slice(-limit).reverse();
    return json(newestFirst.map((stored) => messageAsSeenByApp(ctx, stored, appSeesContent)));
  };

  const validateThreadFields = (errors: FormErrors, body: JsonObject, requireName: boolean): void => {
    if (requireName || 'name' in body) {
      if (typeof body.name !== 'string' || body.name.length < 1 || body.name.length > 100) errors.add(['name'], formError.badLength(1, 100));
    }
    if (body.auto_archive_duration !== undefined && !ARCHIVE_DURATIONS.includes(body.auto_archive_duration as ThreadAutoArchiveDuration)) {
      errors.add(['auto_archive_duration'], formError.choices(ARCHIVE_DURATIONS));
    }
    if (body.rate_limit_per_user !== undefined) {
      const value = body.rate_limit_per_user;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 21600) errors.add(['rate_limit_per_user'], formError.numberMax(21600));
    }
  };

  const newThread = (parent: ChannelRecord, input: { id?: string; type: ChannelType; name: string; invitable: boolean; autoArchive: ThreadAutoArchiveDuration; rateLimit: number }): ChannelRecord => {
    const now = nowIso();
    const thread = state.addChannel({
      ...(input.id ? { id: input.id } : {}),
      type: input.type,
      guildId: parent.guildId,
      name: input.name,
      position: 0,
      topic: null,
      parentId: parent.id,
      nsfw: parent.nsfw,
      rateLimitPerUser: input.rateLimit,
      overwrites: [],
      recipientIds: [],
      thread: {
        ownerId: ctx.botUserId,
        archived: false,
        locked: false,
        invitable: input.invitable,
        autoArchiveDuration: input.autoArchive,
        archiveTimestamp: now,
        createTimestamp: now,
        messageCount: 0,
        totalMessageSent: 0,
        // The creator is added to the thread.
        members: new Map([[ctx.botUserId, { userId: ctx.botUserId, joinTimestamp: now, flags: 0 }]]),
      },
    });
    dispatchThreadEvent(ctx, GatewayDispatchEvents.ThreadCreate, thread, { newly_created: true });
    return thread;
  };

  const threadResponse = (thread: ChannelRecord): RestResult => {
    const member = thread.thread?.members.get(ctx.botUserId);
    return json({ ...(state.apiChannel(thread.id) as unknown as JsonObject), ...(member ? { member: state.apiThreadMember(thread.id, member) } : {}) }, 201);
  };

  const startThread = (req: RestRequest): RestResult => {
    const parent = botChannel(req);
    const body = isObject(req.body) ? req.body : {};
    const errors = new FormErrors();
    validateThreadFields(errors, body, true);
    const isForum = parent.type === ChannelType.GuildForum || parent.type === ChannelType.GuildMedia;
    if (isForum) {
      const starter = isObject(body.message) ? body.message : null;
      if (!starter) errors.add(['message'], formError.required());
      else validateMessageBody(errors, ['message'], starter, { allowedFlags: CHANNEL_MESSAGE_FLAGS, componentsV2: false });
      errors.throwIfAny();
      requirePermission(parent, P.SendMessages);
      const id = ctx.ids.next();
      const thread = newThread(parent, { id, type: ChannelType.PublicThread, name: String(body.name), invitable: true, autoArchive: (body.auto_archive_duration as ThreadAutoArchiveDuration | undefined) ?? ThreadAutoArchiveDuration.OneDay, rateLimit: 0 });
      postMessage(ctx, { channelId: thread.id, author: state.apiUser(ctx.botUserId), body: starter ?? {}, flags: 0, senderPermissions: botPermissions(thread) });
      return threadResponse(thread);
    }
    if (parent.type !== ChannelType.GuildText && parent.type !== ChannelType.GuildAnnouncement) throw ApiError.wrongChannelType();
    // v9+: `type` defaults to PRIVATE_THREAD when omitted.
    const type = body.type === undefined ? ChannelType.PrivateThread : body.type;
    const allowed = parent.type === ChannelType.GuildText ? [ChannelType.PublicThread, ChannelType.PrivateThread] : [ChannelType.AnnouncementThread];
    if (typeof type !== 'number' || !allowed.includes(type)) errors.add(['type'], formError.choices(allowed));
    if (body.invitable !== undefined && typeof body.invitable !== 'boolean') errors.add(['invitable'], formError.type('boolean'));
    errors.throwIfAny();
    const threadType = type as ChannelType;
    requirePermission(parent, threadType === ChannelType.PrivateThread ? P.CreatePrivateThreads : P.CreatePublicThreads);
    const thread = newThread(parent, {
      type: threadType,
      name: String(body.name),
      invitable: threadType === ChannelType.PrivateThread ? body.invitable !== false : true,
      autoArchive: (body.auto_archive_duration as ThreadAutoArchiveDuration | undefined) ?? ThreadAutoArchiveDuration.OneDay,
      rateLimit: typeof body.rate_limit_per_user === 'number' ? body.rate_limit_per_user : 0,
    });
    return threadResponse(thread);
  };

  const startThreadFromMessage = (req: RestRequest): RestResult => {
    const parent = botChannel(req);
    const stored = channelMessage(parent, req.params.message);
    const body = isObject(req.body) ? req.body : {};
    const errors = new FormErrors();
    validateThreadFields(errors, body, true);
    errors.throwIfAny();
    if (parent.type !== ChannelType.GuildText && parent.type !== ChannelType.GuildAnnouncement) throw ApiError.wrongChannelType();
    requirePermission(parent, P.CreatePublicThreads | P.ReadMessageHistory);
    if (state.channels.has(stored.message.id)) throw new ApiError(400, 160004, 'A thread has already been created for this message');
    // A thread started from a message shares the message's id.
    const thread = newThread(parent, {
      id: stored.message.id,
      type: parent.type === ChannelType.GuildAnnouncement ? ChannelType.AnnouncementThread : ChannelType.PublicThread,
      name: String(body.name),
      invitable: true,
      autoArchive: (body.auto_archive_duration as ThreadAutoArchiveDuration | undefined) ?? ThreadAutoArchiveDuration.OneDay,
      rateLimit: typeof body.rate_limit_per_user === 'number' ? body.rate_limit_per_user : 0,
    });
    stored.message.flags = (stored.message.flags ?? 0) | MessageFlags.HasThread;
    return threadResponse(thread);
  };

  const modifyChannel = (req: RestRequest): RestResult => {
    const channel = botChannel(req);
    const body = isObject(req.body) ? req.body : {};
    const errors = new FormErrors();
    const permissions = botPermissions(channel);
    const thread = channel.thread;
    if (!thread) {
      if (channel.type === ChannelType.DM) throw ApiError.wrongChannelType();
      requirePermission(channel, P.ManageChannels);
      if ('permission_overwrites' in body) requirePermission(channel, P.ManageRoles);
      if ('name' in body && (typeof body.name !== 'string' || body.name.length < 1 || body.name.length > 100)) errors.add(['name'], formError.badLength(1, 100));
      if ('topic' in body && body.topic !== null && (typeof body.topic !== 'string' || body.topic.length > 1024)) errors.add(['topic'], formError.maxLength(1024));
      errors.throwIfAny();
      if (typeof body.name === 'string') channel.name = body.name;
      if ('topic' in body) channel.topic = typeof body.topic === 'string' ? body.topic : null;
      if (typeof body.nsfw === 'boolean') channel.nsfw = body.nsfw;
      if (typeof body.rate_limit_per_user === 'number') channel.rateLimitPerUser = body.rate_limit_per_user;
      if (Array.isArray(body.permission_overwrites)) {
        channel.overwrites = body.permission_overwrites.filter(isObject).map((overwrite) => ({
          id: String(overwrite.id),
          type: overwrite.type === OverwriteType.Member ? OverwriteType.Member : OverwriteType.Role,
          allow: BigInt(String(overwrite.allow ?? '0')),
          deny: BigInt(String(overwrite.deny ?? '0')),
        }));
      }
      ctx.gateway.dispatch(GatewayDispatchEvents.ChannelUpdate, { ...(state.apiChannel(channel.id) as unknown as JsonObject) }, { intent: GatewayIntentBits.Guilds, guildId: channel.guildId });
      return json(state.apiChannel(channel.id));
    }

    validateThreadFields(errors, body, false);
    if ('invitable' in body && channel.type !== ChannelType.PrivateThread) {
      errors.add(['invitable'], formError.custom('THREAD_INVITABLE_INVALID', 'invitable is only valid on private threads'));
    }
    errors.throwIfAny();
    // Discord refuses edits to an archived thread unless the same request unarchives it.
    if (thread.archived && body.archived !== false) throw ApiError.threadArchived();
    const moderates = has(permissions, P.ManageThreads);
    const isOwner = thread.ownerId === ctx.botUserId;
    const needsModeration = ['locked', 'invitable', 'rate_limit_per_user', 'flags', 'applied_tags'].some((key) => key in body);
    const ownerOrModerator = ['name', 'auto_archive_duration'].some((key) => key in body) || body.archived === true;
    if (needsModeration && !moderates) throw ApiError.missingPermissions();
    if (ownerOrModerator && !moderates && !isOwner) throw ApiError.missingPermissions();
    if (body.archived === false && thread.archived) {
      const staysLocked = body.locked === true || (thread.locked && body.locked !== false);
      if (staysLocked ? !moderates : !has(permissions, P.SendMessagesInThreads)) throw ApiError.missingPermissions();
    }
    if (typeof body.name === 'string') channel.name = body.name;
    if (typeof body.auto_archive_duration === 'number') thread.autoArchiveDuration = body.auto_archive_duration as ThreadAutoArchiveDuration;
    if (typeof body.locked === 'boolean') thread.locked = body.locked;
    if (typeof body.invitable === 'boolean') thread.invitable = body.invitable;
    if (typeof body.rate_limit_per_user === 'number') channel.rateLimitPerUser = body.rate_limit_per_user;
    if (typeof body.archived === 'boolean' && body.archived !== thread.archived) {
      thread.archived = body.archived;
      thread.archiveTimestamp = nowIso();
    }
    dispatchThreadEvent(ctx, GatewayDispatchEvents.ThreadUpdate, channel);
    return json(state.apiChannel(channel.id));
  };

  const deleteChannel = (req: RestRequest): RestResult => {
    const channel = botChannel(req);
    if (channel.type === ChannelType.DM) throw ApiError.wrongChannelType();
    requirePermission(channel, channel.thread ? P.ManageThreads : P.ManageChannels);
    const payload = state.apiChannel(channel.id);
    if (channel.thread) {
      // THREAD_DELETE carries only id, guild_id, parent_id and type, and only to a bot that could see the thread.
      if (canView(state, ctx.botUserId, channel.id)) {
        ctx.gateway.dispatch(
          GatewayDispatchEvents.ThreadDelete,
          { id: channel.id, guild_id: channel.guildId, parent_id: channel.parentId, type: channel.type },
          { intent: GatewayIntentBits.Guilds, guildId: channel.guildId },
        );
      }
    } else ctx.gateway.dispatch(GatewayDispatchEvents.ChannelDelete, payload, { intent: GatewayIntentBits.Guilds, guildId: channel.guildId });
    state.channels.delete(channel.id);
    // Deleting a channel deletes its messages with it.
    for (const stored of state.channelMessages(channel.id)) state.messages.delete(stored.message.id);
    state.channelMessageIds.delete(channel.id);
    // Returns the channel object, as Discord does.
    return json(payload);
  };

  const threadOf = (req: RestRequest): ChannelRecord & { thread: NonNullable<ChannelRecord['thread']> } => {
    const channel = botChannel(req);
    if (!channel.thread) throw ApiError.wrongChannelType();
    return channel as ChannelRecord & { thread: NonNullable<ChannelRecord['thread']> };
  };

  const addThreadMember = (req: RestRequest): RestResult => {
    const self = req.params.user === '@me';
    // Joining a private thread you can't see is "Missing Access", like reading it.
    const thread = threadOf(req);
    const userId = self ? ctx.botUserId : (req.params.user ?? '');
    if (thread.thread.archived) throw ApiError.threadArchived();
    if (!thread.guildId || !state.member(thread.guildId, userId)) throw ApiError.unknownMember();
    if (!self) {
      // "Requires the ability to send messages in the thread"; non-invitable private threads need MANAGE_THREADS.
      requirePermission(thread, P.SendMessagesInThreads);
      if (thread.type === ChannelType.PrivateThread && !thread.thread.invitable) requirePermission(thread, P.ManageThreads);
    }
    if (!thread.thread.members.has(userId)) {
      thread.thread.members.set(userId, { userId, joinTimestamp: nowIso(), flags: 0 });
      if (self) dispatchThreadEvent(ctx, GatewayDispatchEvents.ThreadCreate, thread);
      dispatchThreadMembersUpdate(ctx, thread, { added: [userId] });
    }
    return noContent();
  };

  const removeThreadMember = (req: RestRequest): RestResult => {
    const thread = threadOf(req);
    const self = req.params.user === '@me';
    const userId = self ? ctx.botUserId : (req.params.user ?? '');
    if (thread.thread.archived) throw ApiError.threadArchived();
    if (!self) {
      const ownsPrivate = thread.type === ChannelType.PrivateThread && thread.thread.ownerId === ctx.botUserId;
      if (!ownsPrivate) requirePermission(thread, P.ManageThreads);
    }
    if (thread.thread.members.delete(userId)) dispatchThreadMembersUpdate(ctx, thread, { removed: [userId] });
    return noContent();
  };

  const getThreadMember = (req: RestRequest): RestResult => {
    const thread = threadOf(req);
    const userId = req.params.user === '@me' ? ctx.botUserId : (req.params.user ?? '');
    const member = thread.thread.members.get(userId);
    if (!member) throw ApiError.unknownMember();
    const withMember = queryFlag(req.query, 'with_member') && thread.guildId && state.member(thread.guildId, userId);
    return json({ ...state.apiThreadMember(thread.id, member), ...(withMember && thread.guildId ? { member: state.apiMember(thread.guildId, userId) } : {}) });
  };

  const listThreadMembers = (req: RestRequest): RestResult => {
    const thread = threadOf(req);
    // Listing thread members requires the GUILD_MEMBERS privileged intent to be enabled.
    if ((ctx.enabledPrivilegedIntents & GatewayIntentBits.GuildMembers) === 0) throw ApiError.missingAccess();
    return json([...thread.thread.members.values()].map((member) => state.apiThreadMember(thread.id, member)));
  };

  return [
    { method: 'GET', pattern: '/channels/:channel', handler: (req) => json(state.apiChannel(botChannel(req).id)) },
    { method: 'PATCH', pattern: '/channels/:channel', handler: modifyChannel },
    { method: 'DELETE', pattern: '/channels/:channel', handler: deleteChannel },
    { method: 'GET', pattern: '/channels/:channel/messages', handler: listMessages },
    { method: 'POST', pattern: '/channels/:channel/messages', handler: createMessage },
    {
      method: 'GET',
      pattern: '/channels/:channel/messages/:message',
      handler: (req) => {
        const channel = botChannel(req);
        if (!has(botPermissions(channel), P.ReadMessageHistory)) throw ApiError.missingAccess();
        return json(messageAsSeenByApp(ctx, channelMessage(channel, req.params.message), appSeesContent));
      },
    },
    { method: 'PATCH', pattern: '/channels/:channel/messages/:message', handler: editChannelMessage },
    {
      method: 'DELETE',
      pattern: '/channels/:channel/messages/:message',
      handler: (req) => {
        const channel = botChannel(req);
        const stored = channelMessage(channel, req.params.message);
        if (stored.message.author.id !== ctx.botUserId) requirePermission(channel, P.ManageMessages);
        deleteMessage(ctx, stored);
        return noContent();
      },
    },
    {
      method: 'POST',
      pattern: '/channels/:channel/typing',
      handler: (req) => {
        const channel = botChannel(req);
        requirePermission(channel, channel.thread ? P.SendMessagesInThreads : P.SendMessages);
        return noContent();
      },
    },
    { method: 'POST', pattern: '/channels/:channel/threads', handler: startThread },
    { method: 'POST', pattern: '/channels/:channel/messages/:message/threads', handler: startThreadFromMessage },
    { method: 'GET', pattern: '/channels/:channel/thread-members', handler: listThreadMembers },
    { method: 'GET', pattern: '/channels/:channel/thread-members/:user', handler: getThreadMember },
    { method: 'PUT', pattern: '/channels/:channel/thread-members/:user', handler: addThreadMember },
    { method: 'DELETE', pattern: '/channels/:channel/thread-members/:user', handler: removeThreadMember },
    {
      method: 'GET',
      pattern: '/guilds/:guild/threads/active',
      handler: (req) => {
        const guildId = requireGuildForBot(ctx, req.params.guild);
        const threads = state.guildChannels(guildId).filter((channel) => channel.thread && !channel.thread.archived && canView(state, ctx.botUserId, channel.id));
        const members = threads.flatMap((channel) => {
          const member = channel.thread?.members.get(ctx.botUserId);
          return member ? [state.apiThreadMember(channel.id, member)] : [];
        });
        return json({ threads: threads.map((channel) => state.apiChannel(channel.id)), members });
      },
    },
  ];
}

