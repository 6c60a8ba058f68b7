import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import {
  ApplicationCommandOptionType,
  ComponentType,
  GatewayDispatchEvents,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  MessageType,
  type APIMessage,
} from 'discord-api-types/v10';
import type { CommandRegistry } from './commands.js';
import type { StandInContext } from './context.js';
import { ApiError, FormErrors, formError } from './errors.js';
import { json, noContent, queryFlag, type RestRequest, type RestResult } from './http-types.js';
import {
  basePayload,
  buildCommandData,
  buildModalSubmitData,
  componentSelection,
  ImpossibleInteractionError,
  invokedName,
  resolveLocation,
  type CommandInvocation,
  type InteractionLocation,
  type ModalFieldValue,
} from './interaction-builders.js';
import { assignComponentIds, buildAttachments, deleteMessage, editMessage, isEmptyMessage, postMessage, prepareEdit } from './messages.js';
import { permissionsFor } from './permissions.js';
import type { StoredMessage } from './state.js';
import {
  SETTABLE_MESSAGE_FLAGS,
  isObject,
  validateAutocompleteChoices,
  validateMessageBody,
  validateModal,
  type JsonObject,
} from './validation.js';

export interface CallbackRecord {
  type: InteractionResponseType;
  data: JsonObject | undefined;
  at: number;
  /** Milliseconds from INTERACTION_CREATE dispatch to the accepted callback. */
  latencyMs: number;
}

export type ResponseKind = 'callback' | 'original-edit' | 'original-delete' | 'followup' | 'followup-edit' | 'followup-delete';

/** Every message-producing response the bot made, in order (for "who saw what" assertions). */
export interface InteractionResponseRecord {
  interactionId: string;
  kind: ResponseKind;
  callbackType: InteractionResponseType | null;
  messageId: string | null;
  message: APIMessage | null;
  ephemeral: boolean;
  /** The interacting user (the only one who sees an ephemeral message). */
  recipientUserId: string;
  at: number;
}

export interface RejectedCallback {
  status: number;
  code: number;
  message: string;
  errors: string[];
  at: number;
}

interface InteractionRecord {
  id: string;
  token: string;
  type: InteractionType;
  payload: JsonObject;
  loc: InteractionLocation;
  dispatchedAt: number;
  /** performance.now() at dispatch, for sub-millisecond latency measurements. */
  dispatchedAtPrecise: number;
  callback: CallbackRecord | null;
  rejected: RejectedCallback[];
  originalMessageId: string | null;
  /** Message the component/modal was attached to (target of UPDATE_MESSAGE). */
  sourceMessageId: string | null;
  followupIds: string[];
  /** Modal shown in response (with Discord-assigned component ids), if any. */
  modal: JsonObject | null;
  modalSubmitted: boolean;
  focusedOptionType: ApplicationCommandOptionType | null;
  commandName: string | null;
  triggeringMetadata: JsonObject | null;
  emitter: EventEmitter;
}

export type MessagePredicate = (message: APIMessage, kind: 'original' | 'followup') => boolean;

const LOADING = MessageFlags.Loading;
const isLoading = (message: APIMessage): boolean => ((message.flags ?? 0) & LOADING) === LOADING;

/** Test-side view of one dispatched interaction and everything the bot answered. */
export class InteractionHandle {
  constructor(
    private readonly record: InteractionRecord,
    private readonly store: InteractionStore,
  ) {}

  get id(): string {
    return this.record.id;
  }

  get token(): string {
    return this.record.token;
  }

  /** The INTERACTION_CREATE `d` payload as dispatched. */
  get payload(): JsonObject {
    return structuredClone(this.record.payload);
  }

  get callback(): CallbackRecord | null {
    return this.record.callback;
  }

