/**
 * Text matching for guide autocomplete and "did you mean". Everything is compared in a normal
 * form (no accents, lowercase, punctuation as spaces) computed once per guide at start, so a
 * keystroke costs a few string comparisons per guide.
 */

const DIACRITICS = /\p{M}+/gu;
const NOT_WORD = /[^\p{L}\p{N}]+/gu;

/** "Asilo en la UE: primeros pasos" → "asilo en la ue primeros pasos" */
export function normalize(text: string): string {
  return text.normalize('NFD').replace(DIACRITICS, '').toLowerCase().replace(NOT_WORD, ' ').trim();
}

/** Tiers, best first. A guide's rank for a query is the best tier any of its fields reaches. */
export const MatchTier = {
  TitleExact: 0,
  TitlePrefix: 1,
  TitleWordPrefix: 2,
  Keyword: 3,
  Substring: 4,
  Slug: 5,
} as const;
export type MatchTier = (typeof MatchTier)[keyof typeof MatchTier];

export interface SearchEntry {
  title: string;
  titleWords: string[];
  keywords: string[];
  keywordWords: string[];
  /** Slug with hyphens as spaces, and without any separator. */
  slug: string;
  slugCompact: string;
  /** Every distinct word of title, keywords and slug, for fuzzy suggestions. */
  vocabulary: string[];
  /** All the above in one string: a query word absent from it cannot match at any tier. */
  haystack: string;
}

const words = (text: string): string[] => (text ? text.split(' ') : []);

export function buildEntry(fields: { title: string; keywords: readonly string[]; slug: string }): SearchEntry {
  const title = normalize(fields.title);
  const keywords = fields.keywords.map(normalize).filter(Boolean);
  const slug = normalize(fields.slug);
  const titleWords = words(title);
  const keywordWords = [...new Set(keywords.flatMap(words))];
  return {
    title,
    titleWords,
    keywords,
    keywordWords,
    slug,
    slugCompact: slug.replace(/ /g, ''),
    vocabulary: [...new Set([...titleWords, ...keywordWords, ...words(slug)])],
    haystack: [title, ...keywords, slug, slug.replace(/ /g, '')].join('\n'),
  };
}

const everyTokenPrefixes = (tokens: readonly string[], candidates: readonly string[]): boolean =>
  tokens.every((token) => candidates.some((word) => word.startsWith(token)));

/** A normalized query, split once per keystroke rather than once per guide. */
export interface Query {
  text: string;
  tokens: string[];
  compact: string;
}

export function parseQuery(normalized: string): Query {
  return { text: normalized, tokens: normalized ? normalized.split(' ') : [], compact: normalized.replace(/ /g, '') };
}

/** The best tier at which `entry` matches the query, or undefined. */
export function matchTier(entry: SearchEntry, { text: query, tokens, compact }: Query): MatchTier | undefined {
  // Every tier needs each query word somewhere in the guide's text: most guides stop here.
  for (const token of tokens) if (!entry.haystack.includes(token)) return undefined;
  if (entry.title === query) return MatchTier.TitleExact;
  if (entry.title.startsWith(query)) return MatchTier.TitlePrefix;
  if (everyTokenPrefixes(tokens, entry.titleWords)) return MatchTier.TitleWordPrefix;
  if (entry.keywords.some((keyword) => keyword.startsWith(query)) || everyTokenPrefixes(tokens, entry.keywordWords)) {
    return MatchTier.Keyword;
  }
  if (entry.title.includes(query) || entry.keywords.some((keyword) => keyword.includes(query))) return MatchTier.Substring;
  if (entry.slug.includes(query) || entry.slugCompact.includes(compact)) return MatchTier.Slug;
  return undefined;
}

/**
 * Levenshtein distance, giving up (returning max + 1) as soon as it must exceed `max`: typo
 * tolerance only needs to know "within 1 or 2 edits".
 */
// Two reused rows: the fuzzy pass compares hundreds of words per keystroke, without garbage.
let rowA = new Int32Array(64);
let rowB = new Int32Array(64);

export function boundedEditDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a === b) return 0;
  if (rowA.length <= b.length) {
    rowA = new Int32Array(b.length * 2);
    rowB = new Int32Array(b.length * 2);
  }
  let previous = rowA;
  let current = rowB;
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return max + 1;
    const swap = previous;
    previous = current;
    current = swap;
  }
  return previous[b.length]!;
}

/** Query words shorter than this say nothing about a topic ("de", "la", "in"). */
const MIN_TOKEN = 3;

/** How close one query word is to one guide word: exact 1, prefix 0.9, one or two typos less, else 0. */
export function wordSimilarity(token: string, word: string): number {
  if (word === token) return 1;
  if ((word.length >= MIN_TOKEN && word.startsWith(token)) || (word.length >= 4 && token.startsWith(word))) return 0.9;
  const maxEdits = token.length <= 4 ? 1 : 2;
  const distance = boundedEditDistance(token, word, maxEdits);
  return distance <= maxEdits ? 1 - distance / Math.max(token.length, word.length) : 0;
}

/**
 * Typo-tolerant matching for "did you mean". Each distinct word of every guide is compared with
 * the query once (not once per guide that uses it), then credited to the guides that contain it.
 */
export class FuzzyIndex {
  private readonly words: string[] = [];
  /** For each word, the positions of the guides that contain it. */
  private readonly postings: number[][] = [];

  constructor(private readonly entries: readonly SearchEntry[]) {
    const positions = new Map<string, number>();
    entries.forEach((entry, guide) => {
      for (const word of entry.vocabulary) {
        let position = positions.get(word);
        if (position === undefined) {
          position = this.words.length;
          positions.set(word, position);
          this.words.push(word);
          this.postings.push([]);
        }
        this.postings[position]!.push(guide);
      }
    });
  }

  /**
   * For each guide (same order as the entries), how close it is to the query from 0 to 1: the
   * average over the query's words of the best match among the guide's words.
   */
  scores(tokens: readonly string[]): Float64Array {
    const totals = new Float64Array(this.entries.length);
    const useful = tokens.filter((token) => token.length >= MIN_TOKEN);
    if (useful.length === 0) return totals;
    const best = new Float64Array(this.entries.length);
    for (const token of useful) {
      best.fill(0);
      for (let position = 0; position < this.words.length; position++) {
        const score = wordSimilarity(token, this.words[position]!);
        if (score === 0) continue;
        for (const guide of this.postings[position]!) if (score > best[guide]!) best[guide] = score;
      }
      for (let guide = 0; guide < totals.length; guide++) totals[guide]! += best[guide]!;
    }
    for (let guide = 0; guide < totals.length; guide++) totals[guide]! /= useful.length;
    return totals;
  }
}
