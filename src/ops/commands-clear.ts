import { existsSync } from 'node:fs';
import type { REST } from '@discordjs/rest';
import Database from 'better-sqlite3';
import { Routes, type APIApplication } from 'discord.js';

/**
 * `npm run commands:clear`: empties the bot's commands globally and in the given servers (PUT []),
 * then forgets the stored registration hashes and scopes so the next start registers afresh.
 */
export async function clearCommands(options: { rest: REST; guildIds: readonly string[]; databasePath: string }): Promise<string[]> {
  const { rest, guildIds, databasePath } = options;
  const report: string[] = [];
  const application = (await rest.get(Routes.currentApplication())) as APIApplication;
  await rest.put(Routes.applicationCommands(application.id), { body: [] });
  report.push('removed the global commands');
  for (const guildId of guildIds) {
    await rest.put(Routes.applicationGuildCommands(application.id, guildId), { body: [] });
    report.push(`removed the commands of server ${guildId}`);
  }
  report.push(resetRegistrationState(databasePath));
  return report;
}

/** Registration hashes live in bot_state as commands-hash:<app>:<scope> and commands-scopes:<app>. */
export function resetRegistrationState(databasePath: string): string {
  if (databasePath !== ':memory:' && !existsSync(databasePath)) return `no database at ${databasePath} yet; nothing stored to reset`;
  const sqlite = new Database(databasePath, { fileMustExist: true });
  try {
    sqlite.pragma('busy_timeout = 5000');
    const table = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'bot_state'").get();
    if (!table) return 'the database has no registration state yet';
    const { changes } = sqlite.prepare("DELETE FROM bot_state WHERE key LIKE 'commands-hash:%' OR key LIKE 'commands-scopes:%'").run();
    return `reset ${changes} stored registration record(s); the next start registers the commands again`;
  } finally {
    sqlite.close();
  }
}

/** `--guild ID` (repeatable, or `--guild=ID`) replaces DISCORD_GUILD_ID. */
export function guildArguments(argv: readonly string[], fallback: string | undefined): string[] {
  const given: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] ?? '';
    if (arg === '--guild') given.push(argv[(index += 1)] ?? '');
    else if (arg.startsWith('--guild=')) given.push(arg.slice('--guild='.length));
    else throw new Error(`unknown argument ${arg} (use --guild SERVER_ID)`);
  }
  for (const id of given) if (!/^\d{17,20}$/.test(id)) throw new Error(`--guild needs a server id (17–20 digits), got "${id}"`);
  if (given.length > 0) return given;
  return fallback ? [fallback] : [];
}