  /**
   * Whether the interacting user alone sees the response: the @original's EPHEMERAL flag, else the
   * callback's flags; modals/autocomplete results count as private. `null` before any callback.
   */
  get ephemeral(): boolean | null {
    const original = this.original;
    if (original) return ((original.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
    const callback = this.record.callback;
    if (!callback) return null;
    if (callback.type === InteractionResponseType.ChannelMessageWithSource || callback.type === InteractionResponseType.DeferredChannelMessageWithSource) {
      return ((typeof callback.data?.flags === 'number' ? callback.data.flags : 0) & MessageFlags.Ephemeral) !== 0;
    }
    return callback.type === InteractionResponseType.Modal || callback.type === InteractionResponseType.ApplicationCommandAutocompleteResult;
  }

  get ackLatencyMs(): number | null {
    return this.record.callback?.latencyMs ?? null;
  }

  /** Callback attempts Discord would have rejected (validation errors, wrong type...). */
  get rejectedCallbacks(): RejectedCallback[] {
    return [...this.record.rejected];
  }

  /** Current @original message (after edits), if one exists. */
  get original(): APIMessage | undefined {
    const id = this.record.originalMessageId;
    const stored = id ? this.store.ctx.state.messages.get(id) : undefined;
    return stored && !stored.deleted ? structuredClone(stored.message) : undefined;
  }

  get followups(): APIMessage[] {
    return this.record.followupIds
      .map((id) => this.store.ctx.state.messages.get(id))
      .filter((stored): stored is StoredMessage => Boolean(stored && !stored.deleted))
      .map((stored) => structuredClone(stored.message));
  }

  /** The modal the bot showed (type 9 data), with Discord-assigned component ids. */
  get modal(): JsonObject | null {
    return this.record.modal ? structuredClone(this.record.modal) : null;
  }

  /** Autocomplete choices the bot returned (type 8). */
  get choices(): unknown[] | null {
    const data = this.record.callback?.type === InteractionResponseType.ApplicationCommandAutocompleteResult ? this.record.callback.data : undefined;
    return data && Array.isArray(data.choices) ? structuredClone(data.choices) : null;
  }

  /** Resolves with the first accepted callback (type + data). */
  response(timeoutMs = 2000): Promise<CallbackRecord> {
    const existing = this.record.callback;
    if (existing) return Promise.resolve(existing);
    return this.waitFor<CallbackRecord>('callback', () => this.record.callback, timeoutMs, 'an interaction callback');
  }

  /**
   * Resolves with the first original/follow-up message (current or future) matching `predicate`;
   * by default any message that is not a "thinking..." placeholder.
   */
  waitForMessage(predicate: MessagePredicate = (message) => !isLoading(message), timeoutMs = 2000): Promise<APIMessage> {
    const current = (): APIMessage | null => {
      const original = this.original;
      if (original && predicate(original, 'original')) return original;
      return this.followups.find((message) => predicate(message, 'followup')) ?? null;
    };
    const found = current();
    if (found) return Promise.resolve(found);
    return this.waitFor<APIMessage>('message', current, timeoutMs, 'a matching response message');
  }

  private waitFor<T>(event: string, check: () => T | null, timeoutMs: number, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const onEvent = (): void => {
        const value = check();
        if (value === null) return;
        cleanup();
        resolve(value);
      };
      const timer = setTimeout(() => {
        cleanup();
        const rejected = this.record.rejected.map((entry) => `${entry.status}/${entry.code} ${entry.message} ${entry.errors.join('; ')}`);
        reject(
          new Error(
            `Stand-in: no ${what} for interaction ${this.record.id} within ${timeoutMs} ms` +
              (this.record.callback ? ` (callback type ${this.record.callback.type} received)` : ' (no callback received)') +
              (rejected.length > 0 ? `; rejected callbacks: ${rejected.join(' | ')}` : ''),
          ),
        );
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.record.emitter.off(event, onEvent);
      };
      this.record.emitter.on(event, onEvent);
    });
  }
}

export interface InteractionTiming {
  ackWindowMs: number;
  tokenLifetimeMs: number;
}

/** Dispatches interactions and implements the callback + interaction-webhook endpoints. */
export class InteractionStore {
  readonly responses: InteractionResponseRecord[] = [];
  private readonly records = new Map<string, InteractionRecord>();

  constructor(
    readonly ctx: StandInContext,
    private readonly registry: CommandRegistry,
    private readonly timing: InteractionTiming,
  ) {}

  // ---- dispatching ---------------------------------------------------------------------

