import {
  ChannelType,
  GatewayDispatchEvents,
  GatewayIntentBits,
  MessageFlags,
  MessageType,
  PermissionFlagsBits,
  type APIAttachment,
  type APIEmbed,
  type APIMessage,
  type APIMessageReference,
  type APIUser,
} from 'discord-api-types/v10';
import { componentDefaults, embedDefaults } from './message-defaults.js';
import type { StandInContext } from './context.js';
import { ApiError, FormErrors, formError, type FormPath } from './errors.js';
import type { UploadedFile } from './http-types.js';
import { permissionsFor } from './permissions.js';
import { nowIso, type StoredMessage } from './state.js';
import { isObject, validateMessageBody, type JsonObject } from './validation.js';

export interface Pings {
  userIds: string[];
  roleIds: string[];
  everyone: boolean;
}

/**
 * Who a message actually pings: mentions parsed from `content`, filtered by `allowed_mentions`
 * (absent = parse everything), role mentionability and the sender's MENTION_EVERYONE.
 */
export function computePings(
  ctx: StandInContext,
  input: { content: string; allowedMentions: unknown; guildId: string | null; senderPermissions: bigint; repliedUserId: string | null },
): Pings {
  const { state } = ctx;
  const mentionedUsers = [...input.content.matchAll(/<@!?(\d{17,20})>/g)].map((match) => match[1] ?? '');
  const mentionedRoles = [...input.content.matchAll(/<@&(\d{17,20})>/g)].map((match) => match[1] ?? '');
  const mentionsEveryone = /@(?:everyone|here)/.test(input.content);

  const allowed = isObject(input.allowedMentions) ? input.allowedMentions : null;
  const parse = allowed ? (Array.isArray(allowed.parse) ? allowed.parse : []) : ['users', 'roles', 'everyone'];
  const allowedUsers = allowed && Array.isArray(allowed.users) ? allowed.users : [];
  const allowedRoles = allowed && Array.isArray(allowed.roles) ? allowed.roles : [];
  const canMentionEveryone = (input.senderPermissions & PermissionFlagsBits.MentionEveryone) !== 0n;

  const userIds = new Set(mentionedUsers.filter((id) => state.users.has(id) && (parse.includes('users') || allowedUsers.includes(id))));
  const repliedUserAllowed = allowed ? allowed.replied_user === true : true;
  if (input.repliedUserId && repliedUserAllowed) userIds.add(input.repliedUserId);

  const guild = input.guildId ? state.guilds.get(input.guildId) : undefined;
  const roleIds = mentionedRoles.filter((id) => {
    const role = guild?.roles.get(id);
    if (!role || id === guild?.id) return false;
    if (!parse.includes('roles') && !allowedRoles.includes(id)) return false;
    return role.mentionable || canMentionEveryone;
  });
  const everyone = mentionsEveryone && parse.includes('everyone') && canMentionEveryone;
  return { userIds: [...userIds], roleIds: [...new Set(roleIds)], everyone };
}

/** Discord assigns sequential numeric `id`s to components that lack one (skipping used ids). */
export function assignComponentIds(components: unknown): unknown {
  if (!Array.isArray(components)) return components;
  const used = new Set<number>();
  const collect = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(collect);
    else if (isObject(node)) {
      if (typeof node.id === 'number' && typeof node.type === 'number') used.add(node.id);
      for (const key of ['components', 'component', 'accessory']) if (key in node) collect(node[key]);
    }
  };
  collect(components);
  let next = 1;
  const assign = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(assign);
    if (!isObject(node) || typeof node.type !== 'number') return node;
    const copy: JsonObject = { ...node };
    if (typeof copy.id !== 'number') {
      while (used.has(next)) next += 1;
      copy.id = next;
      used.add(next);
    }
    for (const key of ['components', 'component', 'accessory']) if (key in copy) copy[key] = assign(copy[key]);
    return copy;
  };
  return componentDefaults(assign(components));
}

function normalizeEmbeds(embeds: unknown): APIEmbed[] {
  if (!Array.isArray(embeds)) return [];
  return embeds.filter(isObject).map((embed) => embedDefaults({ type: 'rich', ...embed }) as APIEmbed);
}

export interface NewMessage {
  channelId: string;
  author: APIUser;
  body: JsonObject;
  flags: number;
  type?: MessageType;
  attachments?: APIAttachment[];
  /** Sender permissions in the channel (for @everyone / unmentionable roles). */
  senderPermissions: bigint;
  ephemeralRecipientId?: string | null;
  interactionId?: string | null;
  webhookId?: string;
  extra?: Partial<APIMessage>;
}

