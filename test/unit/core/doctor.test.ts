import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationFlags } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../../../src/db/client.js';
import { guildArguments } from '../../../src/ops/commands-clear.js';
import { checkConfig, checkDatabase, commandLines, formatLine, privilegedIntentsLine } from '../../../src/ops/doctor.js';
import { projectPath } from '../../../src/paths.js';

const dirs: string[] = [];
const tempDb = () => {
  const dir = mkdtempSync(join(tmpdir(), 'hml-doctor-unit-'));
  dirs.push(dir);
  return join(dir, 'bot.sqlite');
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('doctor: configuration', () => {
  it('names each invalid variable on its own ERROR line, never the token value', () => {
    const { config, lines } = checkConfig({ DISCORD_TOKEN: 'abc', SHUTDOWN_TIMEOUT_MS: 'soon' });
    expect(config).toBeUndefined();
    expect(lines.map(formatLine)).toEqual([
      'ERROR configuration: DISCORD_TOKEN does not look like a Discord bot token',
      expect.stringMatching(/^ERROR configuration: SHUTDOWN_TIMEOUT_MS /),
    ]);
  });
});

describe('doctor: database', () => {
  it('reports pending migrations without applying them, and a database from a newer release as an ERROR', () => {
    const path = tempDb();
    closeDatabase(openDatabase(path));
    const migrations = projectPath('migrations');
    let result = checkDatabase(path, migrations);
    expect(result.lines.map((line) => line.level)).toEqual(['OK', 'OK']);
    result.sqlite?.exec('DELETE FROM __drizzle_migrations WHERE created_at = (SELECT MAX(created_at) FROM __drizzle_migrations)');
    result.sqlite?.close();

    result = checkDatabase(path, migrations);
    expect(result.lines[1]).toMatchObject({ level: 'WARN', text: expect.stringMatching(/1 of \d+ migration\(s\) pending .*the next start applies them/) });
    // Still pending: the doctor only reads.
    expect(checkDatabase(path, migrations).lines[1]?.level).toBe('WARN');
    result.sqlite?.exec("INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('future', 9999999999999)");
    result.sqlite?.close();
    result = checkDatabase(path, migrations);
    expect(result.lines[1]).toMatchObject({ level: 'ERROR', text: expect.stringContaining('newer release') });
    result.sqlite?.close();
  });

  it('lists the configured servers from guild_settings', () => {
    const path = tempDb();
    const db = openDatabase(path);
    db.$client.prepare('INSERT INTO guild_settings (guild_id, triage_channel_id, created_at, updated_at) VALUES (?, ?, 0, 0)').run('111111111111111111', '222222222222222222');
    closeDatabase(db);
    const result = checkDatabase(path, projectPath('migrations'));
    expect(result.guildIds).toEqual([expect.objectContaining({ guild_id: '111111111111111111', triage_channel_id: '222222222222222222', support_channel_id: null })]);
    result.sqlite?.close();
  });
});

describe('doctor: intents and commands', () => {
  it('warns about every privileged intent flag, limited ones included', () => {
    expect(privilegedIntentsLine(0n).level).toBe('OK');
    const line = privilegedIntentsLine(BigInt(ApplicationFlags.GatewayPresenceLimited | ApplicationFlags.GatewayMessageContent));
    expect(line.level).toBe('WARN');
    expect(line.text).toContain('Presence (limited), Message Content switched on');
    // Unrelated flags (e.g. application command badge) are not intents.
    expect(privilegedIntentsLine(BigInt(ApplicationFlags.ApplicationCommandBadge)).level).toBe('OK');
  });

  it('warns when commands are in both scopes, or not registered where the bot registers them', () => {
    expect(commandLines(12, undefined, undefined)).toEqual([{ level: 'OK', text: 'commands: 12 registered globally' }]);
    expect(commandLines(0, undefined, undefined)[0]?.level).toBe('WARN');
    const both = commandLines(12, '333333333333333333', 12);
    expect(both.map((line) => line.level)).toEqual(['OK', 'WARN']);
    expect(both[1]?.text).toContain('show twice');
    expect(commandLines(0, '333333333333333333', 0)[0]?.level).toBe('WARN');
  });
});

describe('commands:clear arguments', () => {
  it('uses --guild ids instead of DISCORD_GUILD_ID, and refuses anything else', () => {
    expect(guildArguments([], undefined)).toEqual([]);
    expect(guildArguments([], '333333333333333333')).toEqual(['333333333333333333']);
    expect(guildArguments(['--guild', '444444444444444444', '--guild=555555555555555555'], '333333333333333333')).toEqual([
      '444444444444444444',
      '555555555555555555',
    ]);
    expect(() => guildArguments(['--guild'], undefined)).toThrow('--guild needs a server id');
    expect(() => guildArguments(['--all'], undefined)).toThrow('unknown argument --all');
  });
});

