// The baseline for `npm run bench`: a bare discord.js bot with the same intents and REST settings
// that answers every command with a constant reply. The real bot's latency is compared with this.
import { Client, Events, GatewayIntentBits, MessageFlags, Routes } from 'discord.js';

const apiUrl = process.env.DISCORD_API_URL ?? '';
const guildId = process.env.DISCORD_GUILD_ID ?? '';
const commandsJson = JSON.parse(process.env.BENCH_COMMANDS_JSON ?? '[]') as unknown[];

const client = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages], rest: { api: apiUrl } });
client.on(Events.InteractionCreate, (interaction) => {
  if (interaction.isChatInputCommand()) void interaction.reply({ content: 'ok', flags: MessageFlags.Ephemeral });
});
client.once(Events.ClientReady, async (ready) => {
  await ready.rest.put(Routes.applicationGuildCommands(ready.application.id, guildId), { body: commandsJson });
  console.log(JSON.stringify({ level: 30, msg: 'ready: bare baseline bot' }));
});
process.on('SIGTERM', () => {
  void client.destroy().then(() => process.exit(0));
});
void client.login(process.env.DISCORD_TOKEN);