/** Creates, stores and (unless ephemeral) dispatches MESSAGE_CREATE for a message. */
export function postMessage(ctx: StandInContext, input: NewMessage): StoredMessage {
  const { state } = ctx;
  const channel = state.requireChannel(input.channelId);
  const guildId = channel.guildId;
  const content = typeof input.body.content === 'string' ? input.body.content : '';
  const reference = isObject(input.body.message_reference) ? input.body.message_reference : null;
  const repliedTo = typeof reference?.message_id === 'string' ? state.messages.get(reference.message_id) : undefined;
  const pings = computePings(ctx, {
    content,
    allowedMentions: input.body.allowed_mentions,
    guildId,
    senderPermissions: input.senderPermissions,
    repliedUserId: repliedTo ? repliedTo.message.author.id : null,
  });
  const id = ctx.ids.next();
  const thread = channel.thread;
  const message: APIMessage = {
    id,
    channel_id: channel.id,
    author: input.author,
    content,
    timestamp: nowIso(),
    edited_timestamp: null,
    tts: input.body.tts === true,
    mention_everyone: pings.everyone,
    mentions: pings.userIds.map((userId) => state.apiUser(userId)),
    mention_roles: pings.roleIds,
    attachments: input.attachments ?? [],
    embeds: normalizeEmbeds(input.body.embeds),
    components: (assignComponentIds(input.body.components) ?? []) as APIMessage['components'],
    pinned: false,
    type: input.type ?? (repliedTo ? MessageType.Reply : MessageType.Default),
    flags: input.flags,
    ...(input.webhookId ? { webhook_id: input.webhookId } : {}),
    ...(typeof input.body.nonce === 'string' || typeof input.body.nonce === 'number' ? { nonce: input.body.nonce } : {}),
    ...(repliedTo && reference
      ? {
          message_reference: {
            type: 0,
            message_id: repliedTo.message.id,
            channel_id: repliedTo.message.channel_id,
            ...(guildId ? { guild_id: guildId } : {}),
          } as APIMessageReference,
          referenced_message: repliedTo.message,
        }
      : {}),
    ...(thread ? { position: thread.totalMessageSent } : {}),
    ...input.extra,
  };
  const stored: StoredMessage = {
    message,
    guildId,
    ephemeralRecipientId: input.ephemeralRecipientId ?? null,
    interactionId: input.interactionId ?? null,
    allowedMentions: input.body.allowed_mentions,
    pingedUserIds: pings.userIds,
    pingedRoleIds: pings.roleIds,
    pingedEveryone: pings.everyone,
    deleted: false,
    revisions: [],
  };
  state.storeMessage(stored);
  if (!stored.ephemeralRecipientId) {
    channel.lastMessageId = id;
    if (thread) {
      thread.messageCount += 1;
      thread.totalMessageSent += 1;
    }
    dispatchMessageEvent(ctx, GatewayDispatchEvents.MessageCreate, stored);
  }
  return stored;
}

/** Applies an edit (fields present in `body` replace the old ones) and dispatches MESSAGE_UPDATE. */
export function editMessage(ctx: StandInContext, stored: StoredMessage, body: JsonObject, extra: { flags?: number; attachments?: APIAttachment[] } = {}): void {
  const previous = structuredClone(stored.message);
  stored.revisions.push(previous);
  const message = stored.message;
  if ('content' in body) message.content = typeof body.content === 'string' ? body.content : '';
  if ('embeds' in body) message.embeds = normalizeEmbeds(body.embeds);
  if ('components' in body) message.components = (assignComponentIds(body.components ?? []) ?? []) as APIMessage['components'];
  if (extra.attachments) message.attachments = extra.attachments;
  if (extra.flags !== undefined) message.flags = extra.flags;
  if ('content' in body || 'allowed_mentions' in body) {
    const channel = ctx.state.requireChannel(message.channel_id);
    const pings = computePings(ctx, {
      content: message.content,
      allowedMentions: 'allowed_mentions' in body ? body.allowed_mentions : stored.allowedMentions,
      guildId: channel.guildId,
      senderPermissions: permissionsFor(ctx.state, message.author.id, channel.id),
      repliedUserId: null,
    });
    stored.allowedMentions = 'allowed_mentions' in body ? body.allowed_mentions : stored.allowedMentions;
    stored.pingedUserIds = pings.userIds;
    stored.pingedRoleIds = pings.roleIds;
    stored.pingedEveryone = pings.everyone;
    message.mentions = pings.userIds.map((userId) => ctx.state.apiUser(userId));
    message.mention_roles = pings.roleIds;
    message.mention_everyone = pings.everyone;
  }
  message.edited_timestamp = nowIso();
  if (!stored.ephemeralRecipientId) dispatchMessageEvent(ctx, GatewayDispatchEvents.MessageUpdate, stored);
}

