import type Database from 'better-sqlite3';
import type { APIEmbed, APIMessage } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCustomId } from '../../src/discord/custom-id.js';
import { guidePages, mappedPage } from '../../src/discord/guides/render.js';
import { GuideLibrary } from '../../src/domain/guides/index.js';
import { formatReviewDate } from '../../src/domain/guides/index.js';
import { DEFAULT_VOLUNTEER_FORM_URL } from '../../src/domain/guild-settings.js';
import { projectPath } from '../../src/paths.js';
import type { InteractionHandle } from '../../src/stand-in/index.js';
import { eventually } from '../support/eventually.js';
import { startHarness, type Harness, openBotDatabase } from '../support/harness.js';

// The same guides the bot loads, to know the expected titles and page counts.
const library = GuideLibrary.load(projectPath('locales'));
const EPHEMERAL = 1 << 6;

interface Component {
  type: number;
  custom_id?: string;
  label?: string;
  url?: string;
  disabled?: boolean;
  options?: { label: string; value: string; description?: string }[];
}

const components = (message: APIMessage): Component[] =>
  (message.components ?? []).flatMap((row) => ('components' in row ? (row.components as unknown as Component[]) : []));

/** The component whose custom id has this verb (or, for link buttons, the first with a URL). */
function byVerb(message: APIMessage, verb: string): Component {
  const found = components(message).find((component) => component.custom_id && decodeCustomId(component.custom_id)?.verb === verb);
  if (!found) throw new Error(`no "${verb}" component in ${JSON.stringify(message.components)}`);
  return found;
}

const embedOf = (message: APIMessage): APIEmbed => {
  const embed = message.embeds?.[0];
  if (!embed) throw new Error(`no embed in ${JSON.stringify(message)}`);
  return embed;
};

const pageOf = (message: APIMessage): [number, number] => {
  const match = /(\d+)\/(\d+)/.exec(embedOf(message).footer?.text ?? '');
  if (!match) throw new Error(`no page number in ${JSON.stringify(embedOf(message).footer)}`);
  return [Number(match[1]), Number(match[2])];
};

