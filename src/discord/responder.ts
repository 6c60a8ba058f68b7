import {
  MessageFlags,
  type ChatInputCommandInteraction,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
  type InteractionUpdateOptions,
  type MessageComponentInteraction,
  type ModalSubmitInteraction,
  type RepliableInteraction,
} from 'discord.js';

/** What a handler sends; `ephemeral` replaces Discord's flag so handlers never juggle bits. */
export type ReplyPayload = Omit<InteractionReplyOptions, 'flags' | 'fetchReply' | 'withResponse'> & {
  ephemeral?: boolean;
};

export type ModalPayload = Parameters<ChatInputCommandInteraction['showModal']>[0];

export type UpdatePayload = Omit<InteractionUpdateOptions, 'flags' | 'fetchReply' | 'withResponse'>;

/** How an interaction is acknowledged when the handler is slow. */
export type DeferStyle = 'ephemeral' | 'public' | 'update';

type State = 'pending' | 'deferring' | 'deferred-reply' | 'deferred-update' | 'replied';

const NO_MENTIONS = { parse: [] } as const;

/**
 * Serialises every acknowledgement of one interaction so that the router's automatic deferral and
 * the handler's reply can never race into Discord's "already acknowledged" error: the first
 * response is `reply`/`update`/`deferReply`, later ones become `editReply` or `followUp`.
 */
export class Responder {
  private state: State = 'pending';
  private chain: Promise<unknown> = Promise.resolve();
  private deferredEphemeral = false;

  constructor(private readonly interaction: RepliableInteraction) {}

  get acknowledged(): boolean {
    return this.state !== 'pending';
  }

  /** The first response has been the original message (a reply or a deferral of one). */
  private get hasOriginalReply(): boolean {
    return this.state === 'replied' || this.state === 'deferred-reply';
  }

  defer(style: DeferStyle): Promise<void> {
    return this.enqueue(async () => {
      if (this.state !== 'pending') return;
      this.state = 'deferring';
      if (style === 'update' && this.interaction.isMessageComponent()) {
        await this.interaction.deferUpdate();
        this.state = 'deferred-update';
      } else {
        this.deferredEphemeral = style !== 'public';
        await this.interaction.deferReply(this.deferredEphemeral ? { flags: MessageFlags.Ephemeral } : {});
        this.state = 'deferred-reply';
      }
    });
  }

  /** Sends a reply: the original response if none yet, else edits the deferral, else a follow-up. */
  reply(payload: ReplyPayload): Promise<void> {
    return this.enqueue(async () => {
      const { ephemeral, ...rest } = payload;
      const options = { allowedMentions: NO_MENTIONS, ...rest };
      const flags = ephemeral ? MessageFlags.Ephemeral : undefined;
      if (this.state === 'pending') {
        this.state = 'replied';
        await this.interaction.reply({ ...options, ...(flags ? { flags } : {}) });
      } else if (this.state === 'deferred-reply' && ephemeral === this.deferredEphemeral) {
        this.state = 'replied';
        await this.interaction.editReply(options as InteractionEditReplyOptions);
      } else if (this.state === 'deferred-reply' && !this.deferredEphemeral && ephemeral) {
        // A public deferral cannot turn private: remove the "thinking" message, reply privately.
        this.state = 'replied';
        await this.interaction.deleteReply().catch(() => undefined);
        await this.interaction.followUp({ ...options, flags: MessageFlags.Ephemeral });
      } else {
        await this.interaction.followUp({ ...options, ...(flags ? { flags } : {}) });
      }
    });
  }

  /** Replaces the message a component belongs to (or, after a deferred update, edits it). */
  update(payload: UpdatePayload): Promise<void> {
    return this.enqueue(async () => {
      const interaction = this.interaction as MessageComponentInteraction | ModalSubmitInteraction;
      const options = { allowedMentions: NO_MENTIONS, ...payload };
      if (this.state === 'pending' && 'update' in interaction && typeof interaction.update === 'function') {
        this.state = 'replied';
        await interaction.update(options);
      } else if (this.state === 'deferred-update' || this.state === 'deferred-reply') {
        this.state = 'replied';
        await this.interaction.editReply(options as InteractionEditReplyOptions);
      } else if (this.state === 'replied' && this.hasOriginalReply) {
        await this.interaction.editReply(options as InteractionEditReplyOptions);
      } else {
        throw new Error('update() needs a component interaction');
      }
    });
  }

  /** Opens a modal; only valid as the very first response (a modal cannot follow a deferral). */
  showModal(modal: ModalPayload): Promise<void> {
    return this.enqueue(async () => {
      const interaction = this.interaction;
      if (this.state !== 'pending' || interaction.isModalSubmit()) {
        throw new Error('a modal must be the first response');
      }
      this.state = 'replied';
      await interaction.showModal(modal);
    });
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.chain.then(step, step);
    this.chain = next.catch(() => undefined);
    return next;
  }
}
