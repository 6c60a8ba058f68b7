import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, openBotDatabase } from '../support/harness.js';

/** The production default (60 s), unlike the rest of the suite, which lowers it to run fast schedules. */
describe('POST_MIN_INTERVAL_SECONDS, end to end', () => {
  let harness: Harness;
  let db: Database.Database;
  beforeAll(async () => {
    harness = await startHarness({ env: { POST_MIN_INTERVAL_SECONDS: '60' } });
    db = openBotDatabase(harness.databasePath);
  });
  afterAll(async () => {
    db?.close();
    await harness?.stop();
  });

  const add = async (cron: string, locale = 'en-US', job = 'advocacy') => {
    const { guildId, channels, users } = harness.community;
    const handle = harness.standIn.chatInput({
      guildId,
      channelId: channels.general,
      userId: users.admin,
      locale,
      command: 'schedule',
      subcommand: 'add',
      options: { job, cron, channel: channels.advocacy },
    });
    return (await handle.waitForMessage(undefined, 10_000)).content ?? '';
  };
  const stored = () => (db.prepare('SELECT count(*) AS n FROM schedules').get() as { n: number }).n;

  it('refuses a schedule that would post more often than once a minute, naming the limit, and stores nothing', async () => {
    expect(await add('* * * * * *')).toContain('`* * * * * *` would post every 1 s. A posting schedule may run at most once every 60 seconds');
    expect(await add('*/30 * * * * *', 'es-ES', 'updates')).toContain('como máximo una vez cada 60 segundos');
    expect(stored()).toBe(0);
    expect(await add('* * * * *')).toContain('Schedule #1 saved');
    expect(stored()).toBe(1);
  });
});
