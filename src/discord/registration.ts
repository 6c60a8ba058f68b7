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
  let outcome: 'registered' | 'unchanged' = 'unchanged';
  if (state.get(key) === hash) {
    logger.debug({ scope }, 'commands unchanged; registration skipped');
  } else {
    await rest.put(routeFor(applicationId, scope), { body });
    state.set(key, hash);
    logger.info({ scope, commands: body.length }, 'commands registered');
    outcome = 'registered';
  }
  await clearOtherScopes({ rest, applicationId, scope, state, logger });
  return outcome;
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
