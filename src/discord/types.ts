import type {
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  MessageComponentInteraction,
  ModalSubmitInteraction,
} from 'discord.js';
import type { Language, MessageKey, MessageVars } from '../i18n/index.js';
import type { Logger } from '../logger.js';
import type { Services } from '../services.js';
import type { CommandDeclaration } from './command-definition.js';
import type { DeferStyle, ModalPayload, ReplyPayload, UpdatePayload } from './responder.js';
import type { BotRuntime } from './runtime.js';

/** Who may use a command or component; checked by the router on every interaction. */
export type Access = 'everyone' | 'staff' | 'moderator' | 'admin';

/**
 * A stricter rule on top of a command's `access`, for every subcommand or only the listed ones.
 * The router checks it before the handler runs, for the command and for its autocomplete alike,
 * so a member who may not run a subcommand never sees its suggestions either.
 */
export interface AccessRule {
  access: Access;
  /** Subcommand names the rule covers; every subcommand when omitted. */
  subcommands?: readonly string[];
  /** The refusal shown when the rule fails (default: the generic message for `access`). */
  denied?: MessageKey;
}

interface BaseContext {
  lang: Language;
  t(key: MessageKey, vars?: MessageVars): string;
  services: Services;
  runtime: BotRuntime;
  logger: Logger;
  guildId: string;
  userId: string;
  /** Acknowledge now (for work that may take long). */
  defer(style?: DeferStyle): Promise<void>;
  reply(payload: ReplyPayload): Promise<void>;
}

export interface CommandContext extends BaseContext {
  interaction: ChatInputCommandInteraction<'cached'>;
  showModal(modal: ModalPayload): Promise<void>;
}

export interface ComponentContext extends BaseContext {
  interaction: MessageComponentInteraction<'cached'>;
  /** Arguments decoded from the custom id after namespace and verb. */
  args: string[];
  update(payload: UpdatePayload): Promise<void>;
  showModal(modal: ModalPayload): Promise<void>;
}

export interface ModalContext extends BaseContext {
  interaction: ModalSubmitInteraction<'cached'>;
  args: string[];
  update(payload: UpdatePayload): Promise<void>;
}

export interface AutocompleteContext {
  interaction: AutocompleteInteraction<'cached'>;
  lang: Language;
  services: Services;
}

export interface ComponentHandler {
  access?: Access;
  /** How to acknowledge if the handler is still busy near Discord's deadline (default 'ephemeral'). */
  deferStyle?: DeferStyle;
  /** Opens a modal, so it must never be deferred. */
  opensModal?: boolean;
  run(context: ComponentContext): Promise<void>;
}

export interface ModalHandler {
  access?: Access;
  deferStyle?: DeferStyle;
  run(context: ModalContext): Promise<void>;
}

export interface CommandModule {
  declaration: CommandDeclaration;
  access: Access;
  rules?: readonly AccessRule[];
  /** How to acknowledge a slow run (default 'ephemeral'). */
  deferStyle?: DeferStyle;
  /** The command answers with a modal, so it must never be deferred and must do no slow work. */
  opensModal?: boolean;
  execute(context: CommandContext): Promise<void>;
  autocomplete?(context: AutocompleteContext): Promise<void>;
  /** Components and modals whose custom id namespace is this command's name. */
  components?: Record<string, ComponentHandler>;
  modals?: Record<string, ModalHandler>;
}
