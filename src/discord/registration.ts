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
  const route = routeFor(applicationId, scope);
  let result: RegistrationResult | undefined;
  if (state.get(key) === hash) {
    const existing = (await rest.get(route)) as APIApplicationCommand[];
    const names = new Set(existing.map((command) => command.name));
    if (body.every((command) => names.has(command.name))) {
      logger.debug({ scope }, 'commands unchanged; registration skipped');
      result = { outcome: 'unchanged', commands: existing };
    } else {
      logger.warn({ scope }, 'registered commands are missing on Discord; registering again');
    }
  }
  if (!result) {
    const registered = (await rest.put(route, { body })) as APIApplicationCommand[];
    state.set(key, hash);
    logger.info({ scope, commands: body.length }, 'commands registered');
    result = { outcome: 'registered', commands: registered };
  }
  setCommandIds(result.commands.map((command) => [command.name, command.id] as const));
  await clearOtherScopes({ rest, applicationId, scope, state, logger });
  return result;
}

const routeFor = (applicationId: string, scope: string) =>
  scope === 'global' ? Routes.applicationCommands(applicationId) : Routes.applicationGuildCommands(applicationId, scope.slice('guild:'.length));

/**
 * Switching between DISCORD_GUILD_ID and global registration would otherwise leave the old scope's
 * commands in place and show every command twice. The scopes registered before are remembered and
 * emptied once another scope is in use.
 */
async function clearOtherScopes(options: { rest: REST; applicationId: string; scope: string; state: BotStateStore; logger: Logger }): Promise<void> {
  const { rest, applicationId, scope, state, logger } = options;
  const listKey = `commands-scopes:${applicationId}`;
  const known = new Set<string>(JSON.parse(state.get(listKey) ?? '[]') as string[]);
  // Databases from before this list existed: a stored global hash means commands were registered globally.
  if (state.get(`commands-hash:${applicationId}:global`) !== undefined && state.get(`commands-hash:${applicationId}:global`) !== commandsHash([])) known.add('global');
  for (const old of known) {
    if (old === scope) continue;
    await rest.put(routeFor(applicationId, old), { body: [] });
    // Remembered as empty, so switching back registers again.
    state.set(`commands-hash:${applicationId}:${old}`, commandsHash([]));
    logger.info({ scope: old }, 'commands removed from the scope no longer used');
  }
  state.set(listKey, JSON.stringify([scope]));
}
