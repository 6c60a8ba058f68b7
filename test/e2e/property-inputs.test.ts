import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { ApplicationCommandOptionType, ComponentType, InteractionResponseType } from 'discord-api-types/v10';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import type { OptionDeclaration } from '../../src/discord/command-definition.js';
import { startHarness, type Harness } from '../support/harness.js';
import type { InteractionHandle, OptionValue, StoredMessage } from '../../src/stand-in/index.js';

/**
 * SPEC §8 / issue 9: every text and custom-id input, generated. Each case must be answered
 * (localized, never the "unexpected error" incident reply), ping nobody, keep the process alive
 * and, where the input is refused or forged, leave the database exactly as it was.
 */
const WAIT = 10_000;
const SEED = 20261201;
let executed = 0;
let failed = false;

/** fc.assert that also marks the run failed, so the summary line never says "all answered" falsely. */
async function assertProperty<T>(property: fc.IAsyncProperty<T>, parameters: fc.Parameters<T>): Promise<void> {
  try {
    await fc.assert(property, parameters);
  } catch (error) {
    failed = true;
    throw error;
  }
}

interface CommandPath {
  command: string;
  subcommand: string | null;
  options: readonly OptionDeclaration[];
  /** Discord hides a command with default_member_permissions from members without them. */
  adminOnly: boolean;
  /** The bot's own access rule for the command ('everyone', 'staff', 'admin'…). */
  access: string;
}

/** Every command and subcommand, read from the declarations so a new one is covered without edits. */
function commandPaths(): CommandPath[] {
  const paths: CommandPath[] = [];
  for (const module of commands) {
    const { name, options = [], defaultMemberPermissions } = module.declaration;
    const adminOnly = Boolean(defaultMemberPermissions);
    const { access } = module;
    const subcommands = options.filter((option) => option.type === ApplicationCommandOptionType.Subcommand);
    if (options.some((option) => option.type === ApplicationCommandOptionType.SubcommandGroup)) throw new Error(`${name}: subcommand groups are not walked yet`);
    if (subcommands.length === 0) paths.push({ command: name, subcommand: null, options, adminOnly, access });
    for (const sub of subcommands) paths.push({ command: name, subcommand: sub.name, options: sub.options ?? [], adminOnly, access });
  }
  return paths;
}

/** Registered namespace:verb pairs for buttons/menus and for modals, from the command modules. */
const componentRoutes = commands.flatMap((module) => Object.keys(module.components ?? {}).map((verb) => `${module.declaration.name}:${verb}`));
const modalRoutes = commands.flatMap((module) => Object.keys(module.modals ?? {}).map((verb) => `${module.declaration.name}:${verb}`));

const RTL = ['\u202E', '\u202B', '\u200F', 'مرحبا', 'שלום'];
const INVISIBLE = ['\u200B', '\u2060', '\uFEFF', '\u200D', '\u00AD'];
const EMOJI = ['🆘', '👩🏽‍⚖️', '🏳️‍🌈', '❤️', '🇪🇸'];

function hostileText(community: Harness['community'], maxLength: number) {
  const mentions = ['@everyone', '@here', `<@&${community.roles.support}>`, `<@&${community.guildId}>`, `<@${community.users.admin}>`, `<@!${community.users.moderator}>`];
  const piece = fc.oneof(
    fc.constantFrom(...RTL, ...INVISIBLE, ...EMOJI, ...mentions, '[link](https://evil.example)', '`', '*', '_', '~', '|', '\\', '\n', ' '),
    fc.string({ unit: 'grapheme', maxLength: 8 }),
    fc.string({ maxLength: 8 }),
  );
  return fc.oneof(
    { weight: 6, arbitrary: fc.array(piece, { maxLength: 12 }).map((parts) => parts.join('').slice(0, maxLength)) },
    // Over-long but within what a client can send: fill up to the option's maxLength.
    { weight: 1, arbitrary: fc.constantFrom(...mentions, ...RTL, ...EMOJI).map((unit) => unit.repeat(Math.ceil(maxLength / unit.length)).slice(0, maxLength)) },
    { weight: 1, arbitrary: fc.constant('') },
  );
}

function optionValue(community: Harness['community'], option: OptionDeclaration, visible: (channelId: string) => boolean): fc.Arbitrary<OptionValue> {
  if (option.choices) return fc.constantFrom(...option.choices);
  switch (option.type) {
    case ApplicationCommandOptionType.String:
      return hostileText(community, option.maxLength ?? 6000).filter((text) => text.length >= (option.minLength ?? 0));
    case ApplicationCommandOptionType.Integer:
      return fc.integer({ min: option.minValue ?? -(2 ** 53 - 1), max: option.maxValue ?? 2 ** 53 - 1 });
    case ApplicationCommandOptionType.Number:
      return fc.double({ min: option.minValue ?? -1e12, max: option.maxValue ?? 1e12, noNaN: true });
    case ApplicationCommandOptionType.Boolean:
      return fc.boolean();
    case ApplicationCommandOptionType.Channel:
      return fc.constantFrom(...Object.values(community.channels).filter(visible));
    case ApplicationCommandOptionType.Role:
      return fc.constantFrom(community.roles.volunteer, community.guildId, community.roles.support);
    case ApplicationCommandOptionType.User:
      return fc.constantFrom(community.users.member, community.users.otherMember, community.users.admin);
    default:
      throw new Error(`option ${option.name}: type ${option.type} has no arbitrary yet`);
  }
}

