import type { APIActionRowComponent, APIButtonComponentWithCustomId, APIEmbed, APIStringSelectComponent } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { decodeCustomId } from '../../../src/discord/custom-id.js';
import {
  EMBED_LIMITS,
  guidePages,
  mappedPage,
  renderGuide,
  renderIndex,
  renderNotFound,
  type GuideMessage,
} from '../../../src/discord/guides/render.js';
import {
  formatReviewDate,
  GuideLibrary,
  mapPage,
  paginate,
  splitSections,
  splitText,
  type Guide,
} from '../../../src/domain/guides/index.js';
import { projectPath } from '../../../src/paths.js';

function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0)
  );
}

/** Every Discord limit an embed reply must respect. */
function expectWithinLimits(message: GuideMessage) {
  const embeds = message.embeds.map((embed) => embed.toJSON());
  expect(embeds.length).toBeLessThanOrEqual(10);
  expect(embeds.reduce((sum, embed) => sum + embedLength(embed), 0)).toBeLessThanOrEqual(EMBED_LIMITS.total);
  for (const embed of embeds) {
    expect(embed.title?.length ?? 0).toBeLessThanOrEqual(EMBED_LIMITS.title);
    expect(embed.description?.length ?? 0).toBeLessThanOrEqual(EMBED_LIMITS.description);
    expect(embed.description?.length ?? 0).toBeGreaterThan(0);
    expect(embed.fields?.length ?? 0).toBeLessThanOrEqual(EMBED_LIMITS.fields);
    for (const field of embed.fields ?? []) {
      expect(field.name.length).toBeGreaterThan(0);
      expect(field.value.length).toBeLessThanOrEqual(EMBED_LIMITS.fieldValue);
    }
    expect(embed.footer?.text.length ?? 0).toBeLessThanOrEqual(EMBED_LIMITS.footer);
  }
  const rows = message.components.map((row) => row.toJSON() as APIActionRowComponent<APIButtonComponentWithCustomId | APIStringSelectComponent>);
  expect(rows.length).toBeLessThanOrEqual(5);
  const ids = new Set<string>();
  for (const row of rows) {
    expect(row.components.length).toBeLessThanOrEqual(5);
    for (const component of row.components) {
      expect(component.custom_id.length).toBeLessThanOrEqual(100);
      expect(ids.has(component.custom_id), `duplicate custom id ${component.custom_id}`).toBe(false);
      ids.add(component.custom_id);
      if ('label' in component && component.label) expect(component.label.length).toBeLessThanOrEqual(80);
      if ('options' in component) expect(component.options.length).toBeLessThanOrEqual(25);
    }
  }
  return { embeds, rows };
}

function guide(overrides: Partial<Guide> & { slug: string }): Guide {
  return {
    lang: 'en',
    title: 'A guide',
    summary: 'Summary',
    keywords: ['k'],
    sources: [{ title: 'Source', url: 'https://example.org' }],
    lastReviewed: '2026-11-01',
    body: 'Body',
    file: 'x.md',
    ...overrides,
  };
}

const words = (count: number, seed = 0) =>
  Array.from({ length: count }, (_, index) => `word${(index * 7 + seed) % 97}`).join(' ');

/** ~20,000 characters mixing short sections, a huge section, a wall of text without spaces, long lines. */
function longBody(): string {
  const parts = ['*This is information, not legal advice.*'];
  for (let section = 0; section < 6; section++) parts.push(`## Section ${section}`, `${words(40, section)}.`);
  parts.push('## Huge section', ...Array.from({ length: 12 }, (_, index) => `${words(90, index)}. ${words(20)}.`));
  parts.push('## Wall', 'x'.repeat(6000));
  parts.push('## List', Array.from({ length: 80 }, (_, index) => `- item ${index}: ${words(6, index)}`).join('\n'));
  parts.push('## Emoji', '🙂'.repeat(2500));
  return parts.join('\n\n');
}