export function deleteMessage(ctx: StandInContext, stored: StoredMessage): void {
  stored.deleted = true;
  if (stored.ephemeralRecipientId) return;
  const channel = ctx.state.requireChannel(stored.message.channel_id);
  if (channel.thread) channel.thread.messageCount = Math.max(0, channel.thread.messageCount - 1);
  const intent = channel.guildId ? GatewayIntentBits.GuildMessages : GatewayIntentBits.DirectMessages;
  ctx.gateway.dispatch(
    GatewayDispatchEvents.MessageDelete,
    { id: stored.message.id, channel_id: channel.id, ...(channel.guildId ? { guild_id: channel.guildId } : {}) },
    { intent, guildId: channel.guildId },
  );
}

/**
 * Whether the app may see the text of a message. Without MESSAGE_CONTENT Discord blanks content,
 * embeds, attachments, components and polls except for the app's own messages, DMs and messages
 * that mention it.
 */
export function contentVisibleToApp(ctx: StandInContext, stored: StoredMessage, hasMessageContentIntent: boolean): boolean {
  if (hasMessageContentIntent) return true;
  const message = stored.message;
  if (message.author.id === ctx.botUserId) return true;
  if (!stored.guildId) return true;
  return message.mentions.some((user) => user.id === ctx.botUserId);
}

export function messageAsSeenByApp(ctx: StandInContext, stored: StoredMessage, hasMessageContentIntent: boolean): APIMessage {
  const message = structuredClone(stored.message);
  if (contentVisibleToApp(ctx, stored, hasMessageContentIntent)) return message;
  message.content = '';
  message.embeds = [];
  message.attachments = [];
  message.components = [];
  delete message.poll;
  return message;
}

function dispatchMessageEvent(ctx: StandInContext, event: GatewayDispatchEvents, stored: StoredMessage): void {
  const { state } = ctx;
  const channel = state.requireChannel(stored.message.channel_id);
  // The bot only receives messages from channels it can see.
  if (channel.type !== ChannelType.DM && (permissionsFor(state, ctx.botUserId, channel.id) & PermissionFlagsBits.ViewChannel) === 0n) return;
  const guildId = channel.guildId;
  const intent = guildId ? GatewayIntentBits.GuildMessages : GatewayIntentBits.DirectMessages;
  const authorIsMember = guildId && !stored.message.webhook_id && state.member(guildId, stored.message.author.id);
  ctx.gateway.dispatch(
    event,
    (session: { intents: number }) => {
      const message = messageAsSeenByApp(ctx, stored, (session.intents & GatewayIntentBits.MessageContent) !== 0);
      const memberFor = (userId: string): object | undefined => {
        if (!guildId || !state.member(guildId, userId)) return undefined;
        const { user: _user, ...member } = state.apiMember(guildId, userId);
        return member;
      };
      return {
        ...message,
        ...(guildId ? { guild_id: guildId } : {}),
        ...(authorIsMember ? { member: memberFor(stored.message.author.id) } : {}),
        mentions: message.mentions.map((user) => ({ ...user, ...(memberFor(user.id) ? { member: memberFor(user.id) } : {}) })),
        channel_type: channel.type,
      };
    },
    { intent, guildId },
  );
}

/** Discord's upload cap for an unboosted guild / DM (10 MiB per file). */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/**
 * Attachments of a message: `attachments` entries reference existing attachments (kept on edit) or
 * uploaded `files[n]` by id `n`; uploaded files not referenced are attached as-is.
 */
