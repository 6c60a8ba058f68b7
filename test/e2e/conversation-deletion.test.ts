import type Database from 'better-sqlite3';
import type { APIMessage } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InteractionHandle } from '../../src/stand-in/index.js';
import { eventually } from '../support/eventually.js';
import { startHarness, type Harness, openBotDatabase } from '../support/harness.js';
import { buttons } from '../support/messages.js';

const WAIT = 15_000;
const DAY = 24 * 60 * 60 * 1000;
const SECRET = `CONVERSATION-${Math.random().toString(36).slice(2)}`;
const text = (value: unknown) => JSON.stringify(value);

/** A member's conversation (their support thread) leaves with their data; blocks hold; secure contact. */
describe('support conversations are part of the member’s data, end to end', () => {
  let harness: Harness;
  let db: Database.Database;
  let guildId: string;
  let users: Harness['community']['users'];
  let channels: Harness['community']['channels'];

  beforeAll(async () => {
    // Jobs every second, so the retry and retention are driven through the database, never by sleeping.
    harness = await startHarness({
      env: { SUPPORT_RETENTION_CRON: '* * * * * *', SUPPORT_CONVERSATION_RETRY_CRON: '* * * * * *', SUPPORT_REMINDER_CRON: '0 0 1 1 *' },
    });
    ({ guildId, users, channels } = harness.community);
    db = openBotDatabase(harness.databasePath);
  });
  afterAll(async () => {
    db?.close();
    await harness?.stop();
  });

  const at = (channelId: string, userId: string, locale = 'en-US') => ({ guildId, channelId, userId, locale });
  const answer = async (handle: InteractionHandle) => (await handle.waitForMessage(undefined, WAIT)).content ?? '';
  const modlog = () => harness.standIn.messagesIn(channels.modlog).map((stored) => stored.message.content ?? '');
  const requestOf = (userId: string) =>
    db.prepare('select * from support_requests where guild_id = ? and requester_id = ? order by id desc limit 1').get(guildId, userId) as
      | { id: number; number: number; thread_id: string | null; intake_message_id: string | null; status: string }
      | undefined;
  const pendingRows = () => db.prepare('select * from support_thread_deletions').all() as Record<string, unknown>[];

  async function openRequest(userId: string, locale = 'en-US') {
    const command = harness.standIn.chatInput({ ...at(channels.general, userId, locale), command: 'support' });
    await command.response();
    const modal = command.modal;
    if (!modal) throw new Error(`no modal: ${text(await command.waitForMessage())}`);
    await harness.standIn
      .submitModal({
        ...at(channels.general, userId, locale),
        customId: String(modal.custom_id),
        fields: { topic: ['asylum'], description: `Please help. ${SECRET}`, language: ['en'], urgent: ['no'] },
      })
      .waitForMessage(undefined, WAIT);
    const row = requestOf(userId)!;
    expect(row.thread_id).toBeTruthy();
    return { row: row as typeof row & { thread_id: string; intake_message_id: string }, modal };
  }

  async function close(userId: string, row: { id: number; thread_id: string; intake_message_id: string }) {
    const intake = harness.standIn.message(row.intake_message_id)!;
    await answer(harness.standIn.clickButton({ ...at(row.thread_id, userId), messageId: intake.message.id, customId: `v1:triage:close:${row.id}` }));
  }

  async function privacyDelete(userId: string): Promise<{ confirm: APIMessage; done: APIMessage }> {
    const confirm = await harness.standIn.chatInput({ ...at(channels.general, userId), command: 'privacy', subcommand: 'delete' }).waitForMessage(undefined, WAIT);
    const erase = buttons(confirm).find((button) => button.customId.includes(':erase:'))!;
    const done = await harness.standIn
      .clickButton({ ...at(channels.general, userId), messageId: confirm.id, customId: erase.customId })
      .waitForMessage((message) => (message.content ?? '').startsWith('Done'), WAIT);
    return { confirm, done };
  }

  it('/privacy delete deletes the member’s threads, open and closed, before the rows go, and says so first', async () => {
    const member = harness.standIn.createMember(guildId, { username: 'erasing_member' });
    const first = (await openRequest(member)).row;
    await close(member, first);
    const second = (await openRequest(member)).row;
    expect(harness.standIn.hasChannel(first.thread_id) && harness.standIn.hasChannel(second.thread_id)).toBe(true);

    const { confirm, done } = await privacyDelete(member);
    expect(confirm.content).toContain('2 threads');
    expect(confirm.content).toContain('The team loses them too');
    expect(done.content).toContain('Support conversations deleted from Discord: 2.');
    // The threads and everything in them (the intake quoting the description) are gone from Discord.
    expect(harness.standIn.hasChannel(first.thread_id)).toBe(false);
    expect(harness.standIn.hasChannel(second.thread_id)).toBe(false);
    expect(harness.standIn.message(first.intake_message_id)).toBeUndefined();
    expect(harness.standIn.requests.filter((request) => request.method === 'DELETE' && request.path === `/channels/${second.thread_id}`).map((request) => request.status)).toEqual([200]);
    expect(requestOf(member)).toBeUndefined();
    expect(pendingRows()).toEqual([]);
    // The bot itself deleted them: no "thread was deleted" notes for staff.
    expect(modlog().some((line) => line.includes('thread was deleted'))).toBe(false);
  });

  it('a thread Discord refuses to delete is retried by the job until gone; the queue keeps no member id', async () => {
    const member = harness.standIn.createMember(guildId, { username: 'retry_member' });
    const { row } = await openRequest(member);
    // Discord answers 50013 Missing Permissions three times (now and the next two job runs), then lets it go.
    harness.standIn.failChannelDeletion(row.thread_id, { times: 3 });
    const { done } = await privacyDelete(member);
    expect(done.content).toContain('1 conversation could not be deleted right now');
    expect(harness.standIn.hasChannel(row.thread_id)).toBe(true);
    expect(requestOf(member)).toBeUndefined();
    const queued = pendingRows();
    expect(queued).toEqual([{ thread_id: row.thread_id, guild_id: guildId }]);
    expect(text(queued)).not.toContain(member);
    await eventually(() => !harness.standIn.hasChannel(row.thread_id), 'the retry job to delete the thread', 20_000);
    await eventually(() => pendingRows().length === 0, 'the queue to empty');
    const attempts = harness.standIn.requests.filter((request) => request.method === 'DELETE' && request.path === `/channels/${row.thread_id}`);
    expect(attempts.map((request) => request.status)).toEqual([403, 403, 403, 200]);
    // No member id anywhere in the database any more.
    expect(text(db.prepare('select * from support_requests').all())).not.toContain(member);
  });

  it('a block outlives /privacy delete until it expires: said in the confirmation, shown in mydata, still enforced', async () => {
    const member = harness.standIn.createMember(guildId, { username: 'blocked_then_erased' });
    await openRequest(member);
    expect(await answer(harness.standIn.chatInput({ ...at(channels.triage, users.moderator), command: 'triage', subcommand: 'block', options: { user: member, days: 5 } }))).toContain('cannot open support requests until');
    const { confirm, done } = await privacyDelete(member);
    expect(confirm.content).toContain('A block set by the moderators stays until <t:');
    expect(done.content).toContain('The moderators’ block stays until <t:');
    const mydata = text(await harness.standIn.chatInput({ ...at(channels.general, member), command: 'privacy', subcommand: 'mydata' }).waitForMessage(undefined, WAIT));
    expect(mydata).toContain('You cannot open support requests until');
    expect(mydata).not.toContain('The bot stores nothing about you');
    const refused = harness.standIn.chatInput({ ...at(channels.general, member), command: 'support' });
    expect(await answer(refused)).toContain('cannot open support requests at the moment (until <t:');
    // Only what enforcement needs: guild, member, end date (not who blocked them).
    expect(db.prepare('select blocked_by from support_blocks where user_id = ?').get(member)).toEqual({ blocked_by: null });
  });

  it('retention deletes a purged request’s thread and notes it in the mod-log; conversations:keep keeps it', async () => {
    const member = harness.standIn.createMember(guildId, { username: 'retained_member' });
    const { row } = await openRequest(member);
    await close(member, row);
    db.prepare('update support_requests set closed_at = ? where id = ?').run(Date.now() - 400 * DAY, row.id);
    await eventually(() => !harness.standIn.hasChannel(row.thread_id), 'retention to delete the thread');
    await eventually(() => modlog().some((line) => line.includes(`support-${String(row.number).padStart(4, '0')}: conversation deleted under the retention policy`)), 'the retention note');
    expect(requestOf(member)).toBeUndefined();

    const saved = await harness.standIn
      .chatInput({ ...at(channels.general, users.admin), command: 'setup', subcommand: 'retention', options: { days: 30, conversations: 'keep' } })
      .waitForMessage(undefined, WAIT);
    expect(text(saved.embeds)).toContain('Their conversations (the threads) are kept in Discord.');
    const keeper = harness.standIn.createMember(guildId, { username: 'kept_member' });
    const kept = (await openRequest(keeper)).row;
    await close(keeper, kept);
    db.prepare('update support_requests set closed_at = ? where id = ?').run(Date.now() - 40 * DAY, kept.id);
    await eventually(() => requestOf(keeper) === undefined, 'retention to purge the metadata');
    expect(harness.standIn.hasChannel(kept.thread_id)).toBe(true);
    const back = await harness.standIn
      .chatInput({ ...at(channels.general, users.admin), command: 'setup', subcommand: 'retention', options: { days: 90, conversations: 'delete' } })
      .waitForMessage(undefined, WAIT);
    expect(text(back.embeds)).toContain('Their conversations (the threads) are deleted with them.');
  });

  it('"Delete this conversation" asks first, then works for the requester and a moderator; others are refused', async () => {
    const member = harness.standIn.createMember(guildId, { username: 'button_member' });
    const { row } = await openRequest(member);
    const intake = () => harness.standIn.message(row.intake_message_id)!;
    // Not while the request is open.
    expect(buttons(intake().message).map((button) => button.customId)).not.toContain(`v1:triage:forget:${row.id}`);
    await close(member, row);
    await eventually(() => buttons(intake().message).some((button) => button.customId === `v1:triage:forget:${row.id}`), 'the delete button on the closed request');
    const press = (userId: string, message: APIMessage, customId: string) =>
      harness.standIn.clickButton({ ...at(row.thread_id, userId), messageId: message.id, customId });

    // A support volunteer who joined the thread (staff, not a moderator) is refused, clearly.
    harness.standIn.addThreadMember(row.thread_id, users.supporter);
    expect(await answer(press(users.supporter, intake().message, `v1:triage:forget:${row.id}`))).toContain('Only the requester or a moderator can delete this conversation');
    // Cancelling changes nothing.
    const ask = await press(member, intake().message, `v1:triage:forget:${row.id}`).waitForMessage(undefined, WAIT);
    expect(ask.content).toContain('Delete the conversation of request #');
    expect(await answer(press(member, ask, `v1:triage:forget-no:${row.id}`))).toContain('Nothing was deleted');
    expect(harness.standIn.hasChannel(row.thread_id)).toBe(true);
    // The requester confirms: the thread is gone, the metadata stays without it, staff are told.
    const ask2 = await press(member, intake().message, `v1:triage:forget:${row.id}`).waitForMessage(undefined, WAIT);
    const confirmed = press(member, ask2, `v1:triage:forget-yes:${row.id}`);
    expect(await answer(confirmed)).toContain('Deleting the conversation');
    await eventually(() => !harness.standIn.hasChannel(row.thread_id), 'the thread to be deleted');
    expect(requestOf(member)).toMatchObject({ status: 'closed', thread_id: null });
    await eventually(() => modlog().some((line) => line.includes(': conversation deleted by the requester')), 'the mod-log note');

    // A moderator may do the same for another member's closed request.
    const other = harness.standIn.createMember(guildId, { username: 'moderated_member' });
    const second = (await openRequest(other)).row;
    await close(other, second);
    const secondIntake = harness.standIn.message(second.intake_message_id)!;
    const modAsk = await harness.standIn
      .clickButton({ ...at(second.thread_id, users.moderator), messageId: secondIntake.message.id, customId: `v1:triage:forget:${second.id}` })
      .waitForMessage(undefined, WAIT);
    await harness.standIn.clickButton({ ...at(second.thread_id, users.moderator), messageId: modAsk.id, customId: `v1:triage:forget-yes:${second.id}` }).response();
    await eventually(() => !harness.standIn.hasChannel(second.thread_id), 'the moderator’s deletion');
    expect(harness.bot.errors()).toEqual([]);
  });

  it('the form, the panel and the intake say Discord is not end-to-end encrypted; a validated secure contact is offered by staff', async () => {
    const setup = (options: Record<string, string | boolean>) =>
      harness.standIn.chatInput({ ...at(channels.general, users.admin), command: 'setup', subcommand: 'secure-contact', options });
    expect(await answer(setup({ text: 'Write to @everyone here' }))).toContain('cannot contain mentions');
    expect(await answer(setup({ text: '[Signal](https://evil.example/x)' }))).toContain('masked link');
    expect(await answer(setup({ text: 'Form: http://form.example/x' }))).toContain('plain https links');
    expect(await answer(setup({ text: 'Signal\u202e +1 555 0100' }))).toContain('one line without hidden');
    expect(requestOf(users.admin)).toBeUndefined();
    const show = async () => text((await harness.standIn.chatInput({ ...at(channels.general, users.admin), command: 'setup', subcommand: 'show' }).waitForMessage(undefined, WAIT)).embeds);
    expect(await show()).toContain('Secure contact: not set');
    const contact = 'Signal: +1 555 0100 or https://forms.example.org/secure';
    expect(await answer(setup({ text: contact }))).toContain(contact);
    expect(await show()).toContain(`Secure contact: ${contact}`);

    const member = harness.standIn.createMember(guildId, { username: 'secure_member' });
    const { row, modal } = await openRequest(member);
    expect(text(modal)).toContain('Messages on Discord are not end-to-end encrypted');
    const intake = harness.standIn.message(row.intake_message_id)!;
    expect(text(intake.message.embeds)).toContain('not end-to-end encrypted');
    expect(text(intake.message.embeds)).toContain(contact);
    const offer = buttons(intake.message).find((button) => button.label === 'Offer secure contact')!;
    expect(offer).toBeDefined();
    expect(await answer(harness.standIn.clickButton({ ...at(row.thread_id, member), messageId: intake.message.id, customId: offer.customId }))).toContain('Only moderators and the support team');
    expect(await answer(harness.standIn.clickButton({ ...at(row.thread_id, users.moderator), messageId: intake.message.id, customId: offer.customId }))).toContain('secure contact was posted');
    expect(harness.standIn.messagesIn(row.thread_id).some((stored) => stored.message.content?.includes(`more secure way to reach them, outside Discord: ${contact}`))).toBe(true);

    // Spanish form and the bilingual panel say it too.
    const spanish = harness.standIn.chatInput({ ...at(channels.general, users.otherMember, 'es-ES'), command: 'support' });
    await spanish.response();
    expect(text(spanish.modal)).toContain('no tienen cifrado de extremo a extremo');
    await answer(harness.standIn.chatInput({ ...at(channels.general, users.admin), command: 'setup', subcommand: 'panel', options: { channel: channels.general } }));
    const panel = harness.standIn.messagesIn(channels.general).find((stored) => stored.message.embeds?.[0]?.title?.includes('Need help'))!;
    expect(text(panel.message.embeds)).toContain('not end-to-end encrypted');
    expect(text(panel.message.embeds)).toContain('no tienen cifrado de extremo a extremo');

    expect(await answer(setup({ clear: true }))).toContain('Secure contact cleared');
    expect(await show()).toContain('Secure contact: not set');
  });
});
