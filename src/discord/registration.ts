import { createHash } from 'node:crypto';
import { Routes, type APIApplicationCommand, type REST, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { BotStateStore } from '../domain/bot-state.js';
import { setCommandIds } from '../i18n/command-ids.js';
import type { Logger } from '../logger.js';

export function commandsHash(body: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[]): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}

export interface RegistrationResult {
  outcome: 'registered' | 'unchanged';
  /** The application commands as Discord returned them (with their ids). */
  commands: APIApplicationCommand[];
}

/**
 * Registers commands only when their JSON differs from the last successful registration for the
 * same application and scope, so an unchanged restart makes no registration write at all. Either
 * way the bot learns the commands' ids (from the PUT's answer, or by listing them) so messages can
 * mention commands; if the listing lacks one of ours (deleted by hand), it registers again.
 */
export async function registerCommandsIfChanged(options: {
  rest: REST;
  applicationId: string;
  guildId: string | undefined;
  body: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[];
  state: BotStateStore;
  logger: Logger;
}): Promise<RegistrationResult> {
  const { rest, applicationId, guildId, body, state, logger } = options;
  const scope = guildId ? `guild:${guildId}` : 'global';
  const key = `commands-hash:${applicationId}:${scope}`;
  const hash = commandsHash(body);
  const route = guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);
  if (state.get(key) === hash) {
    const existing = (await rest.get(route)) as APIApplicationCommand[];
    const names = new Set(existing.map((command) => command.name));
    if (body.every((command) => names.has(command.name))) {
      logger.debug({ scope }, 'commands unchanged; registration skipped');
      rememberIds(existing);
      return { outcome: 'unchanged', commands: existing };
    }
    logger.warn({ scope }, 'registered commands are missing on Discord; registering again');
  }
  const registered = (await rest.put(route, { body })) as APIApplicationCommand[];
  state.set(key, hash);
  rememberIds(registered);
  logger.info({ scope, commands: body.length }, 'commands registered');
  return { outcome: 'registered', commands: registered };
}

function rememberIds(commands: readonly APIApplicationCommand[]): void {
  setCommandIds(commands.map((command) => [command.name, command.id] as const));
}