  chatInput(input: CommandInvocation & { guildId?: string; channelId: string; userId: string; locale?: string }): InteractionHandle {
    const loc = resolveLocation(this.ctx, input);
    const { data } = buildCommandData(this.ctx, this.registry, loc, input);
    return this.dispatch(loc, InteractionType.ApplicationCommand, data, input.locale, { commandName: invokedName(data) });
  }

  autocomplete(input: CommandInvocation & { guildId?: string; channelId: string; userId: string; locale?: string; focused: string }): InteractionHandle {
    const loc = resolveLocation(this.ctx, input);
    const { data, focusedOption } = buildCommandData(this.ctx, this.registry, loc, input, { focused: input.focused });
    return this.dispatch(loc, InteractionType.ApplicationCommandAutocomplete, data, input.locale, {
      focusedOptionType: focusedOption?.type ?? ApplicationCommandOptionType.String,
    });
  }

  component(input: { guildId?: string; channelId: string; userId: string; messageId: string; customId: string; values?: string[]; locale?: string }): InteractionHandle {
    const loc = resolveLocation(this.ctx, input);
    const stored = this.ctx.state.messages.get(input.messageId);
    if (!stored || stored.deleted || stored.message.channel_id !== loc.channel.id) {
      throw new ImpossibleInteractionError(`message ${input.messageId} does not exist in channel ${loc.channel.id}`);
    }
    if (stored.ephemeralRecipientId && stored.ephemeralRecipientId !== input.userId) {
      throw new ImpossibleInteractionError(`message ${input.messageId} is ephemeral for ${stored.ephemeralRecipientId}; ${input.userId} cannot see it`);
    }
    const data = componentSelection(this.ctx, loc, stored.message, input);
    return this.dispatch(loc, InteractionType.MessageComponent, data, input.locale, {
      message: structuredClone(stored.message),
      sourceMessageId: stored.message.id,
    });
  }

  /**
   * A hostile (modified) client: Discord accepts any custom_id a client sends for a message it can
   * see, so this skips the "component exists on the message" check. Test-only; see the facade.
   */
  forgeComponent(input: { guildId?: string; channelId: string; userId: string; messageId: string; customId: string; componentType: ComponentType; values?: string[]; locale?: string }): InteractionHandle {
    const loc = resolveLocation(this.ctx, input);
    const stored = this.ctx.state.messages.get(input.messageId);
    if (!stored || stored.deleted || stored.message.channel_id !== loc.channel.id) {
      throw new ImpossibleInteractionError(`message ${input.messageId} does not exist in channel ${loc.channel.id}`);
    }
    const data: JsonObject = { custom_id: input.customId, component_type: input.componentType };
    if (input.componentType !== ComponentType.Button) data.values = input.values ?? [];
    return this.dispatch(loc, InteractionType.MessageComponent, data, input.locale, {
      message: structuredClone(stored.message),
      sourceMessageId: stored.message.id,
    });
  }

  /** A modal submission the bot never showed (forged custom id, text inputs with any ids). Test-only. */
  forgeModal(input: { guildId?: string; channelId: string; userId: string; customId: string; fields: Record<string, string>; locale?: string }): InteractionHandle {
    const loc = resolveLocation(this.ctx, input);
    const components = Object.entries(input.fields).map(([customId, value], index) => ({
      type: ComponentType.ActionRow,
      id: index * 2 + 1,
      components: [{ type: ComponentType.TextInput, id: index * 2 + 2, custom_id: customId, value }],
    }));
    return this.dispatch(loc, InteractionType.ModalSubmit, { custom_id: input.customId, components }, input.locale, {});
  }