function optionsFor(community: Harness['community'], path: CommandPath, visible: (channelId: string) => boolean = () => true): fc.Arbitrary<Record<string, OptionValue>> {
  const record: Record<string, fc.Arbitrary<OptionValue>> = {};
  const requiredKeys: string[] = [];
  for (const option of path.options) {
    record[option.name] = optionValue(community, option, visible);
    if (option.required) requiredKeys.push(option.name);
  }
  return fc.record(record, { requiredKeys }) as fc.Arbitrary<Record<string, OptionValue>>;
}

/** Every table's row count and a hash of its rows, read through a second connection (WAL: committed data). */
function snapshot(path: string): Record<string, string> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare("select name from sqlite_master where type = 'table' order by name").pluck().all() as string[];
    return Object.fromEntries(
      tables.map((table) => {
        const rows = db.prepare(`select * from "${table.replaceAll('"', '""')}"`).raw().all();
        const digest = createHash('sha256').update(JSON.stringify(rows, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))).digest('hex');
        return [table, `${rows.length}:${digest.slice(0, 16)}`];
      }),
    );
  } finally {
    db.close();
  }
}

describe('property: hostile text and custom ids', () => {
  let harness: Harness;
  let boardMessageId: string;
  let cancelledTask: number;
  const otherGuildId = '999999999999999999';

  beforeAll(async () => {
    harness = await startHarness();
    const { guildId, users, channels } = harness.community;
    const run = (command: string, subcommand: string, options: Record<string, OptionValue>) =>
      harness.standIn.chatInput({ guildId, channelId: channels.general, userId: users.moderator, command, subcommand, options }).waitForMessage(undefined, WAIT);
    await run('task-admin', 'create', { title: 'Translate the guide', description: 'Into Spanish.', skill: 'research' });
    await run('task-admin', 'create', { title: 'Gone soon', description: 'Cancelled.', skill: 'research' });
    await run('task-admin', 'cancel', { id: 2 });
    cancelledTask = 2;
    // A public bot message the member can see: forged components are sent "on" it.
    const board = harness.standIn.messagesIn(channels.tasks).find((stored) => stored.message.author.id === harness.standIn.botUserId);
    if (!board) throw new Error('no task board message to forge components on');
    boardMessageId = board.message.id;
  }, 60_000);

  afterAll(async () => {
    console.log(`property inputs: ${executed} generated, ${failed ? 'SOME FAILED' : 'all answered'}`);
    await harness?.stop();
  });

  /** A non-empty answer that is not the incident reply: a message, a modal or an update. */
  async function expectAnswered(handle: InteractionHandle, label: string): Promise<void> {
    const callback = await handle.response(WAIT);
    expect(handle.rejectedCallbacks, label).toEqual([]);
    if (callback.type === InteractionResponseType.Modal) return;
    const message = await handle.waitForMessage(undefined, WAIT);
    const text = JSON.stringify([message.content, message.embeds, message.components]);
    expect(message.content || message.embeds?.length || message.components?.length, `${label}: empty answer`).toBeTruthy();
    expect(text, `${label}: unexpected error`).not.toMatch(/Something went wrong on our side|Algo salió mal/);
  }

  function pingsSince(before: ReadonlySet<string>): StoredMessage[] {
    return harness.standIn
      .botMessages()
      .filter((stored) => !before.has(stored.message.id) || stored.revisions.length > 0)
      .filter((stored) => stored.pingedEveryone || stored.pingedRoleIds.length > 0 || stored.pingedUserIds.length > 0);
  }

  const expectAlive = () => expect(harness.bot.child.exitCode).toBeNull();

  it('every command and subcommand answers hostile options without crashing or pinging', async () => {
    const paths = commandPaths();
    expect(paths.length).toBeGreaterThan(40);
    const { guildId, users, channels } = harness.community;
    const before = new Set(harness.standIn.botMessages().map((stored) => stored.message.id));
    for (const path of paths) {
      const label = `/${[path.command, path.subcommand].filter(Boolean).join(' ')}`;
      await assertProperty(
        fc.asyncProperty(optionsFor(harness.community, path), fc.constantFrom(...(path.adminOnly ? [users.admin] : [users.admin, users.member])), fc.constantFrom('en-US', 'es-ES', 'es-419'), async (options, userId, locale) => {
          executed++;
          const handle = harness.standIn.chatInput({
            guildId,
            channelId: channels.general,
            userId,
            locale,
            command: path.command,
            ...(path.subcommand ? { subcommand: path.subcommand } : {}),
            options,
          });
          await expectAnswered(handle, `${label} ${JSON.stringify(options)}`);
          expectAlive();
        }),
        { seed: SEED, numRuns: 10, endOnFailure: true },
      );
    }
    expect(pingsSince(before).map((stored) => stored.message.content)).toEqual([]);
  }, 600_000);

  it('forged and stale button and menu ids are refused, change nothing and ping nobody', async () => {
    const { guildId, users, channels } = harness.community;
    const route = fc.constantFrom(...componentRoutes, 'task:nope', 'nope:claim');
    const arg = fc.oneof(
      fc.constantFrom(String(cancelledTask), '0', '-1', '999999', String(2 ** 53 + 1), '1'.repeat(30), otherGuildId, guildId, '', '%', '%E0%A4%A'),
      fc.string({ unit: 'grapheme', maxLength: 6 }).map(encodeURIComponent),
    );
    const version = fc.constantFrom('v1', 'v1', 'v1', 'v0', 'v9', '', 'V1');
    const customId = fc.tuple(version, route, fc.array(arg, { maxLength: 3 })).map(([v, r, args]) => [v, r, ...args].join(':').slice(0, 100));
    const before = new Set(harness.standIn.botMessages().map((stored) => stored.message.id));
    const baseline = snapshot(harness.databasePath);
    await assertProperty(
      fc.asyncProperty(customId, fc.constantFrom(ComponentType.Button, ComponentType.StringSelect), fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }), async (id, componentType, values) => {
        executed++;
        const handle = harness.standIn.forgeComponent({ guildId, channelId: channels.tasks, userId: users.member, messageId: boardMessageId, customId: id, componentType, values });
        await expectAnswered(handle, `forged ${id}`);
        expectAlive();
        expect(snapshot(harness.databasePath), `forged ${id}`).toEqual(baseline);
      }),
      { seed: SEED, numRuns: 300, endOnFailure: true },
    );
    expect(pingsSince(before).map((stored) => stored.message.content)).toEqual([]);
  }, 300_000);

  it('stale and forged modal ids are refused, change nothing and ping nobody', async () => {
    const { guildId, users, channels } = harness.community;
    const route = fc.constantFrom(...modalRoutes, 'support:nope', 'task:submit');
    const version = fc.constantFrom('v0', 'v9', '', 'v1:x');
    const customId = fc.tuple(version, route).map(([v, r]) => `${v}:${r}`);
    const fields = fc.dictionary(fc.constantFrom('description', 'topic', 'x'), hostileText(harness.community, 4000), { maxKeys: 2 });
    const before = new Set(harness.standIn.botMessages().map((stored) => stored.message.id));
    const baseline = snapshot(harness.databasePath);
    await assertProperty(
      fc.asyncProperty(customId, fields, async (id, values) => {
        executed++;
        const handle = harness.standIn.forgeModal({ guildId, channelId: channels.general, userId: users.member, customId: id, fields: values });
        await expectAnswered(handle, `modal ${id}`);
        expectAlive();
        expect(snapshot(harness.databasePath), `modal ${id}`).toEqual(baseline);
      }),
      { seed: SEED, numRuns: 60, endOnFailure: true },
    );
    expect(pingsSince(before).map((stored) => stored.message.content)).toEqual([]);
  }, 300_000);

  // Last: it opens admin commands to every member in the Integrations settings, as an admin may.
  it('staff and admin commands refuse a plain member with any options and change nothing', async () => {
    const { guildId, users, channels } = harness.community;
    const paths = commandPaths().filter((path) => path.access !== 'everyone');
    expect(paths.length).toBeGreaterThan(20);
    for (const name of new Set(paths.filter((path) => path.adminOnly).map((path) => path.command))) harness.standIn.allowCommandFor(guildId, name, guildId);
    const before = new Set(harness.standIn.botMessages().map((stored) => stored.message.id));
    const baseline = snapshot(harness.databasePath);
    for (const path of paths) {
      const label = `member /${[path.command, path.subcommand].filter(Boolean).join(' ')}`;
      await assertProperty(
        fc.asyncProperty(optionsFor(harness.community, path, (channelId) => harness.standIn.canView(users.member, channelId)), fc.constantFrom('en-US', 'es-ES'), async (options, locale) => {
          executed++;
          const handle = harness.standIn.chatInput({
            guildId,
            channelId: channels.general,
            userId: users.member,
            locale,
            command: path.command,
            ...(path.subcommand ? { subcommand: path.subcommand } : {}),
            options,
          });
          await expectAnswered(handle, `${label} ${JSON.stringify(options)}`);
          expect(handle.ephemeral, label).toBe(true);
          expectAlive();
          expect(snapshot(harness.databasePath), label).toEqual(baseline);
        }),
        { seed: SEED, numRuns: 4, endOnFailure: true },
      );
    }
    expect(pingsSince(before).map((stored) => stored.message.content)).toEqual([]);
  }, 300_000);
});
