/**
 * `npm run commands:clear [-- --guild ID ...]`: removes the bot's slash commands from the global
 * scope and from DISCORD_GUILD_ID (or each --guild), and resets the stored registration so the
 * next start registers them again.
 */
import { REST } from '@discordjs/rest';
import { ConfigError, loadConfig } from '../src/config.js';
import { clearCommands, guildArguments } from '../src/ops/commands-clear.js';

try {
  const config = loadConfig();
  const guildIds = guildArguments(process.argv.slice(2), config.DISCORD_GUILD_ID);
  const rest = new REST({ api: config.DISCORD_API_URL, retries: 1, timeout: 15_000 }).setToken(config.DISCORD_TOKEN);
  for (const line of await clearCommands({ rest, guildIds, databasePath: config.DATABASE_PATH })) console.log(line);
  console.log('If the bot is running, restart it to register the commands again.');
  process.exit(0);
} catch (error) {
  console.error(error instanceof ConfigError || !(error instanceof Error) ? String(error instanceof Error ? error.message : error) : `commands:clear failed: ${error.message}`);
  process.exit(1);
}