  submitModal(input: { guildId?: string; channelId: string; userId: string; customId: string; fields: Record<string, ModalFieldValue>; locale?: string }): InteractionHandle {
    const loc = resolveLocation(this.ctx, input);
    const shownBy = [...this.records.values()]
      .reverse()
      .find((record) => record.modal && !record.modalSubmitted && record.loc.userId === input.userId && record.modal.custom_id === input.customId);
    if (!shownBy?.modal) {
      throw new ImpossibleInteractionError(`the bot never showed modal "${input.customId}" to user ${input.userId} (or it was already submitted)`);
    }
    const data = buildModalSubmitData(this.ctx, loc, shownBy.modal, input.fields);
    shownBy.modalSubmitted = true;
    const source = shownBy.sourceMessageId ? this.ctx.state.messages.get(shownBy.sourceMessageId) : undefined;
    return this.dispatch(loc, InteractionType.ModalSubmit, data, input.locale, {
      ...(source && !source.deleted ? { message: structuredClone(source.message), sourceMessageId: source.message.id } : {}),
      triggeringMetadata: this.interactionMetadata(shownBy),
    });
  }

  private dispatch(
    loc: InteractionLocation,
    type: InteractionType,
    data: JsonObject,
    locale: string | undefined,
    extra: {
      message?: APIMessage;
      sourceMessageId?: string;
      commandName?: string;
      focusedOptionType?: ApplicationCommandOptionType;
      triggeringMetadata?: JsonObject;
    },
  ): InteractionHandle {
    const id = this.ctx.ids.next();
    const token = Buffer.from(`interaction:${id}:${randomBytes(48).toString('base64url')}`).toString('base64url');
    const payload: JsonObject = {
      ...basePayload(this.ctx, loc, { id, token, type, locale }),
      data,
      ...(extra.message ? { message: extra.message } : {}),
    };
    const record: InteractionRecord = {
      id,
      token,
      type,
      payload,
      loc,
      dispatchedAt: Date.now(),
      dispatchedAtPrecise: performance.now(),
      callback: null,
      rejected: [],
      originalMessageId: null,
      sourceMessageId: extra.sourceMessageId ?? null,
      followupIds: [],
      modal: null,
      modalSubmitted: false,
      focusedOptionType: extra.focusedOptionType ?? null,
      commandName: extra.commandName ?? null,
      triggeringMetadata: extra.triggeringMetadata ?? null,
      emitter: new EventEmitter(),
    };
    this.records.set(id, record);
    // INTERACTION_CREATE needs no intent.
    this.ctx.gateway.dispatch(GatewayDispatchEvents.InteractionCreate, payload, { intent: null, guildId: loc.guildId });
    return new InteractionHandle(record, this);
  }

  // ---- POST /interactions/{id}/{token}/callback -------------------------------------------

  handleCallback(req: RestRequest): RestResult {
    const record = this.records.get(req.params.interaction ?? '');
    if (!record || record.token !== req.params.token) throw ApiError.unknownInteraction();
    try {
      return this.acceptCallback(record, req);
    } catch (error) {
      if (error instanceof ApiError && !record.callback) {
        record.rejected.push({
          status: error.status,
          code: error.code,
          message: error.message,
          errors: error.errors ? new FormErrorsView(error.errors).lines : [],
          at: Date.now(),
        });
      }
      throw error;
    }
  }

