import { mkdtempSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChannelType, PermissionFlagsBits, type Locale } from 'discord.js';
import { DiscordStandIn } from '../../src/stand-in/index.js';
import { startBot, TEST_TOKEN, type BotProcess, type StartBotOptions } from './bot-process.js';
import { assertNoMemberIdsInLogs } from './log-check.js';

/** A typical Help Me Leave server: staff roles, members, and the channels /setup configures. */
export interface Community {
  guildId: string;
  users: {
    /** Server owner (admin). */
    admin: string;
    moderator: string;
    supporter: string;
    spanishSupporter: string;
    volunteer: string;
    member: string;
    otherMember: string;
  };
  roles: { moderator: string; support: string; spanishSupport: string; volunteer: string };
  channels: {
    general: string;
    support: string;
    triage: string;
    updates: string;
    advocacy: string;
    tasks: string;
    modlog: string;
  };
}

export interface Harness {
  standIn: DiscordStandIn;
  bot: BotProcess;
  community: Community;
  databasePath: string;
  dataDir: string;
  /** Starts the bot again on the same database and stand-in (after `bot.stop()`). */
  restart(options?: Partial<StartBotOptions>): Promise<BotProcess>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  /** Run /setup channels and /setup roles as the admin (default true). */
  configure?: boolean;
  env?: Record<string, string>;
  /** Register commands to the guild (default true; global when false). */
  guildScoped?: boolean;
  guildLocale?: string;
}

export function buildCommunity(standIn: DiscordStandIn, guildLocale = 'en-US'): Community {
  const admin = standIn.createUser({ username: 'ana_admin' });
  const guildId = standIn.createGuild({ name: 'Help Me Leave', ownerId: admin, preferredLocale: guildLocale as Locale });
  const roles = {
    moderator: standIn.createRole(guildId, { name: 'Moderator', permissions: PermissionFlagsBits.ManageThreads | PermissionFlagsBits.ManageMessages }),
    support: standIn.createRole(guildId, { name: 'Support', mentionable: true }),
    spanishSupport: standIn.createRole(guildId, { name: 'Soporte ES', mentionable: true }),
    volunteer: standIn.createRole(guildId, { name: 'Volunteer' }),
  };
  const member = (username: string, memberRoles: string[] = []) => {
    const userId = standIn.createUser({ username });
    standIn.addMember(guildId, userId, { roles: memberRoles });
    return userId;
  };
  const users = {
    admin,
    moderator: member('mo_moderator', [roles.moderator]),
    supporter: member('sam_support', [roles.support]),
    spanishSupporter: member('sofia_soporte', [roles.spanishSupport]),
    volunteer: member('val_volunteer', [roles.volunteer]),
    member: member('maria_member'),
    otherMember: member('omar_other'),
  };
  // Staff-only channels hide from @everyone and show to the staff roles, as a real server would.
  const staffOnly = [
    { id: guildId, type: 'role' as const, allow: 0n, deny: PermissionFlagsBits.ViewChannel },
    ...[roles.moderator, roles.support, roles.spanishSupport, standIn.botRoleId(guildId)].map((id) => ({
      id,
      type: 'role' as const,
      allow: PermissionFlagsBits.ViewChannel,
      deny: 0n,
    })),
  ];
  const channel = (name: string, permissionOverwrites: typeof staffOnly = []) =>
    standIn.createChannel(guildId, { name, type: ChannelType.GuildText, permissionOverwrites });
  const channels = {
    general: channel('general'),
    support: channel('support'),
    triage: channel('triage', staffOnly),
    updates: channel('updates'),
    advocacy: channel('advocacy'),
    tasks: channel('volunteer-tasks'),
    modlog: channel('mod-log', staffOnly),
  };
  return { guildId, users, roles, channels };
}

/** Runs /setup channels and /setup roles the way an admin would. */
export async function configureCommunity(standIn: DiscordStandIn, community: Community): Promise<void> {
  const { guildId, users, channels, roles } = community;
  const base = { guildId, userId: users.admin, channelId: channels.general, command: 'setup' };
  const channelReply = await standIn
    .chatInput({
      ...base,
      subcommand: 'channels',
      options: {
        support: channels.support,
        triage: channels.triage,
        updates: channels.updates,
        advocacy: channels.advocacy,
        tasks: channels.tasks,
        modlog: channels.modlog,
      },
    })
    .waitForMessage(undefined, 10_000);
  if (!JSON.stringify(channelReply).includes('Saved')) throw new Error(`/setup channels failed: ${JSON.stringify(channelReply)}`);
  const roleReply = await standIn
    .chatInput({
      ...base,
      subcommand: 'roles',
      options: { moderator: roles.moderator, support: roles.support, spanish_support: roles.spanishSupport, volunteer: roles.volunteer },
    })
    .waitForMessage(undefined, 10_000);
  if (!JSON.stringify(roleReply).includes('Saved')) throw new Error(`/setup roles failed: ${JSON.stringify(roleReply)}`);
}

/** A stand-in with a community guild and the real bot connected to it. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const standIn = await DiscordStandIn.start({ token: TEST_TOKEN });
  const community = buildCommunity(standIn, options.guildLocale);
  const dataDir = mkdtempSync(join(tmpdir(), 'hml-e2e-'));
  const databasePath = join(dataDir, 'bot.sqlite');
  const botOptions: StartBotOptions = {
    apiUrl: standIn.apiUrl,
    databasePath,
    guildId: options.guildScoped === false ? '' : community.guildId,
    env: options.env ?? {},
  };
  let bot: BotProcess;
  // Every process this harness ran, so teardown can check all their logs (restarts included).
  const processes: BotProcess[] = [];
  try {
    bot = await startBot(botOptions);
    processes.push(bot);
    if (options.configure !== false) await configureCommunity(standIn, community);
  } catch (error) {
    await standIn.stop();
    throw error;
  }
  const harness: Harness = {
    standIn,
    bot,
    community,
    databasePath,
    dataDir,
    async restart(overrides = {}) {
      await harness.bot.stop();
      harness.bot = await startBot({ ...botOptions, ...overrides });
      processes.push(harness.bot);
      return harness.bot;
    },
    async stop() {
      await harness.bot.stop();
      // Every member the stand-in knows (the community and any a test added), not the bot itself.
      const memberIds = [...standIn.state.users.keys()].filter((id) => id !== standIn.state.botUserId);
      await standIn.stop();
      rmSync(dataDir, { recursive: true, force: true });
      // SPEC §8: no member id in logs at info or above. Runs in every e2e file's teardown.
      assertNoMemberIdsInLogs(
        processes.flatMap((process) => process.lines),
        memberIds,
      );
    },
  };
  return harness;
}

/** A second connection to the running bot's database, for assertions; waits out the bot's writes. */
export function openBotDatabase(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('busy_timeout = 5000');
  return db;
}