describe('page splitting', () => {
  it('splits at ## headings and turns headings into bold', () => {
    const sections = splitSections('Intro\n\n## One\nText one\n\n## Two\nText two\n### Sub\nmore');
    expect(sections).toEqual(['Intro', '**One**\nText one', '**Two**\nText two\n**Sub**\nmore']);
  });

  it('packs short sections onto a page and starts a new page at a heading', () => {
    const body = ['Intro', '## A', 'a'.repeat(50), '## B', 'b'.repeat(50), '## C', 'c'.repeat(50)].join('\n\n');
    const pages = paginate(body, { target: 120, max: 400 });
    expect(pages.map((page) => [page.firstSection, page.lastSection])).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(pages[1]?.text.startsWith('**B**')).toBe(true);
  });

  it('breaks an oversized section between paragraphs, then words, then anywhere', () => {
    const pieces = splitText(`${'a '.repeat(30)}\n\n${'b '.repeat(30)}\n\n${'z'.repeat(130)}`, 50);
    expect(pieces.every((piece) => piece.length <= 50)).toBe(true);
    expect(pieces.join('').replace(/\s/g, '')).toBe(`${'a'.repeat(30)}${'b'.repeat(30)}${'z'.repeat(130)}`);
    expect(pieces[0]).toMatch(/^a( a)*$/);
  });

  it('never splits an emoji in two', () => {
    const pieces = splitText('🙂'.repeat(100), 51);
    expect(pieces.join('')).toBe('🙂'.repeat(100));
    for (const piece of pieces) expect(piece).toMatch(/^(🙂)+$/u);
  });

  it('keeps every character of a 20,000-character guide, in order', () => {
    const body = longBody();
    expect(body.length).toBeGreaterThan(20_000);
    const pages = paginate(body, { target: 1800, max: 3800 });
    expect(pages.every((page) => page.text.length <= 3800)).toBe(true);
    const squash = (text: string) => text.replace(/[\s*#]/g, '');
    expect(squash(pages.map((page) => page.text).join(''))).toBe(squash(body));
  });

  it('maps a page to the same section in another version', () => {
    const en = paginate(['Intro', '## A', 'a'.repeat(100), '## B', 'b'.repeat(100)].join('\n\n'), { target: 110, max: 400 });
    const es = paginate(['Intro', '## A', 'a'.repeat(100), '## B', 'b'.repeat(100)].join('\n\n'), { target: 400, max: 400 });
    expect(en).toHaveLength(3);
    expect(es).toHaveLength(1);
    expect(mapPage(en, 2, es)).toBe(0);
    expect(mapPage(es, 0, en)).toBe(0);
    const esLong = paginate(['Intro', '## A', 'a'.repeat(300), '## B', 'b'.repeat(300)].join('\n\n'), { target: 120, max: 400 });
    expect(esLong.map((page) => page.firstSection)).toEqual([0, 1, 2]);
    expect(mapPage(en, 2, esLong)).toBe(2);
    expect(mapPage(esLong, 1, en)).toBe(1);
  });
});

describe('guide embeds', () => {
  it('renders a synthetic 20,000-character guide with 10 long sources: every page within every limit', () => {
    const sources = Array.from({ length: 10 }, (_, index) => ({
      title: `${'Source title '.repeat(7).slice(0, 99)}${index}`,
      url: `https://example.org/${'path/'.repeat(78)}${index}`,
    }));
    const big = guide({ slug: 'big', title: 'T'.repeat(80), body: longBody(), sources });
    const library = new GuideLibrary({ en: [big], es: [{ ...big, lang: 'es', sourceHash: 'old' }], englishHashes: new Map([['big', 'new']]) });
    for (const lang of ['en', 'es'] as const) {
      const view = library.get('big', lang)!;
      const pages = guidePages(library, view);
      expect(pages.length).toBeGreaterThan(5);
      for (let page = 0; page < pages.length; page++) {
        const { embeds, rows } = expectWithinLimits(renderGuide(library, view, page, 'p'));
        expect(embeds[0]?.footer?.text).toContain(`${page + 1}/${pages.length}`);
        const sourceText = (embeds[0]?.fields ?? []).map((field) => field.value).join('\n');
        for (const source of sources) expect(sourceText).toContain(source.url);
        const buttons = rows[0]?.components ?? [];
        expect(buttons.find((button) => decodeCustomId(button.custom_id)?.verb === 'prev')?.disabled).toBe(page === 0);
        expect(buttons.find((button) => decodeCustomId(button.custom_id)?.verb === 'next')?.disabled).toBe(page === pages.length - 1);
      }
      if (lang === 'es') expect(renderGuide(library, view, 0, 'e').embeds[0]?.toJSON().description).toMatch(/^\*El original en inglés/);
    }
  });

  it('renders every real guide, every page, in both languages within the limits', () => {
    const library = GuideLibrary.load(projectPath('locales'));
    for (const item of library.list('en')) {
      for (const lang of ['en', 'es'] as const) {
        const view = library.get(item.slug, lang)!;
        const pages = guidePages(library, view);
        for (let page = 0; page < pages.length; page++) {
          const { embeds } = expectWithinLimits(renderGuide(library, view, page, 'e'));
          expect(embeds[0]?.title).toBe(view.guide.title);
          expect(embeds[0]?.footer?.text).toContain(formatReviewDate(view.guide.lastReviewed, lang));
          // Every inline link survives Discord's Markdown: no raw parenthesis inside a URL.
          for (const [, url] of (embeds[0]?.description ?? '').matchAll(/\]\((https?:\/\/[^\s)]*)\)/g)) expect(url).not.toMatch(/[()]/);
          expect(embeds[0]?.footer?.text).toMatch(lang === 'en' ? /not legal advice/ : /no asesoramiento jurídico/);
          expect(embeds[0]?.fields?.[0]?.name).toBe(lang === 'en' ? 'Sources' : 'Fuentes');
        }
      }
    }
  });

  it('encodes slug, language, page and visibility in the buttons and switches language', () => {
    const body = ['Intro', '## A', 'a'.repeat(1500), '## B', 'b'.repeat(1500), '## C', 'c'.repeat(1500)].join('\n\n');
    const en = guide({ slug: 'three', body });
    const es: Guide = { ...en, lang: 'es', title: 'Tres', body: body.replace(/a/g, 'á'), sourceHash: 'h' };
    const library = new GuideLibrary({ en: [en], es: [es], englishHashes: new Map([['three', 'h']]) });
    const view = library.get('three', 'en')!;
    const { rows } = expectWithinLimits(renderGuide(library, view, 1, 'p'));
    const ids = (rows[0]?.components ?? []).map((button) => decodeCustomId(button.custom_id));
    expect(ids).toEqual([
      { namespace: 'guide', verb: 'prev', args: ['three', 'en', '0', 'p'] },
      { namespace: 'guide', verb: 'next', args: ['three', 'en', '2', 'p'] },
      { namespace: 'guide', verb: 'lang', args: ['three', 'es', '1', 'p'] },
      { namespace: 'guide', verb: 'index', args: ['en', 'p'] },
    ]);
    expect((rows[0]?.components[2] as { label: string }).label).toBe('Español');
    const spanish = library.get('three', 'es')!;
    expect(mappedPage(library, view, 2, spanish)).toBe(2);
    expect(renderGuide(library, spanish, 2, 'e').embeds[0]?.toJSON().description).toMatch(/^\*\*C\*\*/);
  });

  it('shows an English guide to a Spanish speaker with a notice and no language switch', () => {
    const en = guide({ slug: 'only-english', title: 'Only English', body: 'Text' });
    const library = new GuideLibrary({ en: [en], es: [], englishHashes: new Map([['only-english', 'h']]) });
    const view = library.get('only-english', 'es')!;
    expect(view).toMatchObject({ fallback: true, otherLanguageAvailable: false });
    const { embeds, rows } = expectWithinLimits(renderGuide(library, view, 0, 'e'));
    expect(embeds[0]?.title).toBe('Only English');
    expect(embeds[0]?.description).toBe('*Esta guía aún no está traducida al español, así que se muestra en inglés.*\n\nText');
    expect(embeds[0]?.footer?.text).toMatch(/^Última revisión: 1 de noviembre de 2026 · Página 1\/1/);
    expect((rows[0]?.components ?? []).map((button) => decodeCustomId(button.custom_id)?.verb)).toEqual(['index']);
    // The English speaker, who has the original, gets no "Español" button either.
    expect(renderGuide(library, library.get('only-english', 'en')!, 0, 'e').components[0]?.toJSON().components).toHaveLength(1);
  });

  it('encodes parentheses in the URL of every inline link and source, on every page', () => {
    const eprs = 'https://www.europarl.europa.eu/RegData/etudes/BRIE/2024/767148/EPRS_BRI(2024)767148_EN.pdf';
    const encoded = 'https://www.europarl.europa.eu/RegData/etudes/BRIE/2024/767148/EPRS_BRI%282024%29767148_EN.pdf';
    const body = [
      `Intro with [the EPRS briefing](${eprs}) and [a plain link](https://example.org/a) (and a remark in brackets).`,
      '## Later',
      `${'x '.repeat(1000)}\n\nSee [EPRS again](${eprs}).`,
    ].join('\n\n');
    const library = new GuideLibrary({
      en: [guide({ slug: 'eprs', body, sources: [{ title: 'EPRS (2024)', url: eprs }] })],
      es: [],
      englishHashes: new Map([['eprs', 'h']]),
    });
    const view = library.get('eprs', 'en')!;
    const pages = guidePages(library, view);
    expect(pages.length).toBeGreaterThan(1);
    const rendered = pages.map((_, page) => renderGuide(library, view, page, 'e').embeds[0]!.toJSON());
    expect(rendered[0]?.description).toContain(`[the EPRS briefing](${encoded}) and [a plain link](https://example.org/a) (and a remark in brackets).`);
    expect(rendered.at(-1)?.description).toContain(`[EPRS again](${encoded}).`);
    expect(rendered.map((embed) => embed.description).join('\n')).not.toContain('BRI(2024)');
    expect(rendered[0]?.fields?.[0]?.value).toBe(`• [EPRS (2024)](${encoded})`);
  });

  it('shows the review date in the member\'s language and says plainly when the review is overdue', () => {
    const now = { value: Date.UTC(2026, 11, 1, 12) };
    const en = guide({ slug: 'dated', body: 'Text', lastReviewed: '2026-06-03' });
    const es: Guide = { ...en, lang: 'es', title: 'Con fecha', body: 'Texto', sourceHash: 'h' };
    const loaded = { en: [en], es: [es], englishHashes: new Map([['dated', 'h']]) };
    const library = new GuideLibrary(loaded, { maxAgeDays: 180, now: () => now.value });
    const english = expectWithinLimits(renderGuide(library, library.get('dated', 'en')!, 0, 'e')).embeds[0];
    expect(english?.footer?.text).toMatch(/^Last reviewed: June 3, 2026 · Page 1\/1/);
    expect(english?.description).toBe(
      '⚠️ **Overdue for review:** this guide was last reviewed on June 3, 2026. Laws and procedures may have changed since then, ' +
        'so check the official sources below before you act on it.\n\nText',
    );
    const spanish = expectWithinLimits(renderGuide(library, library.get('dated', 'es')!, 0, 'e')).embeds[0];
    expect(spanish?.footer?.text).toMatch(/^Última revisión: 3 de junio de 2026 · Página 1\/1/);
    expect(spanish?.description).toMatch(/^⚠️ \*\*Revisión pendiente:\*\* esta guía se revisó por última vez el 3 de junio de 2026\./);
    // A fallback notice and the overdue notice together.
    const fallback = new GuideLibrary({ ...loaded, es: [] }, { maxAgeDays: 180, now: () => now.value });
    expect(renderGuide(fallback, fallback.get('dated', 'es')!, 0, 'e').embeds[0]?.toJSON().description).toMatch(
      /^\*Esta guía aún no está traducida al español, así que se muestra en inglés\.\*\n\n⚠️ \*\*Revisión pendiente:\*\* esta guía se revisó por última vez el 3 de junio de 2026\./,
    );
    // Within the allowed age there is no notice.
    const recent = new GuideLibrary(loaded, { maxAgeDays: 365, now: () => now.value });
    expect(recent.get('dated', 'en')?.reviewOverdue).toBe(false);
    expect(renderGuide(recent, recent.get('dated', 'en')!, 0, 'e').embeds[0]?.toJSON().description).toBe('Text');
  });

  it('clamps a page number from an old button', () => {
    const library = GuideLibrary.load(projectPath('locales'));
    const view = library.get('how-to-help', 'en')!;
    const pages = guidePages(library, view);
    expect(renderGuide(library, view, 99, 'e').embeds[0]?.toJSON().footer?.text).toContain(`${pages.length}/${pages.length}`);
    expect(renderGuide(library, view, -3, 'e').embeds[0]?.toJSON().footer?.text).toContain(`1/${pages.length}`);
  });

  it('renders the index as a select menu of at most 25 localized guides', () => {
    const real = GuideLibrary.load(projectPath('locales'));
    const { embeds, rows } = expectWithinLimits(renderIndex(real, 'es', 'e'));
    expect(embeds[0]?.title).toBe('Guías');
    const menu = rows[0]?.components[0] as APIStringSelectComponent;
    expect(decodeCustomId(menu.custom_id)).toEqual({ namespace: 'guide', verb: 'pick', args: ['es', 'e'] });
    expect(menu.options.map((option) => option.value).sort()).toEqual(real.list('es').map((item) => item.slug).sort());
    expect(menu.options.find((option) => option.value === 'asylum-eu-first-steps')?.label).toMatch(/^Asilo/);

    const many = Array.from({ length: 40 }, (_, index) =>
      guide({ slug: `g${index}`, title: `Guide number ${index} ${'t'.repeat(60)}`, summary: 's'.repeat(100) }),
    );
    const large = new GuideLibrary({ en: many, es: [], englishHashes: new Map() });
    const big = expectWithinLimits(renderIndex(large, 'en', 'p'));
    expect((big.rows[0]?.components[0] as APIStringSelectComponent).options).toHaveLength(25);
    expect(big.embeds[0]?.description).toContain('25 of 40 guides');
  });

  it('renders "not found" with up to four suggestions and the index button', () => {
    const real = GuideLibrary.load(projectPath('locales'));
    const message = renderNotFound('**bold** topic', real.list('en'), 'en', 'e');
    expect(message.content).toBe('No guide matches "\\*\\*bold\\*\\* topic".\nClosest matches:');
    const buttons = message.components[0]?.toJSON().components as APIButtonComponentWithCustomId[];
    expect(buttons).toHaveLength(5);
    expect(buttons.slice(0, 4).map((button) => decodeCustomId(button.custom_id)?.verb)).toEqual(['show', 'show', 'show', 'show']);
    expect(decodeCustomId(buttons[4]!.custom_id)?.verb).toBe('index');
    expect(renderNotFound('x', [], 'es', 'e').content).toBe('Ninguna guía coincide con «x».\nUsa /guía sin tema para ver todas las guías.');
  });
});