  private acceptCallback(record: InteractionRecord, req: RestRequest): RestResult {
    if (record.callback) throw ApiError.alreadyAcknowledged();
    const now = Date.now();
    // Past the 3 s window Discord invalidates the token: the callback is "Unknown interaction".
    if (now - record.dispatchedAt > this.timing.ackWindowMs) throw ApiError.unknownInteraction();
    const body = isObject(req.body) ? req.body : {};
    const errors = new FormErrors();
    const type = body.type;
    if (typeof type !== 'number') {
      errors.add(['type'], formError.required());
      errors.throwIfAny();
    }
    const callbackType = type as InteractionResponseType;
    const data = isObject(body.data) ? body.data : undefined;
    const isComponentBased = record.type === InteractionType.MessageComponent || (record.type === InteractionType.ModalSubmit && record.sourceMessageId !== null);
    const invalidType = (reason: string): never => {
      errors.add(['type'], formError.custom('INTERACTION_RESPONSE_TYPE_INVALID', reason));
      throw ApiError.invalidFormBody(errors);
    };

    if (record.type === InteractionType.ApplicationCommandAutocomplete && callbackType !== InteractionResponseType.ApplicationCommandAutocompleteResult) {
      invalidType('Autocomplete interactions only accept APPLICATION_COMMAND_AUTOCOMPLETE_RESULT (8)');
    }

    let responseMessage: StoredMessage | null = null;
    switch (callbackType) {
      case InteractionResponseType.ChannelMessageWithSource: {
        const body4 = data ?? {};
        const flags = typeof body4.flags === 'number' ? body4.flags : 0;
        validateMessageBody(errors, ['data'], body4, { allowedFlags: SETTABLE_MESSAGE_FLAGS, componentsV2: (flags & MessageFlags.IsComponentsV2) !== 0 });
        errors.throwIfAny();
        const attachments = buildAttachments(this.ctx, record.loc.channel.id, body4, req.files);
        if (isEmptyMessage({ ...body4, attachments })) throw ApiError.emptyMessage();
        responseMessage = this.createResponseMessage(record, body4, flags, attachments, true);
        record.originalMessageId = responseMessage.message.id;
        break;
      }
      case InteractionResponseType.DeferredChannelMessageWithSource: {
        const flags = typeof data?.flags === 'number' ? data.flags : 0;
        // Docs: the only valid flag on a deferral is EPHEMERAL.
        if ((flags & ~MessageFlags.Ephemeral) !== 0) {
          errors.add(['data', 'flags'], formError.custom('MESSAGE_FLAGS_INVALID', 'Only EPHEMERAL may be set when deferring'));
          errors.throwIfAny();
        }
        responseMessage = this.createResponseMessage(record, {}, flags | LOADING, [], true);
        record.originalMessageId = responseMessage.message.id;
        break;
      }
      case InteractionResponseType.DeferredMessageUpdate:
        if (!isComponentBased) invalidType('DEFERRED_UPDATE_MESSAGE (6) is only valid for component-based interactions');
        record.originalMessageId = record.sourceMessageId;
        break;
      case InteractionResponseType.UpdateMessage: {
        if (!isComponentBased) invalidType('UPDATE_MESSAGE (7) is only valid for component-based interactions');
        const source = this.ctx.state.messages.get(record.sourceMessageId ?? '');
        if (!source || source.deleted) throw ApiError.unknownMessage();
        responseMessage = this.applyEdit(source, data ?? {}, req, ['data']);
        record.originalMessageId = source.message.id;
        break;
      }
      case InteractionResponseType.ApplicationCommandAutocompleteResult:
        if (record.type !== InteractionType.ApplicationCommandAutocomplete) invalidType('APPLICATION_COMMAND_AUTOCOMPLETE_RESULT (8) is only valid for autocomplete interactions');
        validateAutocompleteChoices(errors, ['data'], data, record.focusedOptionType ?? ApplicationCommandOptionType.String);
        errors.throwIfAny();
        break;
      case InteractionResponseType.Modal: {
        if (record.type === InteractionType.ModalSubmit) invalidType('MODAL (9) is not available for MODAL_SUBMIT interactions');
        validateModal(errors, ['data'], data);
        errors.throwIfAny();
        const modal = { ...(data ?? {}), components: assignComponentIds(data?.components) };
        record.modal = modal;
        break;
      }
      case InteractionResponseType.PremiumRequired:
        this.ctx.warnings.push(`interaction ${record.id}: PREMIUM_REQUIRED (10) is deprecated`);
        break;
      default:
        invalidType(`Interaction response type ${String(type)} is not valid here`);
    }

    record.callback = { type: callbackType, data: data ? structuredClone(data) : undefined, at: now, latencyMs: performance.now() - record.dispatchedAtPrecise };
    this.record(record, 'callback', callbackType, responseMessage);
    record.emitter.emit('callback');
    if (responseMessage) record.emitter.emit('message');

    if (!queryFlag(req.query, 'with_response')) return noContent();
    const message = responseMessage?.message;
    const ephemeral = message ? ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0 : undefined;
    return json({
      interaction: {
        id: record.id,
        type: record.type,
        ...(message ? { response_message_id: message.id, response_message_loading: isLoading(message), response_message_ephemeral: ephemeral } : {}),
      },
      resource: {
        type: callbackType,
        ...(message && (callbackType === InteractionResponseType.ChannelMessageWithSource || callbackType === InteractionResponseType.UpdateMessage)
          ? { message: structuredClone(message) }
          : {}),
      },
    });
  }

