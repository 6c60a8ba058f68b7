import { randomBytes } from 'node:crypto';
import type {
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  Interaction,
  MessageComponentInteraction,
  ModalSubmitInteraction,
} from 'discord.js';
import { DomainError } from '../domain/errors.js';
import { hasMessage, resolveLanguage, t, translateDynamic, type Language, type MessageKey } from '../i18n/index.js';
import type { Logger } from '../logger.js';
import type { Services } from '../services.js';
import { decodeCustomId } from './custom-id.js';
import { commandRefusal } from './guards.js';
import { Responder, type DeferStyle } from './responder.js';
import type { BotRuntime } from './runtime.js';
import type { Access, CommandModule } from './types.js';

/** A handler with only its own `access` (components and modals). */
const plainAccess = (access: Access) => ({ access });

/**
 * Discord drops an interaction not acknowledged within 3 s of its creation. Handlers that are
 * still running at this point are deferred, leaving room for gateway and REST latency.
 */
export const AUTO_DEFER_AFTER_MS = 1_500;

export function newIncidentId(): string {
  return randomBytes(4).toString('hex').toUpperCase();
}

export class InteractionRouter {
  private readonly byName = new Map<string, CommandModule>();
  private readonly inFlight = new Set<Promise<void>>();
  private accepting = true;

  constructor(
    private readonly services: Services,
    private readonly runtime: BotRuntime,
    private readonly logger: Logger,
  ) {
    for (const command of runtime.commands) this.byName.set(command.declaration.name, command);
  }

  /** Entry point for the client's interactionCreate event; never throws. */
  handle(interaction: Interaction): void {
    if (!this.accepting) return;
    const task = this.dispatch(interaction).catch((error: unknown) => {
      this.logger.error({ err: error, interactionId: interaction.id }, 'interaction routing failed');
    });
    this.inFlight.add(task);
    void task.finally(() => this.inFlight.delete(task));
  }

