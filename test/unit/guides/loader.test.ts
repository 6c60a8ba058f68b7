import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GuideLibrary, GuideValidationError, loadGuideFiles } from '../../../src/domain/guides/index.js';
import { guideSourceHash } from '../../../src/i18n/translation-check.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseFrontMatter } from '../../../src/domain/guides/front-matter.js';
import { guideFile, tempLocales } from './fixtures.js';

let locales: ReturnType<typeof tempLocales>;
beforeEach(() => {
  locales = tempLocales();
});
afterEach(() => locales.cleanup());

/** Loads and returns the validation problems (fails the test if loading succeeds). */
function problemsOf(dir: string) {
  try {
    loadGuideFiles(dir);
  } catch (error) {
    expect(error).toBeInstanceOf(GuideValidationError);
    return { problems: (error as GuideValidationError).problems, message: (error as Error).message };
  }
  throw new Error('expected the guides to be rejected');
}

describe('guide loader', () => {
  it('loads valid guides in both languages with their front matter', () => {
    locales.write({
      slug: 'asylum-basics',
      title: 'Asylum basics',
      keywords: ['asylum', 'refugee'],
      sources: [{ title: 'UNHCR', url: 'https://www.unhcr.org/' }],
    });
    const loaded = loadGuideFiles(locales.dir);
    expect(loaded.en).toHaveLength(1);
    expect(loaded.es).toHaveLength(1);
    const [en] = loaded.en;
    expect(en).toMatchObject({
      slug: 'asylum-basics',
      lang: 'en',
      title: 'Asylum basics',
      keywords: ['asylum', 'refugee'],
      sources: [{ title: 'UNHCR', url: 'https://www.unhcr.org/' }],
      lastReviewed: '2026-11-01',
    });
    expect(en?.body.startsWith('*This is information')).toBe(true);
    expect(loaded.es[0]?.sourceHash).toBe(loaded.englishHashes.get('asylum-basics'));
  });

  const broken: [string, (content: string) => string, string, RegExp][] = [
    ['a title over 80 characters', (c) => c.replace(/^title: .*$/m, `title: "${'x'.repeat(81)}"`), 'title', /at most 80/],
    ['a summary over 100 characters', (c) => c.replace(/^summary: .*$/m, `summary: "${'x'.repeat(101)}"`), 'summary', /at most 100/],
    ['no title', (c) => c.replace(/^title: .*\n/m, ''), 'title', /is required/],
    ['an http source', (c) => c.replace('https://example.org/source', 'http://example.org/source'), 'sources.0.url', /https/],
    ['a source title over 100 characters', (c) => c.replace('"Official source"', `"${'s'.repeat(101)}"`), 'sources.0.title', /at most 100/],
    ['no keywords', (c) => c.replace(/^keywords: .*$/m, 'keywords: []'), 'keywords', /at least 1/],
    ['16 keywords', (c) => c.replace(/^keywords: .*$/m, `keywords: ${JSON.stringify(Array.from({ length: 16 }, (_, i) => `k${i}`))}`), 'keywords', /at most 15/],
    ['an impossible date', (c) => c.replace('2026-11-01', '2026-02-30'), 'last_reviewed', /real date/],
    ['a date in another format', (c) => c.replace('"2026-11-01"', '"01/11/2026"'), 'last_reviewed', /YYYY-MM-DD/],
    ['an unknown field', (c) => c.replace('---\nslug', '---\nauthor: someone\nslug'), 'author', /Unrecognized key/],
    ['a slug that is not the file name', (c) => c.replace(/^slug: .*$/m, 'slug: other-name'), 'slug', /file is named "broken\.md"/],
    ['a slug with capitals', (c) => c.replace(/^slug: .*$/m, 'slug: Broken'), 'slug', /lowercase/],
    ['broken YAML', (c) => c.replace(/^summary: .*$/m, 'summary: "unterminated'), 'front matter', /not valid YAML/],
    ['no front matter', (c) => c.replace(/^---[\s\S]*?---\n/, ''), 'front matter', /missing/],
    ['an empty body', (c) => c.replace(/---\n[^-]*$/, '---\n\n'), 'body', /empty/],
  ];

  it.each(broken)('rejects an English guide with %s, naming the file and the field', (_case, breakIt, field, message) => {
    locales.write({ slug: 'fine' });
    locales.writeRaw('en', 'broken', breakIt(guideFile({ slug: 'broken' })));
    const { problems, message: text } = problemsOf(locales.dir);
    const problem = problems.find((candidate) => candidate.field === field);
    expect(problem, JSON.stringify(problems)).toBeDefined();
    expect(problem?.file).toBe(locales.path('en', 'broken'));
    expect(problem?.message).toMatch(message);
    expect(text).toContain(locales.path('en', 'broken'));
    expect(text).toContain(`field "${field}"`);
    expect(problems.every((candidate) => candidate.file.endsWith('broken.md'))).toBe(true);
  });

  it('requires source_hash in Spanish guides and refuses it in English ones', () => {
    const english = locales.write({ slug: 'one' }, false);
    locales.writeRaw('es', 'one', guideFile({ slug: 'one' }));
    let result = problemsOf(locales.dir);
    expect(result.problems).toEqual([{ file: locales.path('es', 'one'), field: 'source_hash', message: expect.stringMatching(/required/) }]);

    locales.writeRaw('es', 'one', guideFile({ slug: 'one' }, { source_hash: '"not-a-hash"' }));
    result = problemsOf(locales.dir);
    expect(result.problems[0]).toMatchObject({ field: 'source_hash', message: expect.stringMatching(/sha256/) });

    locales.writeRaw('es', 'one', guideFile({ slug: 'one' }, { source_hash: `"${guideSourceHash(english)}"` }));
    locales.writeRaw('en', 'one', guideFile({ slug: 'one' }, { source_hash: `"${guideSourceHash(english)}"` }));
    result = problemsOf(locales.dir);
    expect(result.problems[0]).toMatchObject({ file: locales.path('en', 'one'), field: 'source_hash', message: expect.stringMatching(/Unrecognized/) });
  });

  it('refuses a Spanish guide without an English original', () => {
    locales.write({ slug: 'one' });
    locales.writeRaw('es', 'orphan', guideFile({ slug: 'orphan' }, { source_hash: `"${'a'.repeat(64)}"` }));
    const { problems } = problemsOf(locales.dir);
    expect(problems).toEqual([{ file: locales.path('es', 'orphan'), field: 'file name', message: expect.stringMatching(/no English original/) }]);
  });

  it('reports every problem of every file at once', () => {
    locales.writeRaw('en', 'a', guideFile({ slug: 'a', title: 'x'.repeat(90), summary: 'y'.repeat(120) }));
    locales.writeRaw('en', 'b', guideFile({ slug: 'b', sources: [{ title: 'Plain', url: 'ftp://example.org' }] }));
    const { problems } = problemsOf(locales.dir);
    expect(problems.map((problem) => `${problem.file.split('/').pop()} ${problem.field}`).sort()).toEqual([
      'a.md summary',
      'a.md title',
      'b.md sources.0.url',
    ]);
  });

  it('stops GuideLibrary.load (and so the start) with the same error', () => {
    locales.writeRaw('en', 'bad', guideFile({ slug: 'bad' }).replace(/sources:\n(?: {2}.*\n)+/, 'sources: []\n'));
    expect(() => GuideLibrary.load(locales.dir)).toThrow(/bad\.md: field "sources" must list at least 1 source/);
  });

  it('accepts an unquoted YAML date', () => {
    locales.writeRaw('en', 'plain-date', guideFile({ slug: 'plain-date' }).replace('"2026-11-01"', '2026-11-01'));
    expect(loadGuideFiles(locales.dir).en[0]?.lastReviewed).toBe('2026-11-01');
  });

  describe('front matter other than YAML is refused and never run', () => {
    const marker = () => join(locales.dir, 'pwned.txt');
    // What gray-matter would have evaluated: the object literal runs a global assignment and writes a file.
    const jsGuide = (opener: string) =>
      [
        opener,
        '{',
        `  slug: (globalThis.__guidePwned = true, require('node:fs').writeFileSync(${JSON.stringify(marker())}, 'ran'), 'evil'),`,
        "  title: 'Evil', summary: 'x', keywords: ['x'], sources: [], last_reviewed: '2026-11-01'",
        '}',
        '---',
        'Body.',
        '',
      ].join('\n');

    it.each(['---js', '---javascript', '---coffee', '---toml', '--- yaml', '---json'])('refuses %j naming the file', (opener) => {
      locales.writeRaw('en', 'evil', jsGuide(opener));
      const { problems, message } = problemsOf(locales.dir);
      expect(problems).toContainEqual(expect.objectContaining({ file: expect.stringMatching(/evil\.md$/), field: 'front matter' }));
      expect(message).toMatch(/evil\.md: field "front matter" declares the front-matter language "[a-z ]+"; only YAML/);
      expect((globalThis as { __guidePwned?: boolean }).__guidePwned).toBeUndefined();
      expect(existsSync(marker())).toBe(false);
    });

    it('reads YAML tags as data only (no js/function, no custom tags)', () => {
      expect(() => parseFrontMatter("---\nslug: !!js/function 'function () { globalThis.__guidePwned = true }'\n---\nBody\n")).toThrow(/not valid YAML/);
      expect((globalThis as { __guidePwned?: boolean }).__guidePwned).toBeUndefined();
      expect(parseFrontMatter('---\nlast_reviewed: 2026-11-01\ncount: 3\n---\nBody\n').data).toEqual({ last_reviewed: '2026-11-01', count: 3 });
    });

    it('refuses an unclosed block and a non-mapping, and leaves a Markdown rule alone', () => {
      expect(() => parseFrontMatter('---\nslug: x\nBody\n')).toThrow(/not closed/);
      expect(() => parseFrontMatter('---\n- a\n- b\n---\nBody\n')).toThrow(/mapping/);
      expect(parseFrontMatter('----\nBody\n')).toEqual({ data: {}, content: '----\nBody\n', raw: '' });
    });
  });
});
