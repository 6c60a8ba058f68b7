import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { buttons } from '../support/messages.js';

const WAIT = 15_000;
const text = (value: unknown) => JSON.stringify(value);


describe('/privacy: a member sees and erases everything stored about them, end to end', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('lists the data of every feature, then erases it so the database no longer holds the member’s id', async () => {
    const { standIn, community, databasePath } = harness;
    const { guildId, channels, users } = community;
    const as = (userId: string) => ({ guildId, channelId: channels.general, userId, locale: 'en-US' });
    const memberId = users.member;

    // Leave data in three features: a language choice, a support request and a claimed task.
    await standIn.chatInput({ ...as(memberId), command: 'language', options: { set: 'es' } }).waitForMessage(undefined, WAIT);
    const support = standIn.chatInput({ ...as(memberId), command: 'support' });
    await support.response();
    const modal = support.modal;
    expect(modal).not.toBeNull();
    await standIn
      .submitModal({
        ...as(memberId),
        customId: String(modal?.custom_id),
        fields: { topic: ['visa'], description: 'Looking for work visa options.', language: ['en'], urgent: ['no'] },
      })
      .waitForMessage(undefined, WAIT);
    const created = await standIn
      .chatInput({ ...as(users.moderator), command: 'task-admin', subcommand: 'create', options: { title: 'Translate the asylum guide', description: 'Spanish review', skill: 'spanish-translation' } })
      .waitForMessage(undefined, WAIT);
    const taskNumber = /#(\d+)/.exec(text(created))?.[1];
    expect(taskNumber).toBeDefined();
    await standIn.chatInput({ ...as(memberId), command: 'task', subcommand: 'claim', options: { id: Number(taskNumber) } }).waitForMessage(undefined, WAIT);

    const mydata = text(await standIn.chatInput({ ...as(memberId), command: 'privacy', subcommand: 'mydata' }).waitForMessage(undefined, WAIT));
    // The member chose Spanish, so the export is in Spanish; it names each feature's data.
    expect(mydata).toContain('Idioma');
    expect(mydata).toMatch(/#0001/);
    expect(mydata).toContain(`#${taskNumber}`);
    expect(mydata).not.toContain('Looking for work visa options');

    const dump = () => readFileSync(databasePath).toString('latin1') + (() => {
      try {
        return readFileSync(`${databasePath}-wal`).toString('latin1');
      } catch {
        return '';
      }
    })();
    expect(dump()).toContain(memberId);

    const confirm = await standIn.chatInput({ ...as(memberId), command: 'privacy', subcommand: 'delete' }).waitForMessage(undefined, WAIT);
    const erase = buttons(confirm).find((button) => button.customId.includes(':erase:'));
    expect(erase?.customId).toBeDefined();
    const done = await standIn.clickButton({ ...as(memberId), messageId: confirm.id, customId: String(erase?.customId) }).waitForMessage((message) => (message.content ?? '').length > 0 && !(message.content ?? '').includes('Continuar'), WAIT);
    expect(done.content).toContain('Se borró todo');

    // The task went back to open, and nothing in the database names the member any more.
    const db = new Database(databasePath, { readonly: true });
    const task = db.prepare('select status, claimant_id from tasks where guild_id = ? and number = ?').get(guildId, Number(taskNumber)) as { status: string; claimant_id: string | null };
    db.close();
    expect(task).toEqual({ status: 'open', claimant_id: null });
    // Erasing does not reset the support rate limit: the request opened today still counts, by its time only.
    const after = await standIn.chatInput({ ...as(memberId), command: 'privacy', subcommand: 'mydata' }).waitForMessage(undefined, WAIT);
    expect(text(after)).toContain('still count toward the limit of 3 a day: 1');
    expect(text(after)).not.toContain('#0001');
    // A checkpoint-independent look at every table: no column of any row holds the id.
    const reader = new Database(databasePath, { readonly: true });
    const tables = reader.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%'").all() as { name: string }[];
    const holders = tables.filter(({ name }) =>
      (reader.prepare(`select * from "${name}"`).all() as Record<string, unknown>[]).some((row) => Object.values(row).some((value) => String(value).includes(memberId))),
    );
    const mark = reader.prepare('select * from support_rate_marks').get() as object;
    reader.close();
    expect(holders.map(({ name }) => name)).toEqual(['support_rate_marks']);
    expect(Object.keys(mark)).toEqual(['id', 'guild_id', 'user_id', 'created_at']);
  });
});
