import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InteractionHandle } from '../../src/stand-in/index.js';
import { eventually } from '../support/eventually.js';
import { startHarness, type Harness, openBotDatabase } from '../support/harness.js';

/** Each close and reopen posts to the mod log: a requester may not cycle them without limit. */
describe('a requester reopening their own request is rate-limited like new requests, end to end', () => {
  let harness: Harness;
  let db: Database.Database;

  beforeAll(async () => {
    harness = await startHarness();
    db = openBotDatabase(harness.databasePath);
  });
  afterAll(async () => {
    db?.close();
    await harness?.stop();
  });

  it('allows three reopens a day, then refuses with a localized message and changes nothing; staff still can', async () => {
    const { guildId, users, channels } = harness.community;
    const at = (channelId: string, userId: string, locale = 'en-US') => ({ guildId, channelId, userId, locale });
    const answer = async (handle: InteractionHandle) => (await handle.waitForMessage(undefined, 15_000)).content ?? '';

    const command = harness.standIn.chatInput({ ...at(channels.general, users.member), command: 'support' });
    await command.response();
    const submit = harness.standIn.submitModal({
      ...at(channels.general, users.member),
      customId: String(command.modal!.custom_id),
      fields: { topic: ['asylum'], description: 'I need help.', language: ['en'], urgent: ['no'] },
    });
    await submit.waitForMessage(undefined, 15_000);
    const row = db.prepare('select id, thread_id, intake_message_id from support_requests where requester_id = ?').get(users.member) as {
      id: number;
      thread_id: string;
      intake_message_id: string;
    };
    const status = () => (db.prepare('select status from support_requests where id = ?').get(row.id) as { status: string }).status;
    const press = (userId: string, verb: 'close' | 'reopen', locale = 'en-US') =>
      harness.standIn.clickButton({ ...at(row.thread_id, userId, locale), messageId: row.intake_message_id, customId: `v1:triage:${verb}:${row.id}` });
    const reopenLines = () => harness.standIn.messagesIn(channels.modlog).filter((stored) => stored.message.content?.includes('#0001 reopened')).length;

    for (let cycle = 1; cycle <= 3; cycle++) {
      expect(await answer(press(users.member, 'close'))).toContain('Request #0001 is closed');
      expect(await answer(press(users.member, 'reopen'))).toContain('Request #0001 is reopened');
      expect(status()).toBe('open');
    }
    await eventually(() => reopenLines() === 3, 'three reopen lines in the mod log');

    expect(await answer(press(users.member, 'close'))).toContain('Request #0001 is closed');
    const refused = await answer(press(users.member, 'reopen'));
    expect(refused).toContain('You have reopened requests several times recently. You can reopen this one <t:');
    expect(status()).toBe('closed');
    const refusedEs = await answer(press(users.member, 'reopen', 'es-ES'));
    expect(refusedEs).toContain('Has reabierto solicitudes varias veces en poco tiempo');
    expect(status()).toBe('closed');
    const audit = db.prepare("select count(*) as n from support_audit where request_id = ? and action = 'reopened'").get(row.id) as { n: number };
    expect(audit.n).toBe(3);

    // The limit is the requester's: a moderator reopens as before.
    expect(await answer(press(users.moderator, 'reopen'))).toContain('Request #0001 is reopened');
    expect(status()).toBe('open');
    await eventually(() => reopenLines() === 4, 'the moderator reopen in the mod log');
  });
});
