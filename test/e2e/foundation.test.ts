import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/paths.js';
import { startCommand, TEST_TOKEN } from '../support/bot-process.js';
import { startHarness, type Harness } from '../support/harness.js';

const text = (value: unknown) => JSON.stringify(value);
const WAIT = 10_000;
const EPHEMERAL = 64;

describe('runtime foundation, end to end', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('connects with non-privileged intents only and registers localized commands once', () => {
    const { standIn, community } = harness;
    // Guilds (1) | GuildMessages (512): no MessageContent, GuildMembers or GuildPresences.
    expect(standIn.identifyPayloads.at(-1)?.intents).toBe(1 | 512);
    expect(standIn.registrationCalls).toHaveLength(1);
    const commands = standIn.guildCommands(community.guildId);
    const names = commands.map((command) => command.name);
    expect(names).toEqual(expect.arrayContaining(['help', 'language', 'setup', 'privacy']));
    for (const command of commands) {
      expect(command.name_localizations?.['es-ES'], command.name).toBeTruthy();
      expect(command.name_localizations?.['es-419'], command.name).toBeTruthy();
      expect(command.description_localizations?.['es-419'], command.name).toBeTruthy();
    }
    const language = commands.find((command) => command.name === 'language');
    expect(language?.name_localizations).toEqual({ 'es-ES': 'idioma', 'es-419': 'idioma' });
  });

  it('logs one ready line with the invite URL and its exact permissions', () => {
    const ready = harness.bot.lines.filter((line) => line.msg.startsWith('ready:'));
    expect(ready).toHaveLength(1);
    expect(String(ready[0]?.invite)).toMatch(/^https:\/\/discord\.com\/oauth2\/authorize\?client_id=\d+&scope=bot\+applications\.commands&permissions=360777337856$/);
  });

  it('answers /help in English for en-US and in Spanish for es-419, ephemerally', async () => {
    const { standIn, community } = harness;
    const base = { guildId: community.guildId, userId: community.users.member, channelId: community.channels.general, command: 'help' };
    const englishReply = await standIn.chatInput({ ...base, locale: 'en-US' }).waitForMessage(undefined, WAIT);
    const ids = new Map(standIn.guildCommands(community.guildId).map((command) => [command.name, command.id]));
    expect(text(englishReply)).toContain('Commands you can use here');
    expect((englishReply.flags ?? 0) & EPHEMERAL).toBe(EPHEMERAL);
    // Each command is a mention (Discord shows it in the member's own language); no admin commands.
    expect(text(englishReply)).toContain(`</language:${ids.get('language')}>`);
    expect(text(englishReply)).not.toContain(`</setup:`);
    const spanish = await standIn.chatInput({ ...base, locale: 'es-419' }).waitForMessage(undefined, WAIT);
    expect(text(spanish)).toContain('Comandos que puedes usar aquí');
    expect(text(spanish)).toContain(`</language:${ids.get('language')}>: Elige el idioma`);
  });

  it('links /help to the source code given in SOURCE_URL, in the member\'s language', async () => {
    const { standIn, community } = harness;
    await harness.restart({ env: { SOURCE_URL: 'https://code.example.org/help-me-leave-bot' } });
    const base = { guildId: community.guildId, userId: community.users.member, channelId: community.channels.general, command: 'help' };
    const english = await standIn.chatInput({ ...base, locale: 'en-US' }).waitForMessage(undefined, WAIT);
    expect(text(english)).toContain('Source code: https://code.example.org/help-me-leave-bot');
    const spanish = await standIn.chatInput({ ...base, locale: 'es-ES' }).waitForMessage(undefined, WAIT);
    expect(text(spanish)).toContain('Código fuente: https://code.example.org/help-me-leave-bot');
    await harness.restart({ env: {} });
    const without = await standIn.chatInput({ ...base, locale: 'en-US' }).waitForMessage(undefined, WAIT);
    expect(text(without)).not.toContain('Source code');
  });

  it('follows /language set:es over the Discord locale, and auto restores it', async () => {
    const { standIn, community } = harness;
    const base = { guildId: community.guildId, userId: community.users.otherMember, channelId: community.channels.general, locale: 'en-US' };
    const saved = await standIn.chatInput({ ...base, command: 'language', options: { set: 'es' } }).waitForMessage(undefined, WAIT);
    expect(text(saved)).toContain('Te responderé en español');
    const help = await standIn.chatInput({ ...base, command: 'help' }).waitForMessage(undefined, WAIT);
    expect(text(help)).toContain('Comandos que puedes usar aquí');
    const auto = await standIn.chatInput({ ...base, command: 'language', options: { set: 'auto' } }).waitForMessage(undefined, WAIT);
    expect(text(auto)).toContain('I will follow your Discord language');
    const helpAgain = await standIn.chatInput({ ...base, command: 'help' }).waitForMessage(undefined, WAIT);
    expect(text(helpAgain)).toContain('Commands you can use here');
  });

  it('stores /setup and shows it with a permission check', async () => {
    const { standIn, community, databasePath } = harness;
    const reader = new Database(databasePath, { readonly: true });
    const row = reader.prepare('select * from guild_settings where guild_id = ?').get(community.guildId) as Record<string, unknown>;
    reader.close();
    expect(row).toMatchObject({ support_channel_id: community.channels.support, support_role_id: community.roles.support });
    const base = { guildId: community.guildId, userId: community.users.admin, channelId: community.channels.general, command: 'setup' };
    const shown = await standIn.chatInput({ ...base, subcommand: 'show' }).waitForMessage(undefined, WAIT);
    expect(text(shown)).toContain(`<#${community.channels.triage}>`);
    expect(text(shown)).toContain(`<@&${community.roles.spanishSupport}>`);
    expect(text(shown)).toContain('The bot has every permission it needs');

    // Take Create Private Threads away in the support channel: /setup show names what is missing.
    standIn.setPermissionOverwrites(community.channels.support, [{ id: standIn.botRoleId(community.guildId), type: 'role', deny: 1n << 36n }]);
    const missing = await standIn.chatInput({ ...base, subcommand: 'show' }).waitForMessage(undefined, WAIT);
    expect(text(missing)).toContain(`In <#${community.channels.support}> the bot is missing: Create Private Threads`);
    standIn.setPermissionOverwrites(community.channels.support, []);

    await standIn.chatInput({ ...base, subcommand: 'retention', options: { days: 30 } }).waitForMessage(undefined, WAIT);
    const reminders = await standIn.chatInput({ ...base, subcommand: 'reminders', options: { hours: 6 } }).waitForMessage(undefined, WAIT);
    expect(text(reminders)).toContain('deleted after 30 days');
    expect(text(reminders)).toContain('a reminder is sent after 6 hours');

    const invalid = await standIn.chatInput({ ...base, subcommand: 'volunteer-form', options: { url: 'http://insecure.example.org/form' } }).waitForMessage(undefined, WAIT);
    expect(text(invalid)).toContain('not a valid https link');
  });

  it('refuses /setup to a member who cannot manage the server, in their language', async () => {
    const { standIn, community } = harness;
    // Discord hides /setup from such members by default, but a server can override command
    // permissions (Server Settings → Integrations); the bot must still refuse by itself.
    standIn.allowCommandFor(community.guildId, 'setup', community.roles.volunteer);
    const reply = await standIn
      .chatInput({ guildId: community.guildId, userId: community.users.volunteer, channelId: community.channels.general, command: 'setup', subcommand: 'show', locale: 'es-ES' })
      .waitForMessage(undefined, WAIT);
    expect(text(reply)).toContain('Solo las personas administradoras');
  });

  it('turns a failing handler into a localized error with an incident id and keeps serving', async () => {
    const { standIn, community, bot } = harness;
    const base = { guildId: community.guildId, userId: community.users.admin, channelId: community.channels.general, command: 'setup' };
    // A registered command whose shape disagrees with the running bot's (as while a global command
    // update propagates): discord.js throws on the mistyped option, and the user must still get an
    // answer instead of "interaction failed".
    const setup = standIn.guildCommands(community.guildId).find((command) => command.name === 'setup');
    const mistyped = structuredClone(setup) as unknown as { options: { name: string; options?: { name: string; type: number; min_value?: number; max_value?: number }[] }[] };
    const days = mistyped.options.find((option) => option.name === 'retention')?.options?.[0];
    if (!days) throw new Error('retention days option not registered');
    days.type = 3;
    delete days.min_value;
    delete days.max_value;
    const upsert = (body: unknown) =>
      fetch(`${standIn.apiUrl}/v10/applications/${standIn.applicationId}/guilds/${community.guildId}/commands`, {
        method: 'POST',
        headers: { authorization: `Bot ${standIn.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await upsert(mistyped)).ok).toBe(true);
    const failing = standIn.chatInput({ ...base, subcommand: 'retention', options: { days: 'thirty' }, locale: 'es-ES' });
    const reply = text(await failing.waitForMessage(undefined, WAIT));
    expect((await upsert(setup)).ok).toBe(true);
    const incident = /identificador de incidente: `([0-9A-F]{8})`/.exec(reply)?.[1];
    expect(incident).toBeDefined();
    const logged = await bot.waitForLog((line) => line.msg === 'handler failed' && line.incidentId === incident);
    expect(logged.route).toBe('/setup');
    const after = await standIn.chatInput({ ...base, command: 'help' }).waitForMessage(undefined, WAIT);
    expect(text(after)).toContain('Commands you can use here');
  });

  it('answers a button from an older release with a clear message instead of failing', async () => {
    const { standIn, community } = harness;
    // A message the bot posted long ago, with a button whose custom id no handler knows any more.
    const posted = await fetch(`${standIn.apiUrl}/v10/channels/${community.channels.general}/messages`, {
      method: 'POST',
      headers: { authorization: `Bot ${standIn.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ content: 'old', components: [{ type: 1, components: [{ type: 2, style: 1, label: 'Old', custom_id: 'v0:poll:vote:1' }] }] }),
    });
    const message = (await posted.json()) as { id: string };
    const reply = await standIn
      .clickButton({ guildId: community.guildId, userId: community.users.member, channelId: community.channels.general, messageId: message.id, customId: 'v0:poll:vote:1', locale: 'es-419' })
      .waitForMessage(undefined, WAIT);
    expect(reply.content).toBe('Este botón o menú ya no está activo. Vuelve a usar el comando.');
    expect((reply.flags ?? 0) & EPHEMERAL).toBe(EPHEMERAL);
  });

  it('makes zero registration calls on an unchanged restart, and SIGTERM exits 0 with the database closed', async () => {
    const { standIn, databasePath } = harness;
    const before = standIn.registrationCalls.length;
    const stopped = await harness.bot.stop('SIGTERM');
    expect(stopped.code).toBe(0);
    expect(harness.bot.lines.some((line) => line.msg === 'stopped: gateway and database closed')).toBe(true);
    // SQLite removes the write-ahead log when the last connection closes cleanly.
    expect(existsSync(`${databasePath}-wal`)).toBe(false);
    await harness.restart();
    expect(standIn.registrationCalls).toHaveLength(before);
    expect(harness.bot.lines.some((line) => line.msg === 'commands registered')).toBe(false);
  });

  it('never logs the token', () => {
    expect(harness.bot.stdout).not.toContain(harness.standIn.token);
    expect(harness.bot.stderr).not.toContain(harness.standIn.token);
  });

  it('left no unknown REST route and no invalid request', () => {
    expect(harness.standIn.unknownRoutes).toEqual([]);
  });
});

describe('start-up configuration errors', () => {
  /** Starts the bot as `npm start` does with only these variables, and waits for it to exit. */
  const startWith = (env: Record<string, string>) => {
    const { command, args } = startCommand();
    return spawnSync(command, args, { cwd: PROJECT_ROOT, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 20_000 });
  };

  it('exits non-zero with one clear line when the token is missing', () => {
    const run = startWith({ DISCORD_TOKEN: '', DATABASE_PATH: ':memory:' });
    expect(run.status).not.toBe(0);
    expect(run.stderr.trim()).toBe('Configuration error: DISCORD_TOKEN is required to connect (see README.md, "Getting a bot token")');
  });

  it('names a malformed variable', () => {
    const run = startWith({ DISCORD_TOKEN: TEST_TOKEN, DISCORD_GUILD_ID: 'my-server' });
    expect(run.status).not.toBe(0);
    expect(run.stderr.trim()).toMatch(/^Configuration error: DISCORD_GUILD_ID must be a server id/);
  });
});
