import { existsSync, readFileSync } from 'node:fs';
import type Database from 'better-sqlite3';
import type { APIMessage } from 'discord-api-types/v10';
import { ChannelType, PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InteractionHandle, StoredMessage } from '../../src/stand-in/index.js';
import { startHarness, type Harness, openBotDatabase } from '../support/harness.js';
import { eventually } from '../support/eventually.js';
import { buttons } from '../support/messages.js';

/** Written into every request's description: it must reach the thread and nothing else. */
const SENTINEL = `SENTINEL-${Math.random().toString(36).slice(2)}-private-words`;
const DAY = 24 * 60 * 60 * 1000;
const text = (value: unknown) => JSON.stringify(value);


interface RequestRow {
  id: number;
  number: number;
  requester_id: string;
  thread_id: string;
  intake_message_id: string;
  triage_message_id: string | null;
  topic: string;
  language: string;
  urgent: number;
  status: string;
  assignee_id: string | null;
  first_staff_reply_at: number | null;
  closed_at: number | null;
}

describe('private support requests and triage, end to end', () => {
  let harness: Harness;
  let db: Database.Database;
  let guildId: string;
  let users: Harness['community']['users'];
  let channels: Harness['community']['channels'];
  let roles: Harness['community']['roles'];

  beforeAll(async () => {
    // Jobs every second, so tests drive reminders and retention through the database, never by sleeping.
    harness = await startHarness({ env: { SUPPORT_REMINDER_CRON: '* * * * * *', SUPPORT_RETENTION_CRON: '* * * * * *' } });
    ({ guildId, users, channels, roles } = harness.community);
    // An admin makes the team roles mentionable, as the /setup check asks; otherwise pings reach nobody.
    for (const roleId of Object.values(roles)) harness.standIn.state.requireGuild(guildId).roles.get(roleId)!.mentionable = true;
    db = openBotDatabase(harness.databasePath);
  });

  afterAll(async () => {
    db?.close();
    await harness?.stop();
  });

  const at = (channelId: string, userId: string, locale = 'en-US') => ({ guildId, channelId, userId, locale });
  const requestOf = (userId: string): RequestRow =>
    db.prepare("select * from support_requests where guild_id = ? and requester_id = ? order by id desc limit 1").get(guildId, userId) as RequestRow;
  const requestById = (id: number) => db.prepare('select * from support_requests where id = ?').get(id) as RequestRow | undefined;
  const auditOf = (id: number) =>
    db.prepare('select action, actor_id, from_status, to_status, target_id from support_audit where request_id = ? order by id').all(id) as {
      action: string;
      actor_id: string | null;
      from_status: string | null;
      to_status: string | null;
      target_id: string | null;
    }[];
  const modlog = () => harness.standIn.messagesIn(channels.modlog).map((stored) => stored.message.content ?? '');
  const triageMessages = () => harness.standIn.messagesIn(channels.triage);

  /** `/support` → the modal → submit; returns the confirmation and the stored request. */
  async function openRequest(
    userId: string,
    fields: { topic?: string; language?: 'en' | 'es'; urgent?: boolean; description?: string } = {},
    locale = 'en-US',
  ) {
    const command = harness.standIn.chatInput({ ...at(channels.general, userId, locale), command: 'support' });
    await command.response();
    const modal = command.modal;
    if (!modal) throw new Error(`no modal: ${text(await command.waitForMessage())}`);
    const submit = harness.standIn.submitModal({
      ...at(channels.general, userId, locale),
      customId: String(modal.custom_id),
      fields: {
        topic: [fields.topic ?? 'asylum'],
        description: fields.description ?? `I need help. ${SENTINEL}`,
        language: [fields.language ?? 'en'],
        urgent: [fields.urgent ? 'yes' : 'no'],
      },
    });
    const reply = await submit.waitForMessage(undefined, 15_000);
    return { submit, reply, modal };
  }

  const press = (channelId: string, userId: string, message: StoredMessage | APIMessage, customId: string, locale = 'en-US') => {
    const id = 'message' in message ? message.message.id : message.id;
    return harness.standIn.clickButton({ ...at(channelId, userId, locale), messageId: id, customId });
  };
  const answer = async (handle: InteractionHandle) => (await handle.waitForMessage(undefined, 15_000)).content ?? '';
  const triage = (userId: string, channelId: string, subcommand: string, options: Record<string, string | number | boolean> = {}) =>
    harness.standIn.chatInput({ ...at(channelId, userId), command: 'triage', subcommand, options });
  const intakeOf = (row: RequestRow) => harness.standIn.message(row.intake_message_id)!;
  const announcementOf = (row: RequestRow) => harness.standIn.message(row.triage_message_id!)!;
  const idsOf = (message: StoredMessage) => buttons(message.message).map((button) => button.customId);

  it('/support answers with the form itself: topic, description, language and urgency', async () => {
    const command = harness.standIn.chatInput({ ...at(channels.general, users.volunteer), command: 'support' });
    const callback = await command.response();
    expect(callback.type).toBe(9);
    const modal = command.modal!;
    expect(String(modal.title)).toBe('Request private help');
    const fields = text(modal);
    for (const id of ['"topic"', '"description"', '"language"', '"urgent"']) expect(fields).toContain(`"custom_id":${id}`);
    expect(fields).toContain('"max_length":4000');
    expect(fields).toContain('Visa and relocation');
    expect(command.rejectedCallbacks).toEqual([]);
  });

  it('opens a private thread only the requester and the team can see, with the intake message and a staff-only announcement', async () => {
    const { reply, submit } = await openRequest(users.member, { topic: 'visa' });
    expect(submit.ephemeral).toBe(true);
    const row = requestOf(users.member);
    expect(row).toMatchObject({ number: 1, status: 'open', topic: 'visa', language: 'en', urgent: 0 });
    expect(reply.content).toContain(`<#${row.thread_id}>`);
    expect(reply.content).toContain('Only you, the support team and moderators can see it');

    const thread = harness.standIn.channel(row.thread_id) as { type: number; name: string; parent_id: string; thread_metadata: { invitable: boolean } };
    expect(thread).toMatchObject({ type: ChannelType.PrivateThread, name: 'support-0001', parent_id: channels.support });
    expect(thread.thread_metadata.invitable).toBe(false);
    expect(harness.standIn.threadMemberIds(row.thread_id)).toContain(users.member);
    expect(harness.standIn.canView(users.member, row.thread_id)).toBe(true);
    expect(harness.standIn.canView(users.moderator, row.thread_id)).toBe(true); // Manage Threads
    expect(harness.standIn.canView(users.otherMember, row.thread_id)).toBe(false);
    expect(harness.standIn.canView(users.supporter, row.thread_id)).toBe(false); // until they join

    const intake = intakeOf(row);
    expect(intake.message.channel_id).toBe(row.thread_id);
    expect(text(intake.message.embeds)).toContain(SENTINEL);
    expect(text(intake.message.embeds)).toContain('Visa and relocation');
    expect(text(intake.message.embeds)).toContain('English');
    expect(intake.message.content).toContain('Status: **Open**');
    expect(idsOf(intake)).toEqual([`v1:triage:claim:${row.id}`, `v1:triage:waiting:${row.id}`, `v1:triage:close:${row.id}`]);
    expect(intake.pingedUserIds).toEqual([]);

    const announcement = announcementOf(row);
    expect(announcement.message.channel_id).toBe(channels.triage);
    expect(announcement.message.content).toContain('#0001');
    expect(text(announcement.message)).toContain('Visa and relocation');
    expect(announcement.pingedRoleIds).toEqual([roles.support]);
    expect(text(announcement.message)).not.toContain(SENTINEL);
    expect(text(announcement.message)).not.toContain(users.member);
    expect(text(announcement.message)).not.toContain('maria');
    expect(idsOf(announcement)).toEqual([`v1:triage:join:${row.id}`, `v1:triage:claim:${row.id}`]);
    expect(modlog().some((line) => line.includes('#0001 opened by the requester'))).toBe(true);
  });

  it('Join adds a support volunteer to the thread; a member who is not staff is refused', async () => {
    const row = requestOf(users.member);
    const announcement = announcementOf(row);
    const joined = await answer(press(channels.triage, users.supporter, announcement, `v1:triage:join:${row.id}`));
    expect(joined).toContain(`You joined request #0001: <#${row.thread_id}>`);
    expect(harness.standIn.threadMemberIds(row.thread_id)).toContain(users.supporter);
    expect(harness.standIn.canView(users.supporter, row.thread_id)).toBe(true);

    // A misconfigured triage channel lets a plain member see the button: the bot still refuses.
    const original = harness.standIn.state.requireChannel(channels.triage).overwrites.map((overwrite) => ({ ...overwrite }));
    harness.standIn.setPermissionOverwrite(channels.triage, { id: users.otherMember, type: 'member', allow: PermissionFlagsBits.ViewChannel });
    const refused = await answer(press(channels.triage, users.otherMember, announcement, `v1:triage:join:${row.id}`));
    expect(refused).toContain('Only moderators and the support team can do this.');
    expect(harness.standIn.canView(users.otherMember, row.thread_id)).toBe(false);
    harness.standIn.setPermissionOverwrites(channels.triage, original);
    expect(auditOf(row.id).map((entry) => [entry.action, entry.actor_id])).toEqual([
      ['opened', users.member],
      ['joined', users.supporter],
    ]);
  });

  it('notices who posts in the thread (never what): the first staff reply is recorded', async () => {
    const row = requestOf(users.member);
    harness.standIn.simulateUserMessage(row.thread_id, users.member, `more details ${SENTINEL}`);
    harness.standIn.simulateUserMessage(row.thread_id, users.supporter, 'Hello, I can help.');
    const replied = await eventually(() => requestById(row.id)?.first_staff_reply_at, 'the first staff reply time');
    expect(replied).toBeGreaterThan(0);
  });

  it('claim, waiting, back to open, close and reopen by buttons, each audited and logged without the text', async () => {
    const row = requestOf(users.member);
    const intake = () => intakeOf(requestById(row.id)!);

    // The requester cannot claim their own request.
    expect(await answer(press(row.thread_id, users.member, intake(), `v1:triage:claim:${row.id}`))).toContain('Only moderators and the support team');

    expect(await answer(press(row.thread_id, users.supporter, intake(), `v1:triage:claim:${row.id}`))).toContain('You claimed request #0001');
    expect(requestById(row.id)).toMatchObject({ assignee_id: users.supporter });
    await eventually(() => intake().message.content?.includes(`<@${users.supporter}>`), 'the intake to show the assignee');
    expect(idsOf(intake())).toEqual([`v1:triage:waiting:${row.id}`, `v1:triage:close:${row.id}`]);
    // A second claim, by someone else, is refused and changes nothing; the announcement's Claim is disabled.
    await eventually(() => buttons(announcementOf(row).message).find((button) => button.label === 'Claim')?.disabled, 'the disabled Claim button');
    expect(await answer(triage(users.moderator, row.thread_id, 'claim'))).toContain('has already claimed');
    expect(requestById(row.id)).toMatchObject({ assignee_id: users.supporter });

    expect(await answer(press(row.thread_id, users.supporter, intake(), `v1:triage:waiting:${row.id}`))).toContain('now waiting on the member');
    expect(requestById(row.id)?.status).toBe('waiting');
    await eventually(() => idsOf(intake()).includes(`v1:triage:open:${row.id}`), 'the back-to-open button');
    expect(harness.standIn.messagesIn(row.thread_id).some((stored) => stored.message.content?.includes('The team is waiting for your reply'))).toBe(true);
    expect(await answer(press(row.thread_id, users.supporter, intake(), `v1:triage:open:${row.id}`))).toContain('is open again');

    // The requester closes their own request: archived, locked, told how to reopen.
    expect(await answer(press(row.thread_id, users.member, intake(), `v1:triage:close:${row.id}`))).toContain('Request #0001 is closed');
    expect(requestById(row.id)).toMatchObject({ status: 'closed' });
    const thread = harness.standIn.channel(row.thread_id) as { thread_metadata: { archived: boolean; locked: boolean } };
    expect(thread.thread_metadata).toMatchObject({ archived: true, locked: true });
    const closedNote = harness.standIn.messagesIn(row.thread_id).find((stored) => stored.message.content?.includes('This request was closed by the requester'))!;
    expect(closedNote.message.content).toContain('Press **Reopen**');
    expect(idsOf(closedNote)).toEqual([`v1:triage:reopen:${row.id}`, `v1:triage:forget:${row.id}`]);
    expect(idsOf(announcementOf(row))).toEqual([]);
    // No closing a closed request.
    await eventually(() => idsOf(intake()).includes(`v1:triage:reopen:${row.id}`), 'the intake to show Reopen');
    expect(idsOf(intake())).toEqual([`v1:triage:reopen:${row.id}`, `v1:triage:forget:${row.id}`]);
    expect(await answer(triage(users.moderator, row.thread_id, 'close'))).toContain('already closed');

    // Another member cannot reopen it; the requester can.
    expect(await answer(press(row.thread_id, users.moderator, closedNote, `v1:triage:reopen:${row.id}`))).toContain('Request #0001 is reopened');
    expect((harness.standIn.channel(row.thread_id) as { thread_metadata: { archived: boolean; locked: boolean } }).thread_metadata).toMatchObject({
      archived: false,
      locked: false,
    });
    expect(requestById(row.id)?.status).toBe('open');

    expect(auditOf(row.id).map((entry) => [entry.action, entry.actor_id, entry.to_status])).toEqual([
      ['opened', users.member, 'open'],
      ['joined', users.supporter, null],
      ['claimed', users.supporter, null],
      ['status', users.supporter, 'waiting'],
      ['status', users.supporter, 'open'],
      ['closed', users.member, 'closed'],
      ['reopened', users.moderator, 'open'],
    ]);
    const log = await eventually(() => (modlog().some((line) => line.includes('#0001 reopened')) ? modlog() : null), 'the mod-log entries');
    expect(log.some((line) => line.includes(`#0001 claimed by <@${users.supporter}>`))).toBe(true);
    expect(log.some((line) => line.includes('#0001 closed by the requester'))).toBe(true);
    expect(text(log)).not.toContain(SENTINEL);
  });

  it('/triage in the thread: claim, assign, status, close with a reason, reopen; refused for non-staff and outside threads', async () => {
    const { reply } = await openRequest(users.otherMember, { topic: 'legal' });
    const row = requestOf(users.otherMember);
    expect(reply.content).toContain(`<#${row.thread_id}>`);
    const here = row.thread_id;

    expect(await answer(triage(users.otherMember, here, 'claim'))).toContain('Only moderators and the support team');
    expect(await answer(triage(users.moderator, channels.general, 'claim'))).toContain('Use this command inside a support thread');

    expect(await answer(triage(users.moderator, here, 'claim'))).toContain(`You claimed request #${String(row.number).padStart(4, '0')}`);
    expect(await answer(triage(users.moderator, here, 'assign', { user: users.volunteer }))).toContain('is not a moderator or on the support team');
    expect(await answer(triage(users.moderator, here, 'assign', { user: users.spanishSupporter }))).toContain(`assigned to <@${users.spanishSupporter}>`);
    expect(harness.standIn.threadMemberIds(here)).toContain(users.spanishSupporter);
    expect(harness.standIn.canView(users.spanishSupporter, here)).toBe(true);

    expect(await answer(triage(users.moderator, here, 'status', { status: 'waiting' }))).toContain('waiting on the member');
    expect(await answer(triage(users.moderator, here, 'status', { status: 'waiting' }))).toContain('already waiting');
    expect(await answer(triage(users.moderator, here, 'status', { status: 'open' }))).toContain('is open again');
    expect(await answer(triage(users.moderator, here, 'reopen'))).toContain('not closed');

    const reason = 'Referred to a partner organisation';
    expect(await answer(triage(users.moderator, here, 'close', { reason }))).toContain('is closed');
    const note = harness.standIn.messagesIn(here).find((stored) => stored.message.content?.includes(`Reason: ${reason}`));
    expect(note).toBeDefined();
    expect(requestById(row.id)?.status).toBe('closed');
    expect(text(db.prepare('select * from support_audit').all())).not.toContain(reason);
    expect(await answer(triage(users.moderator, here, 'reopen'))).toContain('is reopened');
    expect(auditOf(row.id).map((entry) => entry.action)).toEqual(['opened', 'claimed', 'assigned', 'status', 'status', 'closed', 'reopened']);
    expect(auditOf(row.id)[2]).toMatchObject({ actor_id: users.moderator, target_id: users.spanishSupporter });
    await eventually(() => modlog().some((line) => line.includes(`assigned it to <@${users.spanishSupporter}>`)), 'the assignment in the mod-log');
    expect(text(modlog())).not.toContain(reason);
  });

  it('a second /support links to the open request instead of opening another', async () => {
    const row = requestOf(users.member);
    const again = harness.standIn.chatInput({ ...at(channels.general, users.member), command: 'support' });
    const message = await again.waitForMessage();
    expect(again.modal).toBeNull();
    expect(again.ephemeral).toBe(true);
    expect(message.content).toContain(`You already have an open request: <#${row.thread_id}>`);
  });

  it('a Spanish request is written in Spanish and pings the Spanish support team only', async () => {
    const spanishMember = harness.standIn.createMember(guildId, { username: 'lucia_miembro' });
    const { reply } = await openRequest(spanishMember, { topic: 'asylum', language: 'es' }, 'es-419');
    expect(reply.content).toContain('Tu hilo privado de apoyo está listo');
    const row = requestOf(spanishMember);
    expect(row.language).toBe('es');
    expect(intakeOf(row).message.content).toContain('Este es tu hilo privado de apoyo');
    expect(text(intakeOf(row).message.embeds)).toContain('Asilo');
    const announcement = announcementOf(row);
    expect(announcement.pingedRoleIds).toEqual([roles.spanishSupport]);
    expect(text(announcement.allowedMentions)).toContain(roles.spanishSupport);
    expect(text(announcement.allowedMentions)).not.toContain(roles.support);
    expect(announcement.message.content).toContain('Nueva solicitud de apoyo');
    expect(await answer(press(channels.triage, users.spanishSupporter, announcement, `v1:triage:join:${row.id}`, 'es-ES'))).toContain('Te uniste');
    expect(harness.standIn.canView(users.spanishSupporter, row.thread_id)).toBe(true);
  });

  it('an urgent request gets emergency guidance in the thread and pings the team and moderators at once', async () => {
    const urgentMember = harness.standIn.createMember(guildId, { username: 'urgent_member' });
    const { reply } = await openRequest(urgentMember, { topic: 'safety', urgent: true });
    expect(reply.content).toContain('marked urgent');
    const row = requestOf(urgentMember);
    expect(row.urgent).toBe(1);
    const guidance = await eventually(
      () => harness.standIn.messagesIn(row.thread_id).find((stored) => stored.message.content?.includes('immediate danger')),
      'the emergency guidance',
    );
    expect(guidance.message.content).toContain('**911**');
    expect(guidance.message.content).toContain('text 911');
    expect(guidance.message.content).toContain('**112**');
    const announcement = announcementOf(row);
    expect(announcement.message.content).toContain('Urgent / safety');
    expect([...announcement.pingedRoleIds].sort()).toEqual([roles.support, roles.moderator].sort());

    // It comes first in the queue, and the queue links to the threads.
    const queue = await harness.standIn.chatInput({ ...at(channels.triage, users.moderator), command: 'triage', subcommand: 'queue' }).waitForMessage();
    const lines = (queue.embeds?.[0]?.description ?? '').split('\n');
    expect(lines[0]).toContain(`#${String(row.number).padStart(4, '0')}`);
    expect(lines[0]).toContain(`<#${row.thread_id}>`);
    expect(text(queue)).not.toContain(SENTINEL);
  });

  it('blocked members are told politely; unblocking lets them in again', async () => {
    const blocked = harness.standIn.createMember(guildId, { username: 'blocked_member' });
    expect(await answer(triage(users.supporter, channels.triage, 'block', { user: blocked, days: 3 }))).toContain('Only moderators can do this');
    expect(await answer(triage(users.moderator, channels.triage, 'block', { user: blocked, days: 3 }))).toContain('cannot open support requests until');
    const refused = harness.standIn.chatInput({ ...at(channels.general, blocked), command: 'support' });
    expect((await refused.waitForMessage()).content).toContain('Sorry, you cannot open support requests at the moment');
    expect(refused.modal).toBeNull();
    await eventually(() => modlog().some((line) => line.includes(`blocked <@${blocked}>`)), 'the block in the mod-log');
    expect(await answer(triage(users.moderator, channels.triage, 'unblock', { user: blocked }))).toContain('can open support requests again');
    const allowed = harness.standIn.chatInput({ ...at(channels.general, blocked), command: 'support' });
    await allowed.response();
    expect(allowed.modal).not.toBeNull();
  });

  it('without a usable support channel the member is told, staff get a note, and nothing is left behind', async () => {
    const requester = harness.standIn.createMember(guildId, { username: 'early_member' });
    const before = { threads: harness.standIn.threadsIn(channels.support).length, rows: (db.prepare('select count(*) as n from support_requests').get() as { n: number }).n };

    // 1. The bot lacks Create Private Threads in the support channel.
    const botRole = harness.standIn.botRoleId(guildId);
    harness.standIn.setPermissionOverwrite(channels.support, { id: botRole, type: 'role', deny: PermissionFlagsBits.CreatePrivateThreads });
    const denied = await openRequest(requester);
    expect(denied.reply.content).toContain('support requests cannot be opened right now');
    await eventually(() => modlog().some((line) => line.includes('the bot is missing: Create Private Threads')), 'the permissions note');
    harness.standIn.setPermissionOverwrites(channels.support, []);

    // 2. Discord refuses to add the member to the new thread: the thread and the reservation are removed.
    harness.standIn.failNext({ method: 'PUT', path: /\/thread-members\//, status: 403, code: 50013, message: 'Missing Permissions' });
    const failed = await openRequest(requester);
    expect(failed.reply.content).toContain('could not be created, and nothing was kept');
    await eventually(() => modlog().some((line) => line.includes('Creating a private support thread')), 'the failure note');

    // 3. No support channel configured at all.
    db.prepare('update guild_settings set support_channel_id = null where guild_id = ?').run(guildId);
    const unset = await openRequest(requester);
    expect(unset.reply.content).toContain('support requests cannot be opened right now');
    await eventually(() => modlog().some((line) => line.includes('no support channel is set')), 'the not-configured note');
    db.prepare('update guild_settings set support_channel_id = ? where guild_id = ?').run(channels.support, guildId);

    expect(harness.standIn.threadsIn(channels.support).length).toBe(before.threads);
    expect((db.prepare('select count(*) as n from support_requests').get() as { n: number }).n).toBe(before.rows);
    const works = await openRequest(requester);
    expect(works.reply.content).toContain('Your private support thread is ready');
  });

  it('support hours: outside them the requester is told when the team is next available; the panel button opens the form', async () => {
    const tomorrow = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][(new Date().getUTCDay() + 2) % 7]!;
    const setHours = await harness.standIn
      .chatInput({ ...at(channels.general, users.admin), command: 'setup', subcommand: 'hours', options: { timezone: 'UTC', schedule: `${tomorrow} 10:00-11:00` } })
      .waitForMessage();
    expect(setHours.content).toContain(`Support hours saved: \`${tomorrow} 10:00-11:00\` (UTC)`);
    const bad = await harness.standIn
      .chatInput({ ...at(channels.general, users.admin), command: 'setup', subcommand: 'hours', options: { timezone: 'Mars/Base' } })
      .waitForMessage();
    expect(bad.content).toContain('not a time zone I know');

    const panel = await harness.standIn
      .chatInput({ ...at(channels.general, users.admin), command: 'setup', subcommand: 'panel', options: { channel: channels.general } })
      .waitForMessage();
    expect(panel.content).toContain(`Panel posted in <#${channels.general}>`);
    const posted = harness.standIn.messagesIn(channels.general).find((stored) => idsOf(stored).includes('v1:support:open'))!;
    expect(text(posted.message.embeds)).toContain('Need help?');
    expect(text(posted.message.embeds)).toContain('¿Necesitas ayuda?');

    const late = harness.standIn.createMember(guildId, { username: 'late_member' });
    const click = press(channels.general, late, posted, 'v1:support:open');
    await click.response();
    const modal = click.modal!;
    const submit = harness.standIn.submitModal({
      ...at(channels.general, late),
      customId: String(modal.custom_id),
      fields: { topic: ['other'], description: `Outside hours. ${SENTINEL}`, language: ['en'], urgent: ['no'] },
    });
    const reply = await submit.waitForMessage(undefined, 15_000);
    expect(reply.content).toContain('outside its support hours');
    expect(reply.content).toMatch(/Next available: <t:\d+:F>/);
    expect(requestOf(late).status).toBe('open');

    const cleared = await harness.standIn
      .chatInput({ ...at(channels.general, users.admin), command: 'setup', subcommand: 'hours', options: { clear: true } })
      .waitForMessage();
    expect(cleared.content).toContain('Support hours cleared');
  });

  it('/triage stats and the reminder and retention jobs', async () => {
    const stats = await triage(users.moderator, channels.triage, 'stats').waitForMessage();
    expect(stats.embeds?.[0]?.title).toBe('Support statistics');
    expect(text(stats.embeds)).toMatch(/Open: \*\*\d+\*\*/);
    expect(text(stats.embeds)).toContain('Median time to first staff reply');

    // A request waiting two days for a reply is listed in the triage channel, once.
    const waiting = requestOf(users.otherMember);
    db.prepare('update support_requests set awaiting_staff_since = ? where id = ?').run(Date.now() - 2 * DAY, waiting.id);
    const reminder = await eventually(
      () => triageMessages().find((stored) => stored.message.content?.includes('waited more than 24 h for a reply')),
      'the reminder',
    );
    expect(reminder.message.content).toContain(`<#${waiting.thread_id}>`);
    expect(text(reminder.message)).not.toContain(SENTINEL);
    // The job records the reminder right after posting it, so the row may lag the message briefly.
    const reminded = await eventually(
      () => (db.prepare('select last_reminded_at from support_requests where id = ?').get(waiting.id) as { last_reminded_at: number | null }).last_reminded_at,
      'the reminder to be recorded',
    );
    expect(reminded).toEqual(expect.any(Number));

    // A request closed long ago is deleted with its audit.
    const spanish = db.prepare("select * from support_requests where language = 'es' limit 1").get() as RequestRow;
    await answer(triage(users.moderator, spanish.thread_id, 'close'));
    db.prepare('update support_requests set closed_at = ? where id = ?').run(Date.now() - 400 * DAY, spanish.id);
    await eventually(() => requestById(spanish.id) === undefined, 'retention to delete the closed request');
    expect(auditOf(spanish.id)).toEqual([]);
  });

  it('/triage queue pages with buttons and lets staff join a listed request from its menu', async () => {
    for (let n = 0; n < 11; n++) {
      const userId = harness.standIn.createMember(guildId, { username: `queue_member_${n}` });
      await openRequest(userId, { topic: n % 2 ? 'legal' : 'visa' });
    }
    const queue = harness.standIn.chatInput({ ...at(channels.triage, users.supporter), command: 'triage', subcommand: 'queue', options: { status: 'open' } });
    const first = await queue.waitForMessage();
    expect(queue.ephemeral).toBe(true);
    const firstLines = (first.embeds?.[0]?.description ?? '').split('\n');
    expect(firstLines).toHaveLength(10);
    expect(first.embeds?.[0]?.footer?.text).toMatch(/^Page 1 of 2 · \d+ requests$/);
    const next = buttons(first).find((button) => button.label === 'Next')!;
    const paged = harness.standIn.clickButton({ ...at(channels.triage, users.supporter), messageId: first.id, customId: next.customId });
    const second = await paged.waitForMessage((message) => (message.embeds?.[0]?.footer?.text ?? '').startsWith('Page 2 of 2'), 15_000);
    const secondLines = (second.embeds?.[0]?.description ?? '').split('\n');
    expect(secondLines.length).toBeGreaterThan(0);
    expect(secondLines.some((line) => firstLines.includes(line))).toBe(false);

    // Join the last listed request from the menu.
    const menu = (second.components ?? [])
      .flatMap((row) => ('components' in row ? (row.components as unknown[]) : []))
      .find((component) => (component as { type: number }).type === 3) as { custom_id: string; options: { value: string }[] } | undefined;
    const chosen = menu!.options.at(-1)!.value;
    const target = requestById(Number(chosen))!;
    expect(harness.standIn.canView(users.supporter, target.thread_id)).toBe(false);
    const pick = harness.standIn.selectMenu({ ...at(channels.triage, users.supporter), messageId: second.id, customId: menu!.custom_id, values: [chosen] });
    expect(await answer(pick)).toContain(`<#${target.thread_id}>`);
    expect(harness.standIn.canView(users.supporter, target.thread_id)).toBe(true);
  });

  it('/privacy mydata lists the member’s support requests (metadata only)', async () => {
    const mine = await harness.standIn.chatInput({ ...at(channels.general, users.member), command: 'privacy', subcommand: 'mydata' }).waitForMessage();
    const embed = text(mine.embeds);
    expect(embed).toContain('Support requests');
    expect(embed).toContain('#0001 · Visa and relocation · English · Open');
    expect(embed).not.toContain(SENTINEL);
  });

  it('the request text is in the thread only: never in the database file or the logs', async () => {
    const intakes = harness.standIn.botMessages().filter((stored) => text(stored.message.embeds).includes(SENTINEL));
    expect(intakes.length).toBeGreaterThanOrEqual(3);
    const files = [harness.databasePath, `${harness.databasePath}-wal`].filter((path) => existsSync(path));
    for (const path of files) expect(readFileSync(path).includes(Buffer.from(SENTINEL))).toBe(false);
    expect(harness.bot.stdout).not.toContain(SENTINEL);
    expect(harness.bot.stderr).not.toContain(SENTINEL);
    expect(harness.bot.stdout).toContain('support request opened');
    expect(harness.bot.errors().filter((line) => !String(line.msg).includes('rolling back'))).toEqual([]);
  });
});
