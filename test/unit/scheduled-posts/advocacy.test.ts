import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { advocacyActions } from '../../../src/db/schema/index.js';
import { DEFAULT_ACTIONS } from '../../../src/domain/advocacy/default-actions.js';
import { DEFAULT_VOLUNTEER_FORM_URL } from '../../../src/domain/guild-settings.js';
import { parsePayload } from '../../../src/domain/posts/outbox.js';
import { DAY } from '../../support/test-db.js';
import { ADMIN, CHANNEL, GUILD, MODERATOR, OTHER_GUILD, world } from './support.js';

const action = (title: string, extra: Record<string, string> = {}) => ({
  guildId: GUILD,
  title,
  text: `Do something about ${title}.`,
  link: `https://example.org/${title.toLowerCase().replace(/\W+/g, '-')}`,
  createdBy: MODERATOR,
  ...extra,
});

async function postedTitles(runs: number, w: ReturnType<typeof world>): Promise<string[]> {
  const titles: string[] = [];
  for (let i = 0; i < runs; i++) {
    const outcome = await w.postRuns.runNow(GUILD, 1);
    if (outcome.outcome.posts === 0) {
      titles.push('(nothing)');
      continue;
    }
    const [post] = w.outbox.forRun(outcome.outcome.runId!);
    titles.push(parsePayload(post!).embeds![0]!.title!.replace(/^Take action: /, ''));
    w.clock.advance(60_000);
  }
  return titles;
}

