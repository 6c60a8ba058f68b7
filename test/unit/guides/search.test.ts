import { describe, expect, it } from 'vitest';
import { GuideLibrary, normalize, type Guide } from '../../../src/domain/guides/index.js';
import { boundedEditDistance } from '../../../src/domain/guides/search.js';
import { projectPath } from '../../../src/paths.js';

function guide(slug: string, lang: 'en' | 'es', title: string, keywords: string[] = ['misc']): Guide {
  return {
    slug,
    lang,
    title,
    summary: `Summary of ${title}`,
    keywords,
    sources: [{ title: 'Source', url: 'https://example.org' }],
    lastReviewed: '2026-11-01',
    body: `Body of ${title}`,
    file: `${lang}/${slug}.md`,
    ...(lang === 'es' ? { sourceHash: 'h' } : {}),
  };
}

function library(en: Guide[], es: Guide[] = []): GuideLibrary {
  return new GuideLibrary({ en, es, englishHashes: new Map(en.map((item) => [item.slug, 'h'])) });
}

const real = GuideLibrary.load(projectPath('locales'));

describe('normalize', () => {
  it('drops accents, case and punctuation', () => {
    expect(normalize('  Asilo en la UE: PRIMEROS pasos ')).toBe('asilo en la ue primeros pasos');
    expect(normalize('País, España, Persecución, ¿qué?')).toBe('pais espana persecucion que');
    expect(normalize('safe-country_concepts')).toBe('safe country concepts');
  });
});

describe('guide autocomplete on the real guides', () => {
  it.each(['asilo', 'ASILO', 'Asilo', 'ásilo', 'asil'])('"%s" finds the asylum guide first in Spanish', (query) => {
    const results = real.search(query, 'es');
    expect(results[0]?.slug).toBe('asylum-eu-first-steps');
    expect(results[0]?.title).toMatch(/^Asilo/);
    expect(results[0]?.lang).toBe('es');
  });

  it('is accent-insensitive both ways', () => {
    expect(real.search('persecucion', 'es')[0]?.slug).toBe('persecution-protected-grounds');
    expect(real.search('PERSECUCIÓN', 'es')[0]?.slug).toBe('persecution-protected-grounds');
    expect(real.search('migración', 'es').map((result) => result.slug)).toContain('legal-migration-pathways');
  });

  it('searches the member\'s language: Spanish titles for es, English titles for en', () => {
    expect(real.search('asylum', 'en')[0]?.slug).toBe('asylum-eu-first-steps');
    expect(real.search('asylum', 'en')[0]?.title).toMatch(/^Asylum/);
    expect(real.search('asilo', 'en')).toEqual([]);
  });

  it('matches slugs too', () => {
    expect(real.search('how-to-help', 'es').map((result) => result.slug)).toContain('how-to-help');
    expect(real.search('legal-migration', 'es')[0]?.slug).toBe('legal-migration-pathways');
  });

  it('lists every guide in title order for an empty query', () => {
    const titles = real.search('', 'es').map((result) => result.title);
    expect(titles).toHaveLength(real.size);
    expect(titles).toEqual([...titles].sort((a, b) => a.localeCompare(b, 'es', { sensitivity: 'base' })));
  });

  it('tolerates a typo when nothing matches exactly', () => {
    expect(real.search('asilp', 'es')[0]?.slug).toBe('asylum-eu-first-steps');
    expect(real.search('volunter', 'en')[0]?.slug).toBe('how-to-help');
    expect(real.search('zzzzqqq', 'en')).toEqual([]);
  });
});

describe('ranking', () => {
  const lib = library([
    guide('slug-only', 'en', 'Unrelated words', ['nothing']),
    guide('substring', 'en', 'Reasylumed things', ['other']),
    guide('keyword', 'en', 'Protection abroad', ['asylum procedure']),
    guide('word-prefix', 'en', 'First steps for asylum seekers'),
    guide('title-prefix', 'en', 'Asylum in the EU'),
    guide('exact', 'en', 'Asylum'),
    guide('asylum-slug', 'en', 'Nothing related'),
  ]);

  it('orders exact title, title prefix, word prefix, keyword, substring, slug', () => {
    expect(lib.search('asylum', 'en').map((result) => result.slug)).toEqual([
      'exact',
      'title-prefix',
      'word-prefix',
      'keyword',
      'substring',
      'asylum-slug',
    ]);
  });

  it('needs every word of a multi-word query', () => {
    expect(lib.search('first asy', 'en').map((result) => result.slug)).toEqual(['word-prefix']);
    expect(lib.search('asylum proc', 'en').map((result) => result.slug)).toEqual(['keyword']);
  });

  it('returns at most 25 results, best first', () => {
    const many = Array.from({ length: 60 }, (_, index) =>
      guide(`g-${String(index).padStart(2, '0')}`, 'en', `Topic ${String(index).padStart(2, '0')}`, ['common']),
    );
    const big = library([...many, guide('exact-common', 'en', 'Common')]);
    const results = big.search('common', 'en');
    expect(results).toHaveLength(25);
    expect(results[0]?.slug).toBe('exact-common');
    expect(big.search('', 'en')).toHaveLength(25);
    expect(big.search('topic', 'en', 10)).toHaveLength(10);
  });

  it('shows the English title of a guide with no Spanish translation to Spanish speakers', () => {
    const lib2 = library([guide('a', 'en', 'Asylum rights'), guide('b', 'en', 'Work visas')], [guide('a', 'es', 'Derechos de asilo')]);
    expect(lib2.list('es').map((item) => [item.slug, item.lang])).toEqual([
      ['a', 'es'],
      ['b', 'en'],
    ]);
    expect(lib2.search('work', 'es')[0]).toMatchObject({ slug: 'b', lang: 'en' });
  });
});

describe('resolve (what /guide topic: means)', () => {
  it('opens a guide by slug, exact title, or the only title starting with the text', () => {
    expect(real.resolve('safe-country-concepts', 'es')).toEqual({ found: true, slug: 'safe-country-concepts' });
    expect(real.resolve('asilo', 'es')).toEqual({ found: true, slug: 'asylum-eu-first-steps' });
    expect(real.resolve('Safe Country Concepts', 'en')).toEqual({ found: true, slug: 'safe-country-concepts' });
  });

  it('offers the closest guides for an unknown topic', () => {
    const result = real.resolve('refugee status', 'en');
    expect(result.found).toBe(false);
    if (!result.found) {
      expect(result.suggestions.length).toBeGreaterThan(0);
      expect(result.suggestions.length).toBeLessThanOrEqual(5);
      expect(result.suggestions.map((item) => item.slug)).toContain('persecution-protected-grounds');
    }
    expect(real.resolve('qqqqq zzzz', 'en')).toEqual({ found: false, suggestions: [] });
  });
});

describe('boundedEditDistance', () => {
  it('counts edits and gives up past the bound', () => {
    expect(boundedEditDistance('asilo', 'asilo', 2)).toBe(0);
    expect(boundedEditDistance('asilp', 'asilo', 2)).toBe(1);
    expect(boundedEditDistance('volunter', 'volunteer', 2)).toBe(1);
    expect(boundedEditDistance('kitten', 'sitting', 3)).toBe(3);
    expect(boundedEditDistance('abcdef', 'uvwxyz', 2)).toBe(3);
  });
});