  // ---- /webhooks/{app}/{token}... ----------------------------------------------------------

  private webhookRecord(req: RestRequest): InteractionRecord {
    if (req.params.application !== this.ctx.applicationId) throw ApiError.unknownWebhook();
    const record = [...this.records.values()].find((candidate) => candidate.token === req.params.token);
    if (!record) throw ApiError.unknownWebhook();
    if (Date.now() - record.dispatchedAt > this.timing.tokenLifetimeMs) throw ApiError.invalidWebhookToken();
    // Never acknowledged: the token died with the 3 s window (and before the ack it isn't usable yet).
    if (!record.callback) throw ApiError.unknownWebhook();
    const messageTypes = [
      InteractionResponseType.ChannelMessageWithSource,
      InteractionResponseType.DeferredChannelMessageWithSource,
      InteractionResponseType.DeferredMessageUpdate,
      InteractionResponseType.UpdateMessage,
    ];
    if (!messageTypes.includes(record.callback.type)) throw ApiError.unknownWebhook();
    return record;
  }

  private webhookMessage(record: InteractionRecord, messageId: string): StoredMessage {
    const id = messageId === '@original' ? record.originalMessageId : messageId;
    const belongs = id !== null && (id === record.originalMessageId || record.followupIds.includes(id));
    const stored = belongs ? this.ctx.state.messages.get(id) : undefined;
    if (!stored || stored.deleted) throw ApiError.unknownMessage();
    return stored;
  }

  executeWebhook(req: RestRequest): RestResult {
    const record = this.webhookRecord(req);
    const body = isObject(req.body) ? req.body : {};
    const original = record.originalMessageId ? this.ctx.state.messages.get(record.originalMessageId) : undefined;
    // Docs: a follow-up right after a deferral edits the loading message instead (deprecated behaviour).
    if (
      record.callback?.type === InteractionResponseType.DeferredChannelMessageWithSource &&
      original &&
      !original.deleted &&
      isLoading(original.message) &&
      record.followupIds.length === 0
    ) {
      this.ctx.warnings.push(`interaction ${record.id}: follow-up sent while the deferred reply was loading; Discord edits the loading message instead (deprecated, use editReply)`);
      const { flags: _ignored, ...rest } = body;
      const edited = this.applyEdit(original, rest, req, []);
      this.record(record, 'original-edit', null, edited);
      record.emitter.emit('message');
      return json(structuredClone(edited.message));
    }
    const errors = new FormErrors();
    const flags = typeof body.flags === 'number' ? body.flags : 0;
    validateMessageBody(errors, [], body, { allowedFlags: SETTABLE_MESSAGE_FLAGS, componentsV2: (flags & MessageFlags.IsComponentsV2) !== 0 });
    errors.throwIfAny();
    const attachments = buildAttachments(this.ctx, record.loc.channel.id, body, req.files);
    if (isEmptyMessage({ ...body, attachments })) throw ApiError.emptyMessage();
    const stored = this.createResponseMessage(record, body, flags, attachments, false);
    record.followupIds.push(stored.message.id);
    this.record(record, 'followup', null, stored);
    record.emitter.emit('message');
    return json(structuredClone(stored.message));
  }

  getWebhookMessage(req: RestRequest): RestResult {
    const record = this.webhookRecord(req);
    return json(structuredClone(this.webhookMessage(record, req.params.message ?? '').message));
  }

  editWebhookMessage(req: RestRequest): RestResult {
    const record = this.webhookRecord(req);
    const stored = this.webhookMessage(record, req.params.message ?? '');
    const edited = this.applyEdit(stored, isObject(req.body) ? req.body : {}, req, []);
    const isOriginal = stored.message.id === record.originalMessageId;
    this.record(record, isOriginal ? 'original-edit' : 'followup-edit', null, edited);
    record.emitter.emit('message');
    return json(structuredClone(edited.message));
  }

