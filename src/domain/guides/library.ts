import type { Language } from '../../i18n/index.js';
import { loadGuideFiles, type LoadedGuides } from './loader.js';
import { paginate, type GuidePage, type PageSize } from './paginate.js';
import { isReviewOverdue, reviewStatuses, type GuideReviewStatus, type ReviewPolicy } from './review.js';
import { buildEntry, FuzzyIndex, matchTier, MatchTier, normalize, parseQuery, type SearchEntry } from './search.js';
import type { Guide, GuideSummary, GuideView } from './types.js';

/** Discord shows at most 25 autocomplete choices and 25 select options. */
export const MAX_RESULTS = 25;
export const MAX_SUGGESTIONS = 5;
/** Below this similarity a guide is not offered as "did you mean". */
const SUGGESTION_THRESHOLD = 0.5;

interface IndexedGuide {
  /** What a member of this language sees: their translation, or English when there is none. */
  guide: Guide;
  summary: GuideSummary;
  entry: SearchEntry;
  /** Position in title order, so ties sort without comparing strings per query. */
  order: number;
}

export type Resolution =
  | { found: true; slug: string }
  | { found: false; suggestions: GuideSummary[] };

/**
 * Every guide in both languages, loaded and validated once at start. Read-only afterwards, so it
 * precomputes everything a query needs: per-language lists in title order and normalized indexes.
 */
export class GuideLibrary {
  private readonly byLang: Record<Language, Map<string, Guide>>;
  private readonly indexes: Record<Language, IndexedGuide[]>;
  private readonly fuzzy: Record<Language, FuzzyIndex>;
  private readonly englishHashes: Map<string, string>;
  private readonly pageCache = new Map<string, GuidePage[]>();

  /** Without a policy no guide is ever shown as overdue for review (tests that do not care). */
  constructor(
    loaded: LoadedGuides,
    private readonly review?: ReviewPolicy,
  ) {
    this.englishHashes = loaded.englishHashes;
    this.byLang = {
      en: new Map(loaded.en.map((guide) => [guide.slug, guide])),
      es: new Map(loaded.es.map((guide) => [guide.slug, guide])),
    };
    for (const guide of loaded.es) {
      if (!this.byLang.en.has(guide.slug)) throw new Error(`Spanish guide ${guide.slug} has no English original`);
    }
    const index = (lang: Language): IndexedGuide[] => {
      const collator = new Intl.Collator(lang, { sensitivity: 'base' });
      return [...this.byLang.en.keys()]
        .map((slug) => this.byLang[lang].get(slug) ?? this.byLang.en.get(slug)!)
        .sort((a, b) => collator.compare(a.title, b.title))
        .map((guide, order) => ({
          guide,
          order,
          summary: { slug: guide.slug, title: guide.title, summary: guide.summary, lang: guide.lang },
          entry: buildEntry(guide),
        }));
    };
    this.indexes = { en: index('en'), es: index('es') };
    this.fuzzy = {
      en: new FuzzyIndex(this.indexes.en.map((item) => item.entry)),
      es: new FuzzyIndex(this.indexes.es.map((item) => item.entry)),
    };
  }

  /** Reads and validates `<localesDir>/{en,es}/guides`; throws GuideValidationError naming file and field. */
  static load(localesDir: string, review?: ReviewPolicy): GuideLibrary {
    return new GuideLibrary(loadGuideFiles(localesDir), review);
  }

  /** Every English guide with its review date and whether it is overdue under the policy (none without one). */
  reviewStatus(): GuideReviewStatus[] {
    const english = [...this.byLang.en.values()];
    if (!this.review) return reviewStatuses(english, this.byLang.es, 0, Number.POSITIVE_INFINITY);
    return reviewStatuses(english, this.byLang.es, this.review.now(), this.review.maxAgeDays);
  }

  get size(): number {
    return this.byLang.en.size;
  }

  /** Every guide for a member of `lang`, in title order. */
  list(lang: Language): GuideSummary[] {
    return this.indexes[lang].map((item) => item.summary);
  }

  has(slug: string): boolean {
    return this.byLang.en.has(slug);
  }

  /** The guide in `lang`, or in English (marked as a fallback) when it has no translation. */
  get(slug: string, lang: Language): GuideView | undefined {
    const english = this.byLang.en.get(slug);
    if (!english) return undefined;
    const own = this.byLang[lang].get(slug);
    const guide = own ?? english;
    const other: Language = lang === 'en' ? 'es' : 'en';
    return {
      guide,
      requestedLang: lang,
      fallback: own === undefined,
      stale: guide.lang === 'es' && guide.sourceHash !== this.englishHashes.get(slug),
      otherLanguageAvailable: own !== undefined && this.byLang[other].has(slug),
      reviewOverdue: this.review ? isReviewOverdue(guide.lastReviewed, this.review.now(), this.review.maxAgeDays) : false,
    };
  }

