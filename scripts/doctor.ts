/**
 * `npm run doctor`: one plain-text report of what the bot needs (configuration, database, token,
 * intents, invite links, command registration, each configured server's privacy audit), over
 * REST only, without connecting to the gateway. Exits 1 when any line is an ERROR.
 */
import { REST } from '@discordjs/rest';
import { config as loadDotenv } from 'dotenv';
import { checkConfig, checkDatabase, checkDiscord, formatLine, hasError, type CheckLine } from '../src/ops/doctor.js';
import { projectPath } from '../src/paths.js';

loadDotenv({ quiet: true });
const lines: CheckLine[] = [];
const print = (batch: CheckLine[]) => {
  for (const line of batch) console.log(formatLine(line));
  lines.push(...batch);
};

console.log('Help Me Leave bot: doctor');
const { config, lines: configLines } = checkConfig(process.env);
print(configLines);
if (config) {
  const database = checkDatabase(config.DATABASE_PATH, projectPath('migrations'));
  print(database.lines);
  database.sqlite?.close();
  const rest = new REST({ api: config.DISCORD_API_URL, retries: 1, timeout: 15_000 }).setToken(config.DISCORD_TOKEN);
  print(await checkDiscord(rest, config, database.guildIds));
} else {
  console.log('      (the other checks need a valid configuration)');
}
const failed = hasError(lines);
console.log(failed ? 'Result: ERROR, fix the lines marked ERROR above.' : 'Result: OK');
// The REST client keeps sweep timers alive; the report is complete.
process.exit(failed ? 1 : 0);