  deleteWebhookMessage(req: RestRequest): RestResult {
    const record = this.webhookRecord(req);
    const stored = this.webhookMessage(record, req.params.message ?? '');
    deleteMessage(this.ctx, stored);
    const isOriginal = stored.message.id === record.originalMessageId;
    this.record(record, isOriginal ? 'original-delete' : 'followup-delete', null, stored);
    return noContent();
  }

  // ---- helpers -------------------------------------------------------------------------

  /** Validates and applies an edit to a response/component message (webhook PATCH or type 7). */
  private applyEdit(stored: StoredMessage, body: JsonObject, req: RestRequest, path: Array<string | number>): StoredMessage {
    const { flags, attachments } = prepareEdit(this.ctx, stored, body, req.files, path);
    editMessage(this.ctx, stored, body, { flags, attachments });
    return stored;
  }

  private createResponseMessage(record: InteractionRecord, body: JsonObject, flags: number, attachments: StoredMessage['message']['attachments'], original: boolean): StoredMessage {
    const ephemeral = (flags & MessageFlags.Ephemeral) !== 0;
    const isCommand = record.type === InteractionType.ApplicationCommand;
    const metadata = this.interactionMetadata(record);
    return postMessage(this.ctx, {
      channelId: record.loc.channel.id,
      author: this.ctx.state.apiUser(this.ctx.botUserId),
      body,
      flags,
      attachments,
      type: original && isCommand ? MessageType.ChatInputCommand : MessageType.Default,
      senderPermissions: permissionsFor(this.ctx.state, this.ctx.botUserId, record.loc.channel.id),
      ephemeralRecipientId: ephemeral ? record.loc.userId : null,
      interactionId: record.id,
      webhookId: this.ctx.applicationId,
      extra: {
        application_id: this.ctx.applicationId,
        interaction_metadata: {
          ...metadata,
          ...(!original && record.originalMessageId ? { original_response_message_id: record.originalMessageId } : {}),
        } as unknown as APIMessage['interaction_metadata'],
        ...(isCommand
          ? {
              interaction: {
                id: record.id,
                type: record.type,
                name: record.commandName ?? '',
                user: this.ctx.state.apiUser(record.loc.userId),
              },
            }
          : {}),
      },
    });
  }

  private interactionMetadata(record: InteractionRecord): JsonObject {
    const base: JsonObject = {
      id: record.id,
      type: record.type,
      user: this.ctx.state.apiUser(record.loc.userId),
      authorizing_integration_owners: record.payload.authorizing_integration_owners,
    };
    if (record.type === InteractionType.ApplicationCommand) return { ...base, name: record.commandName, command_type: 1 };
    if (record.type === InteractionType.MessageComponent) return { ...base, interacted_message_id: record.sourceMessageId };
    if (record.type === InteractionType.ModalSubmit) return { ...base, triggering_interaction_metadata: record.triggeringMetadata };
    return base;
  }

  private record(record: InteractionRecord, kind: ResponseKind, callbackType: InteractionResponseType | null, stored: StoredMessage | null): void {
    // Without a message (modal, autocomplete result, deferred update) only the interacting user sees anything.
    const ephemeral = stored ? ((stored.message.flags ?? 0) & MessageFlags.Ephemeral) !== 0 : true;
    this.responses.push({
      interactionId: record.id,
      kind,
      callbackType,
      messageId: stored?.message.id ?? null,
      message: stored ? structuredClone(stored.message) : null,
      ephemeral,
      recipientUserId: record.loc.userId,
      at: Date.now(),
    });
  }
}

/** Flattens an `errors` tree into "path: CODE message" lines. */
class FormErrorsView {
  readonly lines: string[] = [];

  constructor(tree: object) {
    this.walk(tree, []);
  }

  private walk(node: object, path: string[]): void {
    for (const [key, value] of Object.entries(node)) {
      if (key === '_errors' && Array.isArray(value)) {
        for (const error of value) if (isObject(error)) this.lines.push(`${path.join('.')}: ${String(error.code)} ${String(error.message)}`);
      } else if (isObject(value)) {
        this.walk(value, [...path, key]);
      }
    }
  }
}