describe('/guide and /volunteer, end to end', () => {
  let harness: Harness;
  const handles: InteractionHandle[] = [];
  /** Every interaction goes through here so the last test can check none was refused. */
  const track = (handle: InteractionHandle) => {
    handles.push(handle);
    return handle;
  };
  const at = (userId: string, locale = 'en-US') => ({ guildId: harness.community.guildId, channelId: harness.community.channels.general, userId, locale });

  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('registers /guide topic (autocomplete), language, public and /volunteer, localized', () => {
    const commands = harness.standIn.registeredCommands(harness.community.guildId);
    const guide = commands.find((command) => command.name === 'guide');
    expect(guide?.name_localizations).toEqual({ 'es-ES': 'guía', 'es-419': 'guía' });
    expect(guide?.options?.map((option) => [option.name, option.type, 'autocomplete' in option ? option.autocomplete : undefined])).toEqual([
      ['topic', 3, true],
      ['language', 3, undefined],
      ['public', 5, undefined],
    ]);
    expect(commands.find((command) => command.name === 'volunteer')?.name_localizations?.['es-419']).toBe('voluntariado');
  });

  it('answers autocomplete in the member\'s language, accent- and case-insensitive, at most 25', async () => {
    const { users } = harness.community;
    const spanish = track(harness.standIn.autocomplete({ ...at(users.member, 'es-419'), command: 'guide', options: { topic: 'ASILO' }, focused: 'topic' }));
    await spanish.response();
    const choices = spanish.choices as { name: string; value: string }[];
    expect(choices[0]).toEqual({ name: library.get('asylum-eu-first-steps', 'es')?.guide.title, value: 'asylum-eu-first-steps' });
    expect(choices[0]?.name).toMatch(/^Asilo/);

    const english = track(harness.standIn.autocomplete({ ...at(users.member), command: 'guide', options: { topic: 'asylum' }, focused: 'topic' }));
    await english.response();
    expect((english.choices as { name: string }[])[0]?.name).toBe('Asylum in the EU: first steps');

    // A language chosen in the same command decides which titles are searched.
    const chosen = track(
      harness.standIn.autocomplete({ ...at(users.member, 'es-ES'), command: 'guide', options: { topic: 'asylum', language: 'en' }, focused: 'topic' }),
    );
    await chosen.response();
    expect((chosen.choices as { value: string }[])[0]?.value).toBe('asylum-eu-first-steps');

    const everything = track(harness.standIn.autocomplete({ ...at(users.member), command: 'guide', options: { topic: '' }, focused: 'topic' }));
    await everything.response();
    expect(everything.choices).toHaveLength(Math.min(25, library.size));
  });

  it('shows the index privately as a select menu, and a selection turns it into the guide', async () => {
    const { users } = harness.community;
    const command = track(harness.standIn.chatInput({ ...at(users.member), command: 'guide' }));
    const index = await command.waitForMessage();
    expect(command.ephemeral).toBe(true);
    expect(embedOf(index).title).toBe('Guides');
    const menu = byVerb(index, 'pick');
    expect(menu.options?.map((option) => option.label).sort()).toEqual(library.list('en').map((guide) => guide.title).sort());

    const pick = track(harness.standIn.selectMenu({ ...at(users.member), messageId: index.id, customId: menu.custom_id!, values: ['asylum-eu-first-steps'] }));
    const guide = await pick.waitForMessage();
    expect(guide.id).toBe(index.id);
    const embed = embedOf(guide);
    expect(embed.title).toBe('Asylum in the EU: first steps');
    expect(embed.footer?.text).toMatch(/^Last reviewed: [A-Z][a-z]+ \d{1,2}, \d{4} · Page 1\/\d+ · Information, not legal advice$/);
    expect(embed.fields?.[0]?.name).toBe('Sources');
    for (const source of library.get('asylum-eu-first-steps', 'en')!.guide.sources) expect(JSON.stringify(embed.fields)).toContain(source.url);
    expect(guide.flags! & EPHEMERAL).toBe(EPHEMERAL);
  });

  it('shows the index and guides in Spanish for a Spanish locale', async () => {
    const { users } = harness.community;
    const command = track(harness.standIn.chatInput({ ...at(users.otherMember, 'es-419'), command: 'guide' }));
    const index = await command.waitForMessage();
    expect(embedOf(index).title).toBe('Guías');
    expect(byVerb(index, 'pick').options?.find((option) => option.value === 'asylum-eu-first-steps')?.label).toMatch(/^Asilo/);

    const direct = track(harness.standIn.chatInput({ ...at(users.otherMember, 'es-ES'), command: 'guide', options: { topic: 'asilo' } }));
    const guide = await direct.waitForMessage();
    expect(embedOf(guide).title).toBe(library.get('asylum-eu-first-steps', 'es')?.guide.title);
    expect(embedOf(guide).footer?.text).toMatch(/^Última revisión: .* · Página 1\/\d+ · Información, no asesoramiento jurídico$/);
    expect(embedOf(guide).fields?.[0]?.name).toBe('Fuentes');
  });

  it('pages with Previous / Next (disabled at the ends) and switches language on the same section', async () => {
    const { users } = harness.community;
    const slug = 'persecution-protected-grounds';
    const enView = library.get(slug, 'en')!;
    const esView = library.get(slug, 'es')!;
    const total = guidePages(library, enView).length;
    expect(total).toBeGreaterThan(1);

    const command = track(harness.standIn.chatInput({ ...at(users.volunteer), command: 'guide', options: { topic: slug } }));
    let message = await command.waitForMessage();
    expect(pageOf(message)).toEqual([1, total]);
    expect(byVerb(message, 'prev').disabled).toBe(true);
    expect(byVerb(message, 'next').disabled).toBe(false);

    for (let page = 2; page <= total; page++) {
      const click = track(harness.standIn.clickButton({ ...at(users.volunteer), messageId: message.id, customId: byVerb(message, 'next').custom_id! }));
      message = await click.waitForMessage();
      expect(pageOf(message)).toEqual([page, total]);
    }
    expect(byVerb(message, 'next').disabled).toBe(true);
    expect(byVerb(message, 'prev').disabled).toBe(false);
    const back = track(harness.standIn.clickButton({ ...at(users.volunteer), messageId: message.id, customId: byVerb(message, 'prev').custom_id! }));
    message = await back.waitForMessage();
    expect(pageOf(message)).toEqual([total - 1, total]);

    const switchButton = byVerb(message, 'lang');
    expect(switchButton.label).toBe('Español');
    const toSpanish = track(harness.standIn.clickButton({ ...at(users.volunteer), messageId: message.id, customId: switchButton.custom_id! }));
    message = await toSpanish.waitForMessage();
    expect(embedOf(message).title).toBe(esView.guide.title);
    const expected = mappedPage(library, enView, total - 2, esView);
    expect(pageOf(message)).toEqual([expected + 1, guidePages(library, esView).length]);
    expect(byVerb(message, 'lang').label).toBe('English');

    const toEnglish = track(harness.standIn.clickButton({ ...at(users.volunteer), messageId: message.id, customId: byVerb(message, 'lang').custom_id! }));
    message = await toEnglish.waitForMessage();
    expect(embedOf(message).title).toBe(enView.guide.title);
    expect(pageOf(message)[0]).toBe(mappedPage(library, esView, expected, enView) + 1);

    const all = track(harness.standIn.clickButton({ ...at(users.volunteer), messageId: message.id, customId: byVerb(message, 'index').custom_id! }));
    message = await all.waitForMessage();
    expect(embedOf(message).title).toBe('Guides');
  });

  it('posts publicly with public:true; others page their own private copy, the author pages the public one', async () => {
    const { users, channels } = harness.community;
    const slug = 'safe-country-concepts';
    const command = track(harness.standIn.chatInput({ ...at(users.member), command: 'guide', options: { topic: slug, public: true } }));
    const posted = await command.waitForMessage();
    expect(command.ephemeral).toBe(false);
    expect(posted.flags ?? 0).toBe(0);
    expect(harness.standIn.messagesIn(channels.general).some((stored) => stored.message.id === posted.id)).toBe(true);

    const other = track(harness.standIn.clickButton({ ...at(users.otherMember), messageId: posted.id, customId: byVerb(posted, 'next').custom_id! }));
    const copy = await other.waitForMessage();
    expect(copy.id).not.toBe(posted.id);
    expect(copy.flags! & EPHEMERAL).toBe(EPHEMERAL);
    expect(pageOf(copy)[0]).toBe(2);
    expect(pageOf(harness.standIn.message(posted.id)!.message)[0]).toBe(1);

    const author = track(harness.standIn.clickButton({ ...at(users.member), messageId: posted.id, customId: byVerb(posted, 'next').custom_id! }));
    const paged = await author.waitForMessage();
    expect(paged.id).toBe(posted.id);
    expect(pageOf(paged)[0]).toBe(2);
    expect(paged.flags ?? 0).toBe(0);
  });

  it('answers an unknown topic with the closest matches, and a match opens in place', async () => {
    const { users } = harness.community;
    const command = track(harness.standIn.chatInput({ ...at(users.member), command: 'guide', options: { topic: 'refugee status' } }));
    const notFound = await command.waitForMessage();
    expect(command.ephemeral).toBe(true);
    expect(notFound.content).toContain('No guide matches "refugee status".');
    expect(notFound.content).toContain('Closest matches:');
    const suggestion = components(notFound).find((component) => component.label === 'Persecution and protected grounds');
    expect(suggestion).toBeDefined();

    const click = track(harness.standIn.clickButton({ ...at(users.member), messageId: notFound.id, customId: suggestion!.custom_id! }));
    const shown = await click.waitForMessage();
    expect(shown.id).toBe(notFound.id);
    expect(shown.content ?? '').toBe('');
    expect(embedOf(shown).title).toBe('Persecution and protected grounds');

    const nothing = track(harness.standIn.chatInput({ ...at(users.member, 'es-ES'), command: 'guide', options: { topic: 'qqqq zzzz' } }));
    expect((await nothing.waitForMessage()).content).toBe(
      `Ninguna guía coincide con «qqqq zzzz».\nUsa </guide:${harness.standIn.guildCommands(harness.community.guildId).find((command) => command.name === 'guide')?.id}> sin tema para ver todas las guías.`,
    );
  });

  it('keeps public:true through "did you mean" and the index', async () => {
    const { users } = harness.community;
    const command = track(harness.standIn.chatInput({ ...at(users.member), command: 'guide', options: { topic: 'refugee status', public: true } }));
    const notFound = await command.waitForMessage();
    // Only the asker sees that nothing matched…
    expect(command.ephemeral).toBe(true);
    const suggestion = components(notFound).find((component) => component.label === 'Persecution and protected grounds');
    const click = track(harness.standIn.clickButton({ ...at(users.member), messageId: notFound.id, customId: suggestion!.custom_id! }));
    const posted = await click.waitForMessage();
    // …but the guide they picked is posted for the channel, as they asked.
    expect(posted.id).not.toBe(notFound.id);
    expect(posted.flags ?? 0).toBe(0);
    expect(embedOf(posted).title).toBe('Persecution and protected grounds');

    const index = track(harness.standIn.chatInput({ ...at(users.member), command: 'guide', options: { public: true } }));
    const listed = await index.waitForMessage();
    expect(index.ephemeral).toBe(false);
    const pick = track(
      harness.standIn.selectMenu({ ...at(users.otherMember), messageId: listed.id, customId: byVerb(listed, 'pick').custom_id!, values: ['how-to-help'] }),
    );
    const privateCopy = await pick.waitForMessage();
    expect(privateCopy.flags! & EPHEMERAL).toBe(EPHEMERAL);
    expect(embedOf(privateCopy).title).toBe(library.get('how-to-help', 'en')?.guide.title);
    expect(embedOf(harness.standIn.message(listed.id)!.message).title).toBe('Guides');
  });

  it('/volunteer links the default form, lists the skills, and offers open tasks and the how-to-help guide', async () => {
    const { users } = harness.community;
    const command = track(harness.standIn.chatInput({ ...at(users.volunteer), command: 'volunteer' }));
    const reply = await command.waitForMessage();
    expect(command.ephemeral).toBe(true);
    const link = components(reply).find((component) => component.url);
    expect(link?.url).toBe(DEFAULT_VOLUNTEER_FORM_URL);
    expect(link?.label).toBe('Volunteer form');
    expect(decodeCustomId(byVerb(reply, 'browse').custom_id!)).toEqual({ namespace: 'task', verb: 'browse', args: [] });
    const text = JSON.stringify(embedOf(reply));
    for (const skill of ['Research', 'Marketing', 'Spanish translation', 'Web development']) expect(text.toLowerCase()).toContain(skill.toLowerCase());
    const guideId = harness.standIn.guildCommands(harness.community.guildId).find((entry) => entry.name === 'guide')?.id;
    expect(text).toContain(`</guide:${guideId}> with \`topic:how-to-help\``);

    // "Browse open tasks" is answered by the task board (the `task` module), not by a stale-button notice.
    const browse = track(harness.standIn.clickButton({ ...at(users.volunteer), messageId: reply.id, customId: byVerb(reply, 'browse').custom_id! }));
    const tasks = await browse.waitForMessage();
    expect(browse.ephemeral).toBe(true);
    expect(JSON.stringify(tasks)).not.toContain('no longer active');

    const open = track(harness.standIn.clickButton({ ...at(users.volunteer), messageId: reply.id, customId: byVerb(reply, 'open').custom_id! }));
    const guide = await open.waitForMessage();
    expect(guide.id).not.toBe(reply.id);
    expect(embedOf(guide).title).toBe(library.get('how-to-help', 'en')?.guide.title);
  });

  it('/volunteer follows /setup volunteer-form, in Spanish too', async () => {
    const { users } = harness.community;
    const url = 'https://forms.example.org/help-me-leave/volunteers';
    const setup = track(harness.standIn.chatInput({ ...at(users.admin), command: 'setup', subcommand: 'volunteer-form', options: { url } }));
    expect(JSON.stringify(await setup.waitForMessage())).toContain('Saved');
    const command = track(harness.standIn.chatInput({ ...at(users.member, 'es-419'), command: 'volunteer' }));
    const reply = await command.waitForMessage();
    expect(components(reply).find((component) => component.url)?.url).toBe(url);
    expect(embedOf(reply).title).toBe('Voluntariado en Help Me Leave');
    expect(byVerb(reply, 'browse').label).toBe('Ver tareas abiertas');
  });

  it('kept every reply within Discord\'s limits: no refused callback or request', () => {
    expect(handles.length).toBeGreaterThan(20);
    for (const handle of handles) expect(handle.rejectedCallbacks, handle.id).toEqual([]);
    expect(harness.standIn.requests.filter((request) => request.status >= 400).map((request) => `${request.method} ${request.path} ${request.status}`)).toEqual([]);
    expect(harness.standIn.internalErrors).toEqual([]);
    expect(harness.bot.lines.filter((line) => line.level >= 50).map((line) => line.msg)).toEqual([]);
  });
});