  /** Stop taking interactions and wait (bounded) for those already running. */
  async drain(timeoutMs: number): Promise<boolean> {
    this.accepting = false;
    if (this.inFlight.size === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const finished = await Promise.race([Promise.allSettled([...this.inFlight]).then(() => true as const), timeout]);
    clearTimeout(timer);
    return finished;
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  private languageFor(interaction: Interaction): Language {
    const memberChoice = interaction.guildId
      ? this.services.preferences.getLanguage(interaction.guildId, interaction.user.id)
      : null;
    return resolveLanguage({
      memberChoice,
      interactionLocale: interaction.locale,
      guildLocale: interaction.guildLocale,
    });
  }

  private async dispatch(interaction: Interaction): Promise<void> {
    if (interaction.isAutocomplete()) return this.autocomplete(interaction);
    if (!interaction.isRepliable()) return;
    const lang = this.languageFor(interaction);
    const responder = new Responder(interaction);
    if (!interaction.inCachedGuild()) {
      await responder.reply({ content: t(lang, 'errors.guildOnly'), ephemeral: true }).catch(() => undefined);
      return;
    }
    if (interaction.isChatInputCommand()) return this.command(interaction, lang, responder);
    if (interaction.isMessageComponent()) return this.component(interaction, lang, responder);
    if (interaction.isModalSubmit()) return this.modal(interaction, lang, responder);
  }

  private async command(
    interaction: ChatInputCommandInteraction<'cached'>,
    lang: Language,
    responder: Responder,
  ): Promise<void> {
    const command = this.byName.get(interaction.commandName);
    if (!command) {
      await responder.reply({ content: t(lang, 'errors.unknownCommand'), ephemeral: true });
      return;
    }
    await this.run(interaction, lang, responder, {
      access: command,
      subcommand: interaction.options.getSubcommand(false),
      deferStyle: command.deferStyle ?? 'ephemeral',
      opensModal: command.opensModal ?? false,
      label: `/${interaction.commandName}`,
      run: () =>
        command.execute({
          ...this.baseContext(interaction, lang, responder),
          interaction,
          showModal: (modal) => responder.showModal(modal),
        }),
    });
  }

  private async component(
    interaction: MessageComponentInteraction<'cached'>,
    lang: Language,
    responder: Responder,
  ): Promise<void> {
    const route = this.decode(interaction.customId, 'components');
    if (!route) return this.stale(lang, responder);
    const { handler, decoded } = route;
    await this.run(interaction, lang, responder, {
      access: plainAccess(handler.access ?? 'everyone'),
      subcommand: null,
      deferStyle: handler.deferStyle ?? 'ephemeral',
      opensModal: handler.opensModal ?? false,
      label: `${decoded.namespace}:${decoded.verb}`,
      run: () =>
        handler.run({
          ...this.baseContext(interaction, lang, responder),
          interaction,
          args: decoded.args,
          update: (payload) => responder.update(payload),
          showModal: (modal) => responder.showModal(modal),
        }),
    });
  }

  private async modal(interaction: ModalSubmitInteraction<'cached'>, lang: Language, responder: Responder): Promise<void> {
    const route = this.decode(interaction.customId, 'modals');
    if (!route) return this.stale(lang, responder);
    const { handler, decoded } = route;
    await this.run(interaction, lang, responder, {
      access: plainAccess(handler.access ?? 'everyone'),
      subcommand: null,
      deferStyle: handler.deferStyle ?? 'ephemeral',
      opensModal: false,
      label: `modal ${decoded.namespace}:${decoded.verb}`,
      run: () =>
        handler.run({
          ...this.baseContext(interaction, lang, responder),
          interaction,
          args: decoded.args,
          update: (payload) => responder.update(payload),
        }),
    });
  }

  /** The handler a custom id names, looked up in the command module of its namespace. */
  private decode<K extends 'components' | 'modals'>(customId: string, kind: K) {
    const decoded = decodeCustomId(customId);
    const handler = decoded && this.byName.get(decoded.namespace)?.[kind]?.[decoded.verb];
    return decoded && handler ? { decoded, handler: handler as NonNullable<NonNullable<CommandModule[K]>[string]> } : undefined;
  }

  /** A button or form from an older release or a removed feature: say so instead of failing silently. */
  private async stale(lang: Language, responder: Responder): Promise<void> {
    await responder.reply({ content: t(lang, 'errors.staleComponent'), ephemeral: true });
  }

  private baseContext(
    interaction: ChatInputCommandInteraction<'cached'> | MessageComponentInteraction<'cached'> | ModalSubmitInteraction<'cached'>,
    lang: Language,
    responder: Responder,
  ) {
    return {
      lang,
      t: (key: MessageKey, vars?: Record<string, string | number>) => t(lang, key, vars),
      services: this.services,
      runtime: this.runtime,
      logger: this.logger,
      guildId: interaction.guildId,
      userId: interaction.user.id,
      defer: (style?: DeferStyle) => responder.defer(style ?? 'ephemeral'),
      reply: responder.reply.bind(responder),
    };
  }

  /** Permission check, automatic deferral and the one error policy shared by every handler. */
  private async run(
    interaction: ChatInputCommandInteraction<'cached'> | MessageComponentInteraction<'cached'> | ModalSubmitInteraction<'cached'>,
    lang: Language,
    responder: Responder,
    route: {
      access: Pick<CommandModule, 'access' | 'rules'>;
      subcommand: string | null;
      deferStyle: DeferStyle;
      opensModal: boolean;
      label: string;
      run: () => Promise<void>;
    },
  ): Promise<void> {
    const started = performance.now();
    const settings = this.services.settings.get(interaction.guildId);
    const refusal = commandRefusal(route.access, route.subcommand, interaction.member, settings);
    if (refusal) {
      await responder.reply({ content: t(lang, refusal), ephemeral: true });
      return;
    }
    const deferTimer = route.opensModal
      ? undefined
      : setTimeout(() => {
          responder.defer(route.deferStyle).catch((error: unknown) =>
            this.logger.warn({ err: error, route: route.label }, 'automatic deferral failed'),
          );
        }, AUTO_DEFER_AFTER_MS);
    try {
      await route.run();
      if (!responder.acknowledged) {
        // A handler that forgot to answer would leave the user with "interaction failed".
        throw new Error(`${route.label} finished without responding`);
      }
    } catch (error) {
      await this.fail(error, lang, responder, route.label, interaction.id);
    } finally {
      clearTimeout(deferTimer);
      this.logger.debug({ route: route.label, ms: Math.round(performance.now() - started) }, 'interaction handled');
    }
  }

  private async fail(error: unknown, lang: Language, responder: Responder, label: string, interactionId: string) {
    let content: string;
    if (error instanceof DomainError && hasMessage(error.code)) {
      content = translateDynamic(lang, error.code, error.params);
    } else {
      const incidentId = newIncidentId();
      // The error object, never the interaction's options or modal text: those may be private.
      this.logger.error({ err: error, incidentId, route: label, interactionId }, 'handler failed');
      content = t(lang, 'errors.unexpected', { incidentId });
    }
    await responder.reply({ content, ephemeral: true }).catch((replyError: unknown) => {
      this.logger.warn({ err: replyError, route: label }, 'could not tell the user about an error');
    });
  }

  private async autocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const command = this.byName.get(interaction.commandName);
    if (!command?.autocomplete || !interaction.inCachedGuild()) {
      await interaction.respond([]).catch(() => undefined);
      return;
    }
    try {
      // The same rule as running the command: suggestions are data too (titles under review, feeds…).
      const settings = this.services.settings.get(interaction.guildId);
      if (commandRefusal(command, interaction.options.getSubcommand(false), interaction.member, settings)) {
        await interaction.respond([]);
        return;
      }
      await command.autocomplete({ interaction, lang: this.languageFor(interaction), services: this.services });
    } catch (error) {
      this.logger.error({ err: error, route: `autocomplete /${interaction.commandName}` }, 'autocomplete failed');
      if (!interaction.responded) await interaction.respond([]).catch(() => undefined);
    }
  }
}
