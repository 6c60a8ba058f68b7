// Guide autocomplete latency (SPEC §9: p99 under 2 ms in-process over 200 guides).
// Builds 200 synthetic guides in both languages plus the real ones, then times 10,000 queries of
// the kinds members type: title and keyword prefixes, whole words, several words, accents and
// capitals, typos, slugs, nonsense and the empty string.
// Usage: node --import tsx bench/autocomplete.ts [--guides 200] [--queries 10000]
import { pathToFileURL } from 'node:url';
import { GuideLibrary, loadGuideFiles, type Guide } from '../src/domain/guides/index.js';
import type { Language } from '../src/i18n/index.js';
import { projectPath } from '../src/paths.js';

export const AUTOCOMPLETE_P99_BUDGET_MS = 2;

export interface AutocompleteBenchResult {
  guides: number;
  queries: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  /** Queries that returned at least one guide. */
  answered: number;
  pass: boolean;
}

/** Small deterministic PRNG so every run times the same queries. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = {
  en: ['asylum', 'visa', 'work', 'study', 'family', 'refugee', 'protection', 'country', 'safe', 'border', 'residence', 'permit',
    'appeal', 'interview', 'rights', 'children', 'housing', 'health', 'language', 'documents', 'passport', 'citizenship',
    'reunification', 'employment', 'self-employment', 'students', 'researchers', 'detention', 'deportation', 'lawyer'],
  es: ['asilo', 'visado', 'trabajo', 'estudios', 'familia', 'refugiado', 'protección', 'país', 'seguro', 'frontera',
    'residencia', 'permiso', 'recurso', 'entrevista', 'derechos', 'niños', 'vivienda', 'salud', 'idioma', 'documentos',
    'pasaporte', 'ciudadanía', 'reagrupación', 'empleo', 'autónomo', 'estudiantes', 'investigación', 'detención', 'deportación', 'abogacía'],
  places: ['Spain', 'Germany', 'Portugal', 'Canada', 'Mexico', 'Ireland', 'Netherlands', 'France', 'Italy', 'Sweden', 'Colombia', 'Argentina'],
};

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function syntheticGuides(count: number, random: () => number): { en: Guide[]; es: Guide[] } {
  const en: Guide[] = [];
  const es: Guide[] = [];
  for (let index = 0; index < count; index++) {
    const place = pick(random, WORDS.places);
    const enWords = Array.from({ length: 2 + Math.floor(random() * 3) }, () => pick(random, WORDS.en));
    const esWords = Array.from({ length: 2 + Math.floor(random() * 3) }, () => pick(random, WORDS.es));
    const slug = `synthetic-${index}-${enWords[0]}`;
    const common = {
      slug,
      sources: [{ title: 'Source', url: 'https://example.org/source' }],
      lastReviewed: '2026-11-01',
      body: 'Synthetic body.',
    };
    const title = (words: string[]) => `${words.join(' ')} in ${place}`.replace(/^./, (c) => c.toUpperCase()).slice(0, 80);
    en.push({
      ...common,
      lang: 'en',
      title: title(enWords),
      summary: `About ${enWords.join(', ')}.`,
      keywords: Array.from({ length: 5 + Math.floor(random() * 10) }, () => pick(random, WORDS.en)),
      file: `synthetic/en/${slug}.md`,
    });
    es.push({
      ...common,
      lang: 'es',
      title: title(esWords).replace(' in ', ' en '),
      summary: `Sobre ${esWords.join(', ')}.`,
      keywords: Array.from({ length: 5 + Math.floor(random() * 10) }, () => pick(random, WORDS.es)),
      file: `synthetic/es/${slug}.md`,
      sourceHash: 'synthetic',
    });
  }
  return { en, es };
}

function typo(random: () => number, word: string): string {
  if (word.length < 4) return word;
  const at = 1 + Math.floor(random() * (word.length - 2));
  return random() < 0.5 ? word.slice(0, at) + word.slice(at + 1) : word.slice(0, at) + 'x' + word.slice(at + 1);
}

function queries(count: number, library: GuideLibrary, random: () => number): { text: string; lang: Language }[] {
  const out: { text: string; lang: Language }[] = [];
  for (let index = 0; index < count; index++) {
    const lang: Language = random() < 0.5 ? 'en' : 'es';
    const guides = library.list(lang);
    const guide = pick(random, guides);
    const words = lang === 'en' ? WORDS.en : WORDS.es;
    const kind = Math.floor(random() * 9);
    let text: string;
    switch (kind) {
      case 0: // a member typing a title, letter by letter
        text = guide.title.slice(0, 1 + Math.floor(random() * 12));
        break;
      case 1:
        text = pick(random, words).slice(0, 2 + Math.floor(random() * 6));
        break;
      case 2:
        text = `${pick(random, words)} ${pick(random, words).slice(0, 3)}`;
        break;
      case 3: // accents dropped and capitals, as on a phone
        text = pick(random, words).normalize('NFD').replace(/\p{M}/gu, '').toUpperCase();
        break;
      case 4:
        text = typo(random, pick(random, words));
        break;
      case 5:
        text = guide.slug.slice(0, 4 + Math.floor(random() * 12));
        break;
      case 6:
        text = Math.floor(random() * 1e12).toString(36).slice(0, 1 + Math.floor(random() * 8));
        break;
      case 7:
        text = '';
        break;
      default:
        text = guide.title;
    }
    out.push({ text, lang });
  }
  return out;
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;

export function runAutocompleteBench(options: { guides?: number; queries?: number; seed?: number } = {}): AutocompleteBenchResult {
  const random = mulberry32(options.seed ?? 42);
  const real = loadGuideFiles(projectPath('locales'));
  const synthetic = syntheticGuides(options.guides ?? 200, random);
  const library = new GuideLibrary({
    en: [...real.en, ...synthetic.en],
    es: [...real.es, ...synthetic.es],
    englishHashes: new Map([...real.englishHashes, ...synthetic.en.map((guide) => [guide.slug, 'synthetic'] as const)]),
  });
  const work = queries(options.queries ?? 10_000, library, random);
  // What the autocomplete handler does with each query: search, then shape Discord's choices.
  const answer = (query: { text: string; lang: Language }) =>
    library.search(query.text, query.lang).map((result) => ({ name: result.title.slice(0, 100), value: result.slug }));
  for (const query of work.slice(0, 500)) answer(query); // warm-up (JIT), not timed
  const times: number[] = [];
  let answered = 0;
  for (const query of work) {
    const started = performance.now();
    const choices = answer(query);
    times.push(performance.now() - started);
    if (choices.length > 0) answered++;
  }
  const sorted = [...times].sort((a, b) => a - b);
  const p99Ms = percentile(sorted, 99);
  return {
    guides: library.size,
    queries: work.length,
    p50Ms: percentile(sorted, 50),
    p99Ms,
    maxMs: sorted[sorted.length - 1] ?? 0,
    meanMs: times.reduce((sum, ms) => sum + ms, 0) / times.length,
    answered,
    pass: p99Ms < AUTOCOMPLETE_P99_BUDGET_MS,
  };
}

function argument(name: string): number | undefined {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : NaN;
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = runAutocompleteBench({ guides: argument('guides'), queries: argument('queries') });
  const ms = (value: number) => `${value.toFixed(3)} ms`;
  console.log(
    `guide autocomplete: ${result.queries} queries over ${result.guides} guides (×2 languages): ` +
      `p50 ${ms(result.p50Ms)}, p99 ${ms(result.p99Ms)}, max ${ms(result.maxMs)}, mean ${ms(result.meanMs)}; ` +
      `${result.answered} answered with at least one guide`,
  );
  console.log(`${result.pass ? 'PASS' : 'FAIL'}: p99 ${result.pass ? '<' : '≥'} ${AUTOCOMPLETE_P99_BUDGET_MS} ms (SPEC §9)`);
  if (!result.pass) process.exitCode = 1;
}