describe('advocacy library', () => {
  it('seeds a guild once with the default actions, English and Spanish, linking to the originals', () => {
    const { advocacy, db } = world();
    advocacy.ensureSeeded(GUILD);
    advocacy.ensureSeeded(GUILD);
    const seeded = advocacy.list(GUILD);
    expect(seeded).toHaveLength(DEFAULT_ACTIONS.length);
    expect(seeded.every((row) => row.titleEs && row.textEs && row.link.startsWith('https://'))).toBe(true);
    expect(seeded.map((row) => row.link)).toEqual(
      expect.arrayContaining([
        'https://www.omct.org/en/resources/statements/usa-urgent-call-for-accountability-as-u-s-migration-policy-fuels-human-rights-violations',
        'https://www.amnesty.at/mitmachen/urgent-action/gerechtigkeit-fuer-renee-alex-stoppt-die-willkuer-von-ice',
        DEFAULT_VOLUNTEER_FORM_URL,
      ]),
    );
    // Retired seeds stay retired: seeding never runs again for the guild.
    advocacy.retire(GUILD, 1);
    advocacy.ensureSeeded(GUILD);
    expect(db.select().from(advocacyActions).all()).toHaveLength(DEFAULT_ACTIONS.length);
    expect(advocacy.list(OTHER_GUILD)).toHaveLength(DEFAULT_ACTIONS.length);
  });

  it('carries the DHS-names warning in the Amnesty action itself, dated, and updates unedited older copies only', () => {
    const { advocacy, db } = world();
    const amnesty = () => advocacy.list(GUILD).find((row) => row.seedKey === 'amnesty-militarized-enforcement')!;
    expect(amnesty().text).toMatch(/your name is passed to the United States, to the Department of Homeland Security/);
    expect(amnesty().text).toMatch(/Kristi Noem when it was launched/);
    expect(amnesty().text).toMatch(/in German/);
    expect(amnesty().textEs).toMatch(/tu nombre se transmita a Estados Unidos, al Departamento de Seguridad Nacional/);
    expect(amnesty().textEs).toMatch(/en alemán/);

    // A guild seeded before the warning existed: its untouched copy gets the new wording...
    const previous = DEFAULT_ACTIONS.find((item) => item.seedKey === 'amnesty-militarized-enforcement')!.previous![0]!;
    db.update(advocacyActions).set({ text: previous.text!, textEs: previous.textEs! }).where(eq(advocacyActions.id, amnesty().id)).run();
    expect(amnesty().text).toMatch(/Department of Homeland Security/);
    expect(amnesty().textEs).toMatch(/Departamento de Seguridad Nacional/);
    // ...but a moderator's own wording is kept.
    db.update(advocacyActions).set({ text: 'Our own text.' }).where(eq(advocacyActions.id, amnesty().id)).run();
    expect(amnesty().text).toBe('Our own text.');
  });

  it('uses the guild volunteer form for the volunteering action', () => {
    const { advocacy, settings } = world();
    settings.setVolunteerForm(GUILD, 'https://forms.example.org/volunteer');
    expect(advocacy.list(GUILD).map((row) => row.link)).toContain('https://forms.example.org/volunteer');
  });

  it('rotates least recently posted first, skipping retired and expired actions', async () => {
    const w = world();
    const { advocacy, schedules, clock } = w;
    w.clock.set(Date.parse('2026-11-23T12:00:00Z'));
    advocacy.ensureSeeded(GUILD);
    for (const row of advocacy.list(GUILD)) advocacy.retire(GUILD, row.number);
    advocacy.add(action('Alpha'));
    advocacy.add(action('Bravo', { deadline: '2026-11-25' }));
    advocacy.add(action('Charlie'));
    schedules.add({ guildId: GUILD, job: 'advocacy', cron: '0 9 * * *', channelId: CHANNEL, createdBy: ADMIN });
    expect(await postedTitles(4, w)).toEqual(['Alpha', 'Bravo', 'Charlie', 'Alpha']);
    // A new action has never been posted, so it goes next.
    advocacy.add(action('Delta'));
    expect(await postedTitles(2, w)).toEqual(['Delta', 'Bravo']);
    // Bravo's deadline passes (end of 25 Nov everywhere on Earth): it is skipped from then on.
    clock.set(Date.parse('2026-11-26T12:00:01Z'));
    expect(await postedTitles(3, w)).toEqual(['Charlie', 'Alpha', 'Delta']);
    for (const row of advocacy.list(GUILD)) if (row.status === 'active') advocacy.retire(GUILD, row.number);
    expect(await postedTitles(1, w)).toEqual(['(nothing)']);
  });

  it('renders a bilingual post with a link button and the deadline', async () => {
    const w = world();
    w.advocacy.ensureSeeded(GUILD);
    const added = w.advocacy.add(action('Write to your MEP', { deadline: '2027-01-15', titleEs: 'Escribe a tu eurodiputado', textEs: 'Pide una revisión.' }));
    const post = w.advocacy.render(added, null);
    expect(post.embeds).toHaveLength(2);
    expect(post.embeds![0]!.title).toBe('Take action: Write to your MEP');
    expect(post.embeds![1]!.title).toBe('Actúa: Escribe a tu eurodiputado');
    expect(JSON.stringify(post.embeds![0]!.fields)).toContain(`<t:${Date.UTC(2027, 0, 15, 12) / 1000}:D>`);
    expect(post.buttons).toEqual([[{ kind: 'link', label: 'Take action · Actúa', url: added.link }]]);
    // A guild that chose Spanish gets the Spanish text only.
    expect(w.advocacy.render(added, 'es').embeds!.map((embed) => embed.title)).toEqual(['Actúa: Escribe a tu eurodiputado']);
  });

  it('refuses bad links, dates and empty text, storing nothing', () => {
    const { advocacy } = world();
    advocacy.ensureSeeded(GUILD);
    const before = advocacy.list(GUILD).length;
    const cases: [Record<string, string>, string][] = [
      [{ link: 'http://example.org/petition' }, 'errors.invalidHttpsUrl'],
      [{ link: 'javascript:alert(1)' }, 'errors.invalidHttpsUrl'],
      [{ deadline: '31/12/2026' }, 'posts.errors.invalidDate'],
      [{ deadline: '2026-02-30' }, 'posts.errors.invalidDate'],
      [{ deadline: '2020-01-01' }, 'posts.errors.dateInPast'],
      [{ title: '   ' }, 'posts.errors.empty'],
    ];
    for (const [extra, code] of cases) {
      expect(() => advocacy.add(action('Valid', extra)), code).toThrow(expect.objectContaining({ code }));
    }
    expect(advocacy.list(GUILD)).toHaveLength(before);
    expect(() => advocacy.retire(GUILD, 99)).toThrow(expect.objectContaining({ code: 'action.errors.notFound' }));
  });

  it('keeps the deadline day whole for readers everywhere', () => {
    const { advocacy, clock } = world();
    clock.set(Date.parse('2026-11-25T23:30:00Z'));
    const added = advocacy.add(action('Today', { deadline: '2026-11-25' }));
    expect(advocacy.isExpired(added)).toBe(false);
    clock.set(Date.parse('2026-11-26T11:59:59Z'));
    expect(advocacy.isExpired(added)).toBe(false);
    clock.advance(DAY);
    expect(advocacy.isExpired(added)).toBe(true);
  });
});
