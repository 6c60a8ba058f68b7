import { createHash } from 'node:crypto';
import { Routes, type REST, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { BotStateStore } from '../domain/bot-state.js';
import type { Logger } from '../logger.js';

export function commandsHash(body: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[]): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}

/**
 * Registers commands only when their JSON differs from the last successful registration for the
 * same application and scope, so an unchanged restart makes no registration request at all.
 */
export async function registerCommandsIfChanged(options: {
  rest: REST;
  applicationId: string;
  guildId: string | undefined;
  body: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[];
  state: BotStateStore;
  logger: Logger;
}): Promise<'registered' | 'unchanged'> {
  const { rest, applicationId, guildId, body, state, logger } = options;
  const scope = guildId ? `guild:${guildId}` : 'global';
  const key = `commands-hash:${applicationId}:${scope}`;
  const hash = commandsHash(body);
  if (state.get(key) === hash) {
    logger.debug({ scope }, 'commands unchanged; registration skipped');
    return 'unchanged';
  }
  const route = guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);
  await rest.put(route, { body });
  state.set(key, hash);
  logger.info({ scope, commands: body.length }, 'commands registered');
  return 'registered';
}
