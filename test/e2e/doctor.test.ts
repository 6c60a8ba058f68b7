import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { GatewayIntentBits, PermissionFlagsBits } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETUP_PERMISSIONS } from '../../src/discord/client.js';
import { PROJECT_ROOT } from '../../src/paths.js';
import { TEST_TOKEN } from '../support/bot-process.js';
import { DiscordStandIn } from '../../src/stand-in/index.js';
import { startHarness, type Harness } from '../support/harness.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs an npm script's command (`node --import ./scripts/check-build.mjs dist/scripts/…`, built by the test setup). */
function runScript(script: 'doctor.ts' | 'commands-clear.ts', env: Record<string, string>, args: string[] = []): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', './scripts/check-build.mjs', `dist/scripts/${script.replace(/\.ts$/, '.js')}`, ...args],
      { cwd: PROJECT_ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const linesOf = (stdout: string, level: 'OK' | 'WARN' | 'ERROR') => stdout.split('\n').filter((line) => line.startsWith(`${level} `));

describe('npm run doctor and npm run commands:clear', () => {
  let harness: Harness;
  const env = () => ({
    DISCORD_TOKEN: TEST_TOKEN,
    DISCORD_API_URL: harness.standIn.apiUrl,
    DATABASE_PATH: harness.databasePath,
    DISCORD_GUILD_ID: harness.community.guildId,
  });

  beforeAll(async () => {
    harness = await startHarness();
  });

  afterAll(async () => {
    await harness?.stop();
  });

  it('reports a clean setup with OK lines and exits 0', async () => {
    const run = await runScript('doctor.ts', env());
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(linesOf(run.stdout, 'ERROR')).toEqual([]);
    expect(linesOf(run.stdout, 'WARN')).toEqual([]);
    const ok = linesOf(run.stdout, 'OK').join('\n');
    expect(ok).toContain('configuration: valid');
    expect(ok).toContain(`database: ${harness.databasePath} is writable`);
    expect(ok).toMatch(/database: all \d+ migrations applied/);
    expect(ok).toContain('token: accepted for Stand-in Bot');
    expect(ok).toContain('privileged intents: all off');
    expect(ok).toContain(`invite link: https://discord.com/oauth2/authorize?client_id=${harness.standIn.applicationId}`);
    expect(ok).toMatch(new RegExp(`one-step setup invite link .*permissions=${SETUP_PERMISSIONS.toString()}`));
    const registered = harness.standIn.guildCommands(harness.community.guildId).length;
    expect(registered).toBeGreaterThan(0);
    expect(ok).toContain(`commands: ${registered} registered in server ${harness.community.guildId}`);
    expect(ok).toContain(`server "Help Me Leave" (${harness.community.guildId}): privacy audit found no problems`);
  });

  it('names the token when Discord refuses it, and exits 1', async () => {
    const run = await runScript('doctor.ts', { ...env(), DISCORD_TOKEN: 'MTAwMDAwMDAwMDAwMDAwMDAw.GwRong.not-the-token-the-stand-in-expects' });
    expect(run.code).toBe(1);
    expect(linesOf(run.stdout, 'ERROR').join('\n')).toContain('token: Discord refused DISCORD_TOKEN (401 Unauthorized)');
    // The token itself is never printed.
    expect(run.stdout).not.toContain('not-the-token-the-stand-in-expects');
  });

  it('names every invalid variable and exits 1', async () => {
    const run = await runScript('doctor.ts', { ...env(), DISCORD_GUILD_ID: 'my-server', LOG_LEVEL: 'loud' });
    expect(run.code).toBe(1);
    const errors = linesOf(run.stdout, 'ERROR').join('\n');
    expect(errors).toContain('configuration: DISCORD_GUILD_ID must be a server id');
    expect(errors).toContain('configuration: LOG_LEVEL must be one of');
  });

  it('reports a triage channel visible to @everyone as an ERROR of the audit and exits 1', async () => {
    const { standIn, community } = harness;
    standIn.setPermissionOverwrite(community.channels.triage, { id: community.guildId, type: 'role', allow: 0n, deny: 0n });
    try {
      const run = await runScript('doctor.ts', env());
      expect(run.code, run.stdout).toBe(1);
      const errors = linesOf(run.stdout, 'ERROR');
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain(`server "Help Me Leave" (${community.guildId}): every member (@everyone) can see #triage, the Triage (staff only) channel, which is for staff only`);
    } finally {
      standIn.setPermissionOverwrite(community.channels.triage, { id: community.guildId, type: 'role', allow: 0n, deny: PermissionFlagsBits.ViewChannel });
    }
  });

  it('commands:clear empties both scopes and resets the stored hashes, so the next start registers again', async () => {
    const { standIn, community } = harness;
    const hashes = () => {
      const db = new Database(harness.databasePath, { readonly: true });
      try {
        return db.prepare("SELECT key FROM bot_state WHERE key LIKE 'commands-%'").all();
      } finally {
        db.close();
      }
    };
    expect(hashes().length).toBeGreaterThan(0);
    const run = await runScript('commands-clear.ts', env());
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('removed the global commands');
    expect(run.stdout).toContain(`removed the commands of server ${community.guildId}`);
    expect(standIn.guildCommands(community.guildId)).toEqual([]);
    expect(standIn.globalCommands()).toEqual([]);
    expect(hashes()).toEqual([]);

    const doctor = await runScript('doctor.ts', env());
    expect(linesOf(doctor.stdout, 'WARN').join('\n')).toContain(`commands: none registered in server ${community.guildId} yet`);

    const bot = await harness.restart();
    // Registration happens before the ready line, which restart() waits for.
    expect(bot.lines.some((line) => line.msg === 'commands registered')).toBe(true);
    expect(standIn.guildCommands(community.guildId).length).toBeGreaterThan(0);
  });

  it('commands:clear with --guild clears the servers named, and refuses a bad id', async () => {
    const bad = await runScript('commands-clear.ts', env(), ['--guild', 'general']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--guild needs a server id');
    expect(harness.standIn.guildCommands(harness.community.guildId).length).toBeGreaterThan(0);
    const run = await runScript('commands-clear.ts', { ...env(), DISCORD_GUILD_ID: '' }, ['--guild', harness.community.guildId]);
    expect(run.code, run.stderr).toBe(0);
    expect(harness.standIn.guildCommands(harness.community.guildId)).toEqual([]);
  });
});

describe('npm run doctor: privileged intents and a database not created yet', () => {
  let standIn: DiscordStandIn;
  let dir: string;
  beforeAll(async () => {
    standIn = await DiscordStandIn.start({ token: TEST_TOKEN, enabledPrivilegedIntents: GatewayIntentBits.MessageContent | GatewayIntentBits.GuildMembers });
    dir = mkdtempSync(join(tmpdir(), 'hml-doctor-'));
  });
  afterAll(async () => {
    await standIn?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('warns about each privileged intent switched on', async () => {
    const run = await runScript('doctor.ts', { DISCORD_TOKEN: TEST_TOKEN, DISCORD_API_URL: standIn.apiUrl, DATABASE_PATH: join(dir, 'bot.sqlite') });
    expect(run.code, run.stdout).toBe(0);
    const warnings = linesOf(run.stdout, 'WARN').join('\n');
    expect(warnings).toContain('privileged intents: Server Members, Message Content switched on');
    expect(warnings).toContain('does not exist yet; the bot creates it at its first start');
    expect(warnings).toContain('commands: none registered globally yet');
    expect(warnings).toContain('servers: none configured yet');
  });

  it('reports commands it cannot list when DISCORD_GUILD_ID names a server the bot is not in, and exits 1', async () => {
    const elsewhere = standIn.ids.next();
    const run = await runScript('doctor.ts', { DISCORD_TOKEN: TEST_TOKEN, DISCORD_API_URL: standIn.apiUrl, DATABASE_PATH: join(dir, 'bot.sqlite'), DISCORD_GUILD_ID: elsewhere });
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(linesOf(run.stdout, 'ERROR').join('\n')).toMatch(new RegExp(`commands: cannot list them \\(Unknown Guild\\); is the bot in server ${elsewhere}\\?`));
  });
});