export function buildAttachments(
  ctx: StandInContext,
  channelId: string,
  body: JsonObject,
  files: UploadedFile[],
  existing: APIAttachment[] = [],
): APIAttachment[] {
  if (files.length > 10) throw ApiError.entityTooLarge();
  for (const file of files) if (file.size > MAX_UPLOAD_BYTES) throw ApiError.entityTooLarge();
  const make = (file: UploadedFile, description?: unknown): APIAttachment => {
    const id = ctx.ids.next();
    const url = `https://cdn.discordapp.com/attachments/${channelId}/${id}/${encodeURIComponent(file.filename)}`;
    return {
      id,
      filename: file.filename,
      size: file.size,
      url,
      proxy_url: url.replace('cdn.discordapp.com', 'media.discordapp.net'),
      content_type: file.contentType,
      ...(typeof description === 'string' ? { description } : {}),
    };
  };
  const used = new Set<string>();
  const result: APIAttachment[] = [];
  if (Array.isArray(body.attachments)) {
    for (const item of body.attachments.filter(isObject)) {
      const kept = existing.find((attachment) => attachment.id === String(item.id));
      if (kept) {
        result.push(kept);
        continue;
      }
      const file = files.find((candidate) => candidate.field === `files[${String(item.id)}]`);
      if (file) {
        used.add(file.field);
        result.push(make(file, item.description));
      }
    }
  } else {
    result.push(...existing);
  }
  for (const file of files) if (!used.has(file.field)) result.push(make(file));
  return result;
}

/** True when a (resulting) message would show nothing: Discord answers 50006 for those. */
export function isEmptyMessage(message: { content?: unknown; embeds?: unknown; components?: unknown; attachments?: unknown; sticker_ids?: unknown; poll?: unknown }): boolean {
  const nonEmpty = (value: unknown): boolean => Array.isArray(value) && value.length > 0;
  return !(
    (typeof message.content === 'string' && message.content.length > 0) ||
    nonEmpty(message.embeds) ||
    nonEmpty(message.components) ||
    nonEmpty(message.attachments) ||
    nonEmpty(message.sticker_ids) ||
    isObject(message.poll)
  );
}

/**
 * Validates an edit against the current message and returns the resulting flags/attachments.
 * Ephemerality can't change; IS_COMPONENTS_V2 can be switched on (clearing content/embeds) but never off;
 * the loading flag of a deferred reply is cleared by the first edit.
 */
export function prepareEdit(
  ctx: StandInContext,
  stored: StoredMessage,
  body: JsonObject,
  files: UploadedFile[],
  path: FormPath,
): { flags: number; attachments: APIAttachment[] } {
  const errors = new FormErrors();
  const currentFlags = stored.message.flags ?? 0;
  const wasV2 = (currentFlags & MessageFlags.IsComponentsV2) !== 0;
  const requested = typeof body.flags === 'number' ? body.flags : null;
  const allowedFlags =
    MessageFlags.SuppressEmbeds | MessageFlags.IsComponentsV2 | MessageFlags.SuppressNotifications | (currentFlags & MessageFlags.Ephemeral);
  const componentsV2 = wasV2 || (requested !== null && (requested & MessageFlags.IsComponentsV2) !== 0);
  validateMessageBody(errors, path, body, { allowedFlags, componentsV2 });
  if (wasV2 && requested !== null && (requested & MessageFlags.IsComponentsV2) === 0) {
    errors.add([...path, 'flags'], formError.custom('MESSAGE_CANNOT_REMOVE_COMPONENTS_V2_FLAG', 'The IS_COMPONENTS_V2 flag cannot be removed'));
  }
  if (componentsV2 && !wasV2) {
    const keepsContent = !('content' in body) && stored.message.content.length > 0;
    const keepsEmbeds = !('embeds' in body) && stored.message.embeds.length > 0;
    if (keepsContent || keepsEmbeds) {
      errors.add(
        [...path, keepsContent ? 'content' : 'embeds'],
        formError.custom('MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2', 'Clear content and embeds when switching to IS_COMPONENTS_V2'),
      );
    }
  }
  errors.throwIfAny();
  const attachments =
    'attachments' in body || files.length > 0
      ? buildAttachments(ctx, stored.message.channel_id, body, files, stored.message.attachments)
      : stored.message.attachments;
  const merged = {
    content: 'content' in body ? body.content : stored.message.content,
    embeds: 'embeds' in body ? body.embeds : stored.message.embeds,
    components: 'components' in body ? body.components : stored.message.components,
    attachments,
  };
  if (isEmptyMessage(merged)) throw ApiError.emptyMessage();
  const keptBits = currentFlags & (MessageFlags.Ephemeral | MessageFlags.IsComponentsV2 | MessageFlags.HasThread);
  const base = (requested ?? currentFlags) & ~MessageFlags.Loading & ~MessageFlags.Ephemeral;
  return { flags: base | keptBits | (componentsV2 ? MessageFlags.IsComponentsV2 : 0), attachments };
}