describe('guides overdue for review, end to end', () => {
  let harness: Harness;
  let db: Database.Database;
  const at = (userId: string, locale = 'en-US') => ({ guildId: harness.community.guildId, channelId: harness.community.channels.general, userId, locale });
  const reviewTasks = () =>
    db
      .prepare("select number, origin, status, skill, title, announcement_message_id from tasks where guild_id = ? and origin like 'review:%' order by number")
      .all(harness.community.guildId) as { number: number; origin: string; status: string; skill: string; title: string; announcement_message_id: string | null }[];

  beforeAll(async () => {
    // 0 days: every guide reviewed before today is overdue, so the real guides show the notice.
    harness = await startHarness({ env: { GUIDE_REVIEW_MAX_AGE_DAYS: '0' } });
    db = openBotDatabase(harness.databasePath);
  });
  afterAll(async () => {
    db?.close();
    await harness?.stop();
  });

  it('/guide says plainly that a guide is overdue for review, with the date in the member\'s language', async () => {
    const { users } = harness.community;
    const english = library.get('how-to-help', 'en')!.guide;
    const reply = await harness.standIn.chatInput({ ...at(users.member), command: 'guide', options: { topic: 'how-to-help' } }).waitForMessage();
    const date = formatReviewDate(english.lastReviewed, 'en');
    expect(embedOf(reply).description).toMatch(new RegExp(`^⚠️ \\*\\*Overdue for review:\\*\\* this guide was last reviewed on ${date}\\.`));
    expect(embedOf(reply).footer?.text).toContain(`Last reviewed: ${date}`);

    const spanish = library.get('how-to-help', 'es')!.guide;
    const es = await harness.standIn.chatInput({ ...at(users.otherMember, 'es-ES'), command: 'guide', options: { topic: 'how-to-help' } }).waitForMessage();
    const fecha = formatReviewDate(spanish.lastReviewed, 'es');
    expect(fecha).toMatch(/^\d{1,2} de [a-z]+ de \d{4}$/);
    expect(embedOf(es).description).toMatch(new RegExp(`^⚠️ \\*\\*Revisión pendiente:\\*\\* esta guía se revisó por última vez el ${fecha}\\.`));
    expect(embedOf(es).footer?.text).toContain(`Última revisión: ${fecha}`);
  });

  it('opens one announced "Review guide" task per overdue guide, and closes them when the guides are no longer overdue', async () => {
    const expected = library.list('en').map((guide) => guide.slug).sort();
    const open = await eventually(() => {
      const rows = reviewTasks();
      return rows.length === expected.length && rows;
    }, 'a review task per guide');
    expect(open.map((row) => row.origin.replace(/^review:/, '').split('@')[0]).sort()).toEqual(expected);
    expect(open.every((row) => row.status === 'open' && row.skill === 'legal-research')).toBe(true);
    const howToHelp = open.find((row) => row.origin.startsWith('review:how-to-help@'))!;
    expect(howToHelp.title).toBe(`Review the guide “${library.get('how-to-help', 'en')!.guide.title}”`);

    // The tasks were created at start, before /setup chose a tasks channel; the next run (here the
    // restart) announces them there, and creates none twice.
    await harness.restart({ env: { GUIDE_REVIEW_MAX_AGE_DAYS: '0' } });
    const announced = await eventually(() => {
      const rows = reviewTasks();
      return rows.every((row) => row.announcement_message_id) && rows;
    }, 'review tasks announced');
    expect(announced).toHaveLength(expected.length);
    const announcement = harness.standIn.message(announced.find((row) => row.number === howToHelp.number)!.announcement_message_id!);
    expect(announcement?.message.channel_id).toBe(harness.community.channels.tasks);
    expect(JSON.stringify(announcement?.message)).toContain('Review the guide');
    const again = await harness.standIn.chatInput({ ...at(harness.community.users.member), command: 'guide', options: { topic: 'how-to-help' } }).waitForMessage();
    expect(embedOf(again).description).toMatch(/^⚠️/);
    expect(reviewTasks()).toHaveLength(expected.length);

    // A longer allowed age (as after a review): the tasks close as done and the notice is gone.
    await harness.restart({ env: { GUIDE_REVIEW_MAX_AGE_DAYS: '3650' } });
    await eventually(() => reviewTasks().every((row) => row.status === 'done'), 'review tasks closed');
    const fresh = await harness.standIn.chatInput({ ...at(harness.community.users.member), command: 'guide', options: { topic: 'how-to-help' } }).waitForMessage();
    expect(embedOf(fresh).description).not.toMatch(/Overdue for review/);
  });
});
