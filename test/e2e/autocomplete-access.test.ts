import type Database from 'better-sqlite3';
import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import type { OptionDeclaration } from '../../src/discord/command-definition.js';
import { FeedServer, rss } from '../support/feed-server.js';
import { startHarness, type Harness, openBotDatabase } from '../support/harness.js';

const WAIT = 10_000;

interface AutocompleteOption {
  command: string;
  subcommand: string | null;
  option: string;
}

/** Every option with `autocomplete: true` across commands/, read from the declarations themselves. */
function autocompleteOptions(): AutocompleteOption[] {
  const found: AutocompleteOption[] = [];
  const walk = (command: string, options: readonly OptionDeclaration[] | undefined, subcommand: string | null) => {
    for (const option of options ?? []) {
      if (option.type === ApplicationCommandOptionType.Subcommand) walk(command, option.options, option.name);
      else if (option.type === ApplicationCommandOptionType.SubcommandGroup) throw new Error(`${command}: subcommand groups are not walked yet`);
      else if (option.autocomplete) found.push({ command, subcommand, option: option.name });
    }
  };
  for (const module of commands) walk(module.declaration.name, module.declaration.options, null);
  return found;
}

const key = (entry: AutocompleteOption) => [entry.command, entry.subcommand, entry.option].filter(Boolean).join(' ');

/**
 * Who may see each option's suggestions: the same rule as running the command and subcommand.
 * A new autocomplete option fails the first test until it is listed here.
 */
const EXPECTED: Record<string, 'everyone' | 'moderator' | 'admin'> = {
  'guide topic': 'everyone',
  'task show id': 'everyone',
  'task claim id': 'everyone',
  'task release id': 'everyone',
  'task done id': 'everyone',
  'task-admin edit id': 'moderator',
  'task-admin cancel id': 'moderator',
  'task-admin assign id': 'moderator',
  'action retire id': 'moderator',
  'update remove id': 'moderator',
  'schedule add timezone': 'admin',
  'schedule pause id': 'admin',
  'schedule resume id': 'admin',
  'schedule remove id': 'admin',
  'schedule run id': 'admin',
  'schedule preview timezone': 'admin',
  'feed remove id': 'admin',
};

describe('autocomplete follows the access rule of its command and subcommand', () => {
  let harness: Harness;
  let db: Database.Database;
  const feeds = new FeedServer();

  beforeAll(async () => {
    await feeds.start();
    feeds.routes.set('/rss', (_request, response) => response.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss([{ title: 'Ruling', link: 'https://news.example.org/ruling', guid: 'r1' }])));
    harness = await startHarness();
    db = openBotDatabase(harness.databasePath);
  });

  afterAll(async () => {
    db?.close();
    await harness?.stop();
    await feeds.stop();
  });

  /** Something behind every option, so an empty answer means "refused", not "nothing there". */
  async function seed(): Promise<void> {
    const { guildId, users, channels } = harness.community;
    const run = async (userId: string, command: string, subcommand: string, options: Record<string, string | number | boolean> = {}) => {
      const reply = await harness.standIn
        .chatInput({ guildId, channelId: channels.general, userId, locale: 'en-US', command, subcommand, options })
        .waitForMessage(undefined, WAIT);
      return JSON.stringify(reply);
    };
    await run(users.moderator, 'task-admin', 'create', { title: 'Translate the asylum guide', description: 'Into Spanish.', skill: 'research' });
    await run(users.moderator, 'task-admin', 'create', { title: 'Proofread the leaflet', description: 'Two pages.', skill: 'research' });
    expect(await run(users.member, 'task', 'claim', { id: 2 })).toContain('#2');
    await run(users.moderator, 'update', 'review', { enabled: true });
    expect(await run(users.moderator, 'update', 'add', { title: 'Draft under review', summary: 'Not public yet.', source: 'https://apnews.com/ruling' })).toContain('waiting for approval');
    await run(users.moderator, 'action', 'add', { title: 'Write to your MP', text: 'Ask for safe routes.', link: 'https://example.org/act' });
    await run(users.admin, 'schedule', 'add', { job: 'advocacy', cron: '0 9 * * 1', channel: channels.advocacy, timezone: 'Europe/Amsterdam' });
    expect(await run(users.admin, 'feed', 'add', { url: feeds.url('/rss') })).toContain('#1');
    // Discord lets an admin open /schedule and /feed to more people (Integrations settings); the bot still decides.
    harness.standIn.allowCommandFor(guildId, 'schedule', guildId);
    harness.standIn.allowCommandFor(guildId, 'feed', guildId);
  }

  const choices = async (userId: string, entry: AutocompleteOption) => {
    const { guildId, channels } = harness.community;
    const handle = harness.standIn.autocomplete({
      guildId,
      channelId: channels.general,
      userId,
      locale: 'en-US',
      command: entry.command,
      ...(entry.subcommand ? { subcommand: entry.subcommand } : {}),
      options: { [entry.option]: entry.option === 'timezone' ? 'Europe' : '' },
      focused: entry.option,
    });
    await handle.response(WAIT);
    expect(handle.rejectedCallbacks).toEqual([]);
    return handle.choices ?? [];
  };

  it('lists every autocomplete option with its expected access', () => {
    // A handler without an autocomplete option (or the reverse) would escape this enumeration.
    const withOptions = new Set(autocompleteOptions().map((entry) => entry.command));
    expect(commands.filter((module) => module.autocomplete).map((module) => module.declaration.name).sort()).toEqual([...withOptions].sort());
    expect(Object.fromEntries(autocompleteOptions().map((entry) => [key(entry), EXPECTED[key(entry)] ?? 'unclassified']))).toEqual(EXPECTED);
  });

  it('does not seed the action library when a plain member types /action retire id:', async () => {
    const { users } = harness.community;
    const count = (table: string) => db.prepare(`SELECT count(*) AS n FROM ${table}`).get();
    expect(await choices(users.member, { command: 'action', subcommand: 'retire', option: 'id' })).toEqual([]);
    expect([count('advocacy_seeded'), count('advocacy_actions')]).toEqual([{ n: 0 }, { n: 0 }]);
  });

  it('gives zero choices to members without access, and choices to those with it', async () => {
    await seed();
    const { users } = harness.community;
    // Refused: a plain member everywhere access is limited; a support volunteer where moderators
    // are needed; a moderator where only admins may go.
    const refused: Record<'moderator' | 'admin', string[]> = {
      moderator: [users.member, users.volunteer, users.supporter],
      admin: [users.member, users.supporter, users.moderator],
    };
    const allowed = { everyone: users.member, moderator: users.moderator, admin: users.admin };
    let checked = 0;
    for (const entry of autocompleteOptions()) {
      const access = EXPECTED[key(entry)]!;
      if (access !== 'everyone') {
        for (const userId of refused[access]) {
          expect(await choices(userId, entry), `${key(entry)} for ${userId}`).toEqual([]);
          checked += 1;
        }
      }
      expect((await choices(allowed[access], entry)).length, `${key(entry)} for the ${access} user`).toBeGreaterThan(0);
    }
    expect(checked).toBe(12 * 3);
  });

  it('keeps titles under review from a plain member typing /update remove id:', async () => {
    const entry = { command: 'update', subcommand: 'remove', option: 'id' };
    expect(JSON.stringify(await choices(harness.community.users.member, entry))).not.toContain('Draft under review');
    expect(JSON.stringify(await choices(harness.community.users.moderator, entry))).toContain('Draft under review');
  });
});
