import type Database from 'better-sqlite3';
import type { APIMessage } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../src/stand-in/index.js';
import { startHarness, type Harness, openBotDatabase } from '../support/harness.js';
import { eventually } from '../support/eventually.js';
import { buttons, customIds } from '../support/messages.js';

const text = (value: unknown) => JSON.stringify(value);
const DAY = 24 * 60 * 60 * 1000;


describe('volunteer task board, end to end', () => {
  let harness: Harness;
  /** The mention of `/task <subcommand>` with the id the stand-in assigned at registration. */
  const taskCommand = (subcommand: string) =>
    `</task ${subcommand}:${harness.standIn.guildCommands(harness.community.guildId).find((command) => command.name === 'task')?.id}>`;
  let db: Database.Database;

  beforeAll(async () => {
    // Run the reminder job every second so tests drive it through the database, never by sleeping.
    harness = await startHarness({ env: { TASK_REMINDER_CRON: '* * * * * *' } });
    db = openBotDatabase(harness.databasePath);
  });

  afterAll(async () => {
    db?.close();
    await harness?.stop();
  });

  const base = () => ({ guildId: harness.community.guildId, channelId: harness.community.channels.general, locale: 'en-US' as const });
  const task = (userId: string, subcommand: string, options: Record<string, string | number | boolean> = {}) =>
    harness.standIn.chatInput({ ...base(), userId, command: 'task', subcommand, options });
  const admin = (userId: string, subcommand: string, options: Record<string, string | number | boolean> = {}) =>
    harness.standIn.chatInput({ ...base(), userId, command: 'task-admin', subcommand, options });
  const row = (number: number) =>
    db.prepare('select * from tasks where guild_id = ? and number = ?').get(harness.community.guildId, number) as Record<string, unknown>;
  const tasksChannel = () => harness.standIn.messagesIn(harness.community.channels.tasks);
  const announcementOf = (number: number): StoredMessage | undefined => {
    const id = row(number)?.announcement_message_id;
    return typeof id === 'string' ? harness.standIn.message(id) : undefined;
  };
  const dmsTo = (userId: string) =>
    harness.standIn.botMessages().filter((stored) => {
      const channel = harness.standIn.channel(stored.message.channel_id) as { type: number; recipients?: { id: string }[] };
      return channel.type === 1 && (channel.recipients ?? []).some((recipient) => recipient.id === userId);
    });

  /** Creates a task as the moderator and returns its number, read from the reply. */
  async function createTask(title: string, extra: Record<string, string> = {}): Promise<number> {
    const reply = await admin(harness.community.users.moderator, 'create', {
      title,
      description: `Description of ${title}`,
      skill: 'research',
      ...extra,
    }).waitForMessage();
    const match = /Created task \*\*#(\d+)\*\*/.exec(reply.content ?? '');
    if (!match) throw new Error(`create failed: ${text(reply)}`);
    return Number(match[1]);
  }

  it('a moderator creates a task; it is announced in the tasks channel with a Claim button', async () => {
    const { community } = harness;
    const handle = admin(community.users.moderator, 'create', {
      title: 'Research Portuguese visa rules',
      description: 'Summarise the official pages for the D7 visa.',
      skill: 'research',
      due: 'in 10 days',
      link: 'https://vistos.mne.gov.pt/en/',
    });
    const reply = await handle.waitForMessage();
    expect(handle.ephemeral).toBe(true);
    const number = Number(/Created task \*\*#(\d+)\*\*/.exec(reply.content ?? '')?.[1]);
    expect(number).toBeGreaterThan(0);
    expect(reply.content).toContain(`Announced in <#${community.channels.tasks}>`);

    const announcement = await eventually(() => announcementOf(number), 'the announcement');
    expect(announcement.message.channel_id).toBe(community.channels.tasks);
    expect(announcement.message.content).toContain(`#${number}`);
    expect(announcement.message.embeds[0]?.title).toBe(`#${number} · Research Portuguese visa rules`);
    expect(text(announcement.message.embeds)).toContain('Research');
    expect(text(announcement.message.embeds)).toContain('https://vistos.mne.gov.pt/en/');
    expect(customIds(announcement.message)).toEqual([`v1:task:claim:${number}`]);
    expect(row(number)).toMatchObject({ status: 'open', creator_id: community.users.moderator, origin: 'manual' });
  });

  it('members cannot create tasks; support staff who are not moderators cannot either', async () => {
    const { community } = harness;
    const count = () => (db.prepare('select count(*) as n from tasks').get() as { n: number }).n;
    const before = count();
    const member = await admin(community.users.member, 'create', { title: 'x', description: 'y', skill: 'other' }).waitForMessage();
    expect(member.content).toContain('Only moderators and the support team');
    const supporter = await admin(community.users.supporter, 'create', { title: 'x', description: 'y', skill: 'other' }).waitForMessage();
    expect(supporter.content).toContain('Only moderators can manage volunteer tasks');
    expect(count()).toBe(before);
  });

  it('refuses bad input with a clear message and creates nothing', async () => {
    const { community } = harness;
    const count = () => (db.prepare('select count(*) as n from tasks').get() as { n: number }).n;
    const before = count();
    const mod = community.users.moderator;
    const past = await admin(mod, 'create', { title: 't', description: 'd', skill: 'design', due: '2020-01-01' }).waitForMessage();
    expect(past.content).toContain('is in the past');
    const nonsense = await admin(mod, 'create', { title: 't', description: 'd', skill: 'design', due: 'whenever' }).waitForMessage();
    expect(nonsense.content).toContain('I could not read the due date');
    const http = await admin(mod, 'create', { title: 't', description: 'd', skill: 'design', link: 'http://example.org' }).waitForMessage();
    expect(http.content).toContain('not a valid https link');
    const spanish = await harness.standIn
      .chatInput({ ...base(), locale: 'es-419', userId: mod, command: 'task-admin', subcommand: 'create', options: { title: 't', description: 'd', skill: 'design', due: 'ayer' } })
      .waitForMessage();
    expect(spanish.content).toContain('No entendí la fecha límite');
    expect(count()).toBe(before);
  });

  it('claim by button, refusal for a second claimant, release, claim by command, done', async () => {
    const { community, standIn } = harness;
    const { volunteer, member, otherMember } = community.users;
    const number = await createTask('Draft a flyer about asylum first steps');
    const announcement = await eventually(() => announcementOf(number), 'the announcement');

    // Claim with the announcement's button.
    const click = standIn.clickButton({ ...base(), channelId: community.channels.tasks, userId: volunteer, messageId: announcement.message.id, customId: `v1:task:claim:${number}` });
    const claimed = await click.waitForMessage();
    expect(click.ephemeral).toBe(true);
    expect(claimed.content).toContain(`You claimed **#${number}**`);
    expect(row(number)).toMatchObject({ status: 'claimed', claimant_id: volunteer });
    const edited = await eventually(() => {
      const current = announcementOf(number)?.message;
      return current && text(current.embeds).includes(`<@${volunteer}>`) ? current : undefined;
    }, 'the announcement to show the claim');
    expect(customIds(edited)).toEqual([`v1:task:done:${number}`, `v1:task:release:${number}`]);
    expect(edited.id).toBe(announcement.message.id);

    // Someone else is told who holds it.
    const late = await task(member, 'claim', { id: number }).waitForMessage();
    expect(late.content).toContain(`already claimed by <@${volunteer}>`);
    const notYours = await task(member, 'release', { id: number }).waitForMessage();
    expect(notYours.content).toContain(`is claimed by <@${volunteer}>`);
    expect(row(number)).toMatchObject({ status: 'claimed', claimant_id: volunteer });

    // The claimant releases it; the announcement offers Claim again.
    const released = await task(volunteer, 'release', { id: number }).waitForMessage();
    expect(released.content).toContain(`You released **#${number}**`);
    expect(row(number)).toMatchObject({ status: 'open', claimant_id: null });
    await eventually(() => customIds(announcementOf(number)?.message).join() === `v1:task:claim:${number}`, 'the Claim button to return');

    // Claimed by command, completed with a note by the claimant only.
    const byCommand = await task(otherMember, 'claim', { id: number }).waitForMessage();
    expect(byCommand.content).toContain(`You claimed **#${number}**`);
    const stranger = await task(member, 'done', { id: number }).waitForMessage();
    expect(stranger.content).toContain(`is claimed by <@${otherMember}>`);
    const done = await task(otherMember, 'done', { id: number, note: 'Flyer draft is in the shared drive.' }).waitForMessage();
    expect(done.content).toContain(`**#${number}**`);
    expect(done.content).toContain('is done');
    expect(row(number)).toMatchObject({ status: 'done', claimant_id: otherMember, done_note: 'Flyer draft is in the shared drive.' });
    const final = await eventually(() => {
      const current = announcementOf(number)?.message;
      return current && text(current.embeds).includes('Flyer draft is in the shared drive.') ? current : undefined;
    }, 'the announcement to show the task done');
    expect(customIds(final)).toEqual([]);
    expect(text(final.embeds)).toContain('Done');
  });

  it('two members pressing Claim at the same moment: exactly one wins, the other learns who', async () => {
    const { community, standIn } = harness;
    const number = await createTask('Proofread the relocation checklist');
    const announcement = await eventually(() => announcementOf(number), 'the announcement');
    const press = (userId: string) =>
      standIn.clickButton({ ...base(), channelId: community.channels.tasks, userId, messageId: announcement.message.id, customId: `v1:task:claim:${number}` });
    const clicks = [press(community.users.member), press(community.users.otherMember)];
    const replies = await Promise.all(clicks.map((click) => click.waitForMessage()));
    const winners = replies.filter((reply) => reply.content?.includes('You claimed'));
    expect(winners).toHaveLength(1);
    const holder = row(number).claimant_id as string;
    expect([community.users.member, community.users.otherMember]).toContain(holder);
    const loser = replies.find((reply) => !reply.content?.includes('You claimed'));
    expect(loser?.content).toContain(`already claimed by <@${holder}>`);
    // Free the slot for later cases.
    await task(holder, 'release', { id: number }).waitForMessage();
  });

  it('staff release and assign; moderators cancel; the claim limit holds', async () => {
    const { community } = harness;
    const { moderator, volunteer, supporter } = community.users;
    const settings = await admin(moderator, 'settings', { max_claims: 2 }).waitForMessage();
    expect(text(settings)).toContain('up to 2 tasks');
    const numbers = [await createTask('Limit one'), await createTask('Limit two'), await createTask('Limit three')];
    await task(volunteer, 'claim', { id: numbers[0]! }).waitForMessage();
    await task(volunteer, 'claim', { id: numbers[1]! }).waitForMessage();
    const limit = await task(volunteer, 'claim', { id: numbers[2]! }).waitForMessage();
    expect(limit.content).toContain('You already hold 2 tasks');
    expect(row(numbers[2]!).status).toBe('open');

    // Support staff may release someone's claim.
    const staffRelease = await task(supporter, 'release', { id: numbers[1]! }).waitForMessage();
    expect(staffRelease.content).toContain(`it was claimed by <@${volunteer}>`);
    const assigned = await admin(moderator, 'assign', { id: numbers[2]!, user: community.users.member }).waitForMessage();
    expect(assigned.content).toContain(`to <@${community.users.member}>`);
    expect(row(numbers[2]!)).toMatchObject({ status: 'claimed', claimant_id: community.users.member });
    const dm = await eventually(() => dmsTo(community.users.member).find((stored) => stored.message.content.includes(`#${numbers[2]}`)), 'the assignment DM');
    expect(dm.message.content).toContain('assigned you task');

    const cancelled = await admin(moderator, 'cancel', { id: numbers[1]! }).waitForMessage();
    expect(cancelled.content).toContain(`Cancelled **#${numbers[1]}**`);
    await eventually(() => text(announcementOf(numbers[1]!)?.message.embeds).includes('Cancelled'), 'the cancelled announcement');
    const edit = await admin(moderator, 'edit', { id: numbers[0]!, title: 'Limit one, renamed', due: 'tomorrow' }).waitForMessage();
    expect(edit.content).toContain('Limit one, renamed');
    await eventually(() => announcementOf(numbers[0]!)?.message.embeds[0]?.title?.includes('Limit one, renamed'), 'the edited announcement');

    for (const number of [numbers[0]!, numbers[2]!]) await admin(moderator, 'cancel', { id: number }).waitForMessage();
    await admin(moderator, 'settings', { max_claims: 3 }).waitForMessage();
  });

  it('lists open tasks in pages with Previous/Next, also from /volunteer\'s browse button', async () => {
    const { community, standIn } = harness;
    for (let i = 1; i <= 11; i++) await createTask(`Paged task ${i}`);
    const openCount = (db.prepare("select count(*) as n from tasks where guild_id = ? and status = 'open'").get(community.guildId) as { n: number }).n;
    expect(openCount).toBeGreaterThan(10);

    const list = task(community.users.member, 'list');
    const first = await list.waitForMessage();
    expect(list.ephemeral).toBe(true);
    expect(first.embeds[0]?.title).toBe('Open tasks');
    expect(first.embeds[0]?.footer?.text).toContain(`${openCount} tasks · page 1 of ${Math.ceil(openCount / 10)}`);
    expect((first.embeds[0]?.description?.match(/\*\*#\d+\*\*/g) ?? []).length).toBe(10);
    const [previous, next] = buttons(first);
    expect(previous).toMatchObject({ label: 'Previous', disabled: true });
    expect(next).toMatchObject({ label: 'Next', disabled: false });

    const page2 = standIn.clickButton({ ...base(), userId: community.users.member, messageId: first.id, customId: next!.customId });
    await page2.response();
    const second = await eventually(() => {
      const current = list.original;
      return current?.embeds[0]?.footer?.text?.includes('page 2') ? current : undefined;
    }, 'page 2');
    const numbersOn = (message: APIMessage): string[] => [...(message.embeds[0]?.description?.match(/\*\*#\d+\*\*/g) ?? [])];
    const firstNumbers = numbersOn(first);
    const secondNumbers = numbersOn(second);
    expect(secondNumbers.length).toBe(Math.min(10, openCount - 10));
    expect(secondNumbers.filter((entry) => firstNumbers.includes(entry))).toEqual([]);

    const skill = await task(community.users.member, 'list', { skill: 'legal-research' }).waitForMessage();
    expect(skill.embeds[0]?.description).toContain('There are no open Legal research tasks');

    const volunteer = standIn.chatInput({ ...base(), userId: community.users.volunteer, command: 'volunteer' });
    const card = await volunteer.waitForMessage();
    const browse = buttons(card).find((button) => button.customId === 'v1:task:browse');
    expect(browse).toBeDefined();
    const browsed = await standIn
      .clickButton({ ...base(), userId: community.users.volunteer, messageId: card.id, customId: 'v1:task:browse' })
      .waitForMessage();
    expect(browsed.embeds[0]?.title).toBe('Open tasks');
    expect((browsed.embeds[0]?.description?.match(/\*\*#\d+\*\*/g) ?? []).length).toBe(10);

    const spanish = await harness.standIn.chatInput({ ...base(), locale: 'es-419', userId: community.users.member, command: 'task', subcommand: 'list' }).waitForMessage();
    expect(spanish.embeds[0]?.title).toBe('Tareas abiertas');
    expect(buttons(spanish).map((button) => button.label)).toEqual(['Anterior', 'Siguiente']);
  });

  it('reminds the claimant of an overdue task by direct message', async () => {
    const { community } = harness;
    const number = await createTask('Overdue by DM', { due: 'tomorrow' });
    await task(community.users.volunteer, 'claim', { id: number }).waitForMessage();
    db.prepare('update tasks set due_at = ? where guild_id = ? and number = ?').run(Date.now() - DAY, community.guildId, number);
    const dm = await eventually(
      () => dmsTo(community.users.volunteer).find((stored) => stored.message.content.includes(`**#${number}**`)),
      'the overdue DM',
    );
    expect(dm.message.content).toContain('Overdue by DM');
    expect(dm.message.content).toContain('was due');
    // The command is a mention: the member's client shows it in their own language.
    expect(dm.message.content).toContain(`${taskCommand('done')} there with \`id:${number}\``);
    await eventually(() => row(number).reminded_at !== null, 'the reminder to be recorded');
    await task(community.users.volunteer, 'done', { id: number }).waitForMessage();
  });

  it('falls back to a mention in the tasks channel when the claimant\'s DMs are closed', async () => {
    const { community, standIn } = harness;
    const closed = community.users.otherMember;
    standIn.setDmsClosed(closed, true);
    const number = await createTask('Overdue with closed DMs', { due: 'tomorrow' });
    await task(closed, 'claim', { id: number }).waitForMessage();
    db.prepare('update tasks set due_at = ? where guild_id = ? and number = ?').run(Date.now() - DAY, community.guildId, number);
    const mention = await eventually(
      () => tasksChannel().find((stored) => stored.message.content.includes(`<@${closed}> reminder: task **#${number}**`)),
      'the fallback mention',
    );
    expect(mention.pingedUserIds).toEqual([closed]);
    expect(dmsTo(closed).some((stored) => stored.message.content.includes(`#${number}`))).toBe(false);
    standIn.setDmsClosed(closed, false);
    await task(closed, 'release', { id: number }).waitForMessage();
  });

  it('releases a claim idle past the configured days and announces it', async () => {
    const { community } = harness;
    const number = await createTask('Left idle');
    await task(community.users.member, 'claim', { id: number }).waitForMessage();
    await eventually(() => customIds(announcementOf(number)?.message).includes(`v1:task:release:${number}`), 'the claimed announcement');
    db.prepare('update tasks set activity_at = ?, claimed_at = ? where guild_id = ? and number = ?').run(
      Date.now() - 20 * DAY,
      Date.now() - 20 * DAY,
      community.guildId,
      number,
    );
    const notice = await eventually(
      () => tasksChannel().find((stored) => stored.message.content.includes(`**#${number}** Left idle is open again`)),
      'the idle release notice',
    );
    expect(notice.message.content).toContain('no activity for 14 days');
    expect(notice.pingedUserIds).toEqual([]);
    expect(row(number)).toMatchObject({ status: 'open', claimant_id: null });
    await eventually(() => customIds(announcementOf(number)?.message).join() === `v1:task:claim:${number}`, 'the Claim button to return');
    const dm = await eventually(() => dmsTo(community.users.member).find((stored) => stored.message.content.includes(`**#${number}** Left idle was released`)), 'the release DM');
    expect(dm.message.content).toContain('14 days');
  });

  it('suggests task numbers in the id option: open ones to claim, your own to complete', async () => {
    const { community, standIn } = harness;
    const number = await createTask('Autocomplete target');
    await task(community.users.volunteer, 'claim', { id: number }).waitForMessage();
    const suggest = async (userId: string, subcommand: string, typed: string) => {
      const handle = standIn.autocomplete({ ...base(), userId, command: 'task', subcommand, options: { id: typed }, focused: 'id' });
      await handle.response();
      return (handle.choices ?? []) as { name: string; value: number }[];
    };
    const mine = await suggest(community.users.volunteer, 'done', '');
    expect(mine).toContainEqual({ name: `#${number} · Autocomplete target`, value: number });
    expect(await suggest(community.users.member, 'done', '')).not.toContainEqual(expect.objectContaining({ value: number }));
    expect(await suggest(community.users.member, 'claim', 'Autocomplete')).toEqual([]);
    const open = await suggest(community.users.member, 'claim', 'Paged task 1');
    expect(open.length).toBeGreaterThan(0);
    expect(open.every((choice) => choice.name.includes('Paged task 1'))).toBe(true);
    await task(community.users.volunteer, 'release', { id: number }).waitForMessage();
  });

  it('warns a claimant before an idle claim is released; confirming keeps it', async () => {
    const { community } = harness;
    const number = await createTask('Nearly idle');
    await task(community.users.volunteer, 'claim', { id: number }).waitForMessage();
    db.prepare('update tasks set activity_at = ? where guild_id = ? and number = ?').run(Date.now() - 12 * DAY, community.guildId, number);
    const warning = await eventually(
      () => dmsTo(community.users.volunteer).find((stored) => stored.message.content.includes(`**#${number}** Nearly idle has had no activity`)),
      'the idle warning DM',
    );
    expect(warning.message.content).toContain(`${taskCommand('claim')} there with \`id:${number}\``);
    await eventually(() => row(number).idle_warned_at !== null, 'the warning to be recorded');
    const kept = await task(community.users.volunteer, 'claim', { id: number }).waitForMessage();
    expect(kept.content).toContain(`You already hold **#${number}**`);
    expect(row(number)).toMatchObject({ status: 'claimed', claimant_id: community.users.volunteer, idle_warned_at: null });
    expect(row(number).activity_at as number).toBeGreaterThan(Date.now() - DAY);

    const shown = task(community.users.member, 'show', { id: number });
    const card = await shown.waitForMessage();
    expect(shown.ephemeral).toBe(true);
    expect(card.embeds[0]?.title).toBe(`#${number} · Nearly idle`);
    expect(text(card.embeds)).toContain(`Claimed by <@${community.users.volunteer}>`);
    const missing = await task(community.users.member, 'show', { id: 9999 }).waitForMessage();
    expect(missing.content).toContain('There is no task #9999');
    await task(community.users.volunteer, 'release', { id: number }).waitForMessage();
  });

  it('shows stats per skill and a leaderboard of recent completions', async () => {
    const { community } = harness;
    const stats = await task(community.users.member, 'stats').waitForMessage();
    const body = text(stats.embeds);
    expect(body).toContain('Volunteer task board');
    expect(body).toMatch(/\*\*Research\*\*: \d+ open · \d+ claimed · \d+ done/);
    expect(body).toContain(`<@${community.users.otherMember}>`);
    expect(body).toContain(`<@${community.users.volunteer}>`);

    // A member can leave the leaderboard with /privacy, and come back.
    const privacy = (visible: boolean) =>
      harness.standIn
        .chatInput({ guildId: community.guildId, channelId: community.channels.general, userId: community.users.volunteer, command: 'privacy', subcommand: 'leaderboard', options: { visible } })
        .waitForMessage(undefined, 10_000);
    expect((await privacy(false)).content).toContain(`will not appear in the ${taskCommand('stats')} leaderboard`);
    const hidden = text((await task(community.users.member, 'stats').waitForMessage()).embeds);
    expect(hidden).not.toContain(`<@${community.users.volunteer}>`);
    expect(hidden).toContain(`<@${community.users.otherMember}>`);
    expect((await privacy(true)).content).toContain(`can appear in the ${taskCommand('stats')} leaderboard again`);
    expect(text((await task(community.users.member, 'stats').waitForMessage()).embeds)).toContain(`<@${community.users.volunteer}>`);
  });
});