  /**
   * Autocomplete: titles, keywords and slugs in the member's language, accent- and
   * case-insensitive, best first (exact or prefix title, word prefix, keyword, substring, slug),
   * at most `limit`. An empty query lists every guide; a query matching nothing falls back to
   * typo-tolerant suggestions so the member still sees something useful.
   */
  search(query: string, lang: Language, limit = MAX_RESULTS): GuideSummary[] {
    const normalized = normalize(query);
    if (!normalized) return this.list(lang).slice(0, limit);
    const ranked = this.rank(normalized, lang);
    if (ranked.length > 0) return ranked.slice(0, limit).map(({ item }) => item.summary);
    return this.suggest(query, lang, Math.min(limit, MAX_SUGGESTIONS));
  }

  /** Closest guides to an unknown topic (shared words, prefixes, one or two typos). */
  suggest(query: string, lang: Language, limit = MAX_SUGGESTIONS): GuideSummary[] {
    const tokens = normalize(query).split(' ').filter(Boolean);
    const scores = this.fuzzy[lang].scores(tokens);
    return this.indexes[lang]
      .map((item, position) => ({ item, score: scores[position] ?? 0 }))
      .filter(({ score }) => score >= SUGGESTION_THRESHOLD)
      .sort((a, b) => b.score - a.score || a.item.order - b.item.order)
      .slice(0, limit)
      .map(({ item }) => item.summary);
  }

  /**
   * What `/guide topic:` means: a slug (what autocomplete sends), or text typed without picking a
   * choice. Text opens a guide only when it is unambiguous (an exact title, one match, or the
   * only title starting with it); otherwise the member gets the closest matches to choose from.
   */
  resolve(topic: string, lang: Language): Resolution {
    const trimmed = topic.trim();
    if (this.byLang.en.has(trimmed)) return { found: true, slug: trimmed };
    const normalized = normalize(trimmed);
    if (!normalized) return { found: false, suggestions: [] };
    const bySlug = this.indexes[lang].find((item) => item.entry.slug === normalized);
    if (bySlug) return { found: true, slug: bySlug.guide.slug };
    const ranked = this.rank(normalized, lang);
    const first = ranked[0];
    const second = ranked[1];
    // An exact title, the only match, or the only title that starts with the text.
    const unambiguous =
      first !== undefined &&
      (first.tier === MatchTier.TitleExact ||
        second === undefined ||
        (first.tier === MatchTier.TitlePrefix && second.tier > MatchTier.TitlePrefix));
    if (first && unambiguous) return { found: true, slug: first.item.guide.slug };
    if (ranked.length > 0) return { found: false, suggestions: ranked.slice(0, MAX_SUGGESTIONS).map(({ item }) => item.summary) };
    return { found: false, suggestions: this.suggest(trimmed, lang) };
  }

  /** Pages of a guide for a given page size; computed once per guide, language and size. */
  pages(guide: Guide, size: PageSize): GuidePage[] {
    const key = `${guide.lang}:${guide.slug}:${size.target}:${size.max}`;
    let pages = this.pageCache.get(key);
    if (!pages) {
      pages = paginate(guide.body, size);
      this.pageCache.set(key, pages);
    }
    return pages;
  }

  /** Slugs whose Spanish version is missing or older than the English text (for translation tasks). */
  translationGaps(): { slug: string; state: 'missing' | 'stale' }[] {
    const gaps: { slug: string; state: 'missing' | 'stale' }[] = [];
    for (const slug of [...this.byLang.en.keys()].sort()) {
      const view = this.get(slug, 'es');
      if (view?.fallback) gaps.push({ slug, state: 'missing' });
      else if (view?.stale) gaps.push({ slug, state: 'stale' });
    }
    return gaps;
  }

  private rank(normalized: string, lang: Language): { item: IndexedGuide; tier: MatchTier }[] {
    const query = parseQuery(normalized);
    const matches: { item: IndexedGuide; tier: MatchTier }[] = [];
    for (const item of this.indexes[lang]) {
      const tier = matchTier(item.entry, query);
      if (tier !== undefined) matches.push({ item, tier });
    }
    return matches.sort((a, b) => a.tier - b.tier || a.item.order - b.item.order);
  }
}
