import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFrontMatter } from '../domain/guides/front-matter.js';

export type TranslationProblem =
  | { kind: 'missing-key'; file: string; key: string }
  | { kind: 'extra-key'; file: string; key: string }
  | { kind: 'placeholders'; file: string; key: string; en: string[]; es: string[] }
  | { kind: 'literal-command'; file: string; key: string; command: string; reference: string }
  | { kind: 'unknown-command'; file: string; key: string; command: string }
  | { kind: 'plural-forms'; file: string; key: string; missing: string[] }
  | { kind: 'missing-guide'; file: string; slug: string }
  | { kind: 'orphan-guide'; file: string; slug: string }
  | { kind: 'stale-guide'; file: string; slug: string; recorded: string | undefined; current: string };

type Tree = { [key: string]: unknown };

/** SHA-256 of an English guide file (line endings normalised), recorded by its translation. */
export function guideSourceHash(content: string): string {
  return createHash('sha256').update(content.replace(/\r\n/g, '\n')).digest('hex');
}

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else if (value && typeof value === 'object') for (const [k, v] of flatten(value as Tree, path)) out.set(k, v);
  }
  return out;
}

export function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? ''))].sort();
}

const PLURAL_FORM = /_(one|other)$/;

/** Every command's name in every language (`cmd.<command>.name`) → the command's English name. */
function commandNames(catalogs: Tree[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const catalog of catalogs) {
    const cmd = catalog.cmd;
    if (!cmd || typeof cmd !== 'object') continue;
    for (const [key, node] of Object.entries(cmd as Tree)) {
      names.set(key, key);
      const name = node && typeof node === 'object' ? (node as Tree).name : undefined;
      if (typeof name === 'string') names.set(name, key);
    }
  }
  return names;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Does `cmd.<a>.options.<b>…` exist for the words of `{cmd:a b}`? */
function commandPathExists(catalog: Tree, path: string): boolean {
  let node: unknown = catalog.cmd;
  for (const part of path.split(' ')) {
    const entry = node && typeof node === 'object' ? (node as Tree)[part] : undefined;
    if (!entry || typeof entry !== 'object') return false;
    node = (entry as Tree).options;
  }
  return true;
}

/** Finds literal `/command` names and `{cmd:…}` references to commands that do not exist. */
function commandTextChecker(catalogs: { en: Tree; es: Tree }): (text: string, file: string, key: string) => TranslationProblem[] {
  const names = commandNames([catalogs.en, catalogs.es]);
  // A slash that starts a word (not a URL, path or mention), then a command name ending the word.
  const alternatives = [...names.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const literal = new RegExp(`(?<![\\p{L}\\p{N}_/<:.\\-])/(${alternatives.join('|')})(?![\\p{L}\\p{N}_\\-])`, 'gu');
  return (text, file, key) => {
    const problems: TranslationProblem[] = [];
    for (const match of text.matchAll(literal)) {
      const name = match[1] ?? '';
      problems.push({ kind: 'literal-command', file, key, command: `/${name}`, reference: `{cmd:${names.get(name) ?? name}}` });
    }
    for (const match of text.matchAll(/\{cmd:([^}]*)\}/g)) {
      if (!commandPathExists(catalogs.en, match[1] ?? '')) problems.push({ kind: 'unknown-command', file, key, command: match[1] ?? '' });
    }
    return problems;
  };
}

/**
 * Command names in UI text must be `{cmd:name sub}` references, which become command mentions that
 * Discord shows in each reader's language; a literal `/name` would show one language to everyone.
 * Text with a `{count}` must come as `_one` and `_other` forms, so "1 tasks" cannot happen.
 */
function checkText(catalogs: { en: Tree; es: Tree }, files: { en: string; es: string }): TranslationProblem[] {
  const problems: TranslationProblem[] = [];
  const commands = commandTextChecker(catalogs);
  for (const lang of ['en', 'es'] as const) {
    const file = files[lang];
    const keys = flatten(catalogs[lang]);
    for (const [key, text] of keys) {
      problems.push(...commands(text, file, key));
      if (!PLURAL_FORM.test(key) && placeholders(text).includes('count')) {
        problems.push({ kind: 'plural-forms', file, key, missing: [`${key}_one`, `${key}_other`] });
      }
    }
    // Both forms, in both languages, for every plural key either language has.
    const bases = new Set<string>();
    for (const catalog of [catalogs.en, catalogs.es]) for (const key of flatten(catalog).keys()) if (PLURAL_FORM.test(key)) bases.add(key.replace(PLURAL_FORM, ''));
    for (const base of bases) {
      const missing = ['one', 'other'].map((form) => `${base}_${form}`).filter((key) => !keys.has(key));
      if (missing.length > 0) problems.push({ kind: 'plural-forms', file, key: base, missing });
    }
  }
  return problems;
}

/**
 * Compares the UI catalogs: every key in both languages, with the same placeholders; command names
 * only as `{cmd:…}` references; `{count}` only in plural forms.
 */
export function checkCatalogs(en: Tree, es: Tree, files = { en: 'locales/en.json', es: 'locales/es.json' }): TranslationProblem[] {
  const problems: TranslationProblem[] = [];
  const enKeys = flatten(en);
  const esKeys = flatten(es);
  for (const [key, enText] of enKeys) {
    const esText = esKeys.get(key);
    if (esText === undefined) {
      problems.push({ kind: 'missing-key', file: files.es, key });
      continue;
    }
    const a = placeholders(enText);
    const b = placeholders(esText);
    if (a.join() !== b.join()) problems.push({ kind: 'placeholders', file: files.es, key, en: a, es: b });
  }
  for (const key of esKeys.keys()) if (!enKeys.has(key)) problems.push({ kind: 'missing-key', file: files.en, key });
  problems.push(...checkText({ en, es }, files));
  return problems;
}

export interface GuideTranslationStatus {
  slug: string;
  state: 'current' | 'missing' | 'stale';
  englishFile: string;
  spanishFile: string;
  currentHash: string;
  recordedHash?: string;
}

/** For each English guide: is there a Spanish translation, and was it made from this English text? */
export function guideTranslationStatus(localesDir: string): GuideTranslationStatus[] {
  const enDir = join(localesDir, 'en', 'guides');
  const esDir = join(localesDir, 'es', 'guides');
  if (!existsSync(enDir)) return [];
  return readdirSync(enDir)
    .filter((file) => file.endsWith('.md'))
    .sort()
    .map((file) => {
      const slug = file.replace(/\.md$/, '');
      const englishFile = join(enDir, file);
      const spanishFile = join(esDir, file);
      const currentHash = guideSourceHash(readFileSync(englishFile, 'utf8'));
      if (!existsSync(spanishFile)) return { slug, state: 'missing', englishFile, spanishFile, currentHash };
      // Unreadable front matter records no hash; the guide loader reports the file itself.
      let recorded: unknown;
      try {
        recorded = parseFrontMatter(readFileSync(spanishFile, 'utf8')).data.source_hash;
      } catch {
        recorded = undefined;
      }
      const recordedHash = typeof recorded === 'string' ? recorded : undefined;
      return {
        slug,
        state: recordedHash === currentHash ? 'current' : 'stale',
        englishFile,
        spanishFile,
        currentHash,
        ...(recordedHash ? { recordedHash } : {}),
      };
    });
}

const readJson = (path: string): Tree => (existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Tree) : {});

export function checkGuides(localesDir: string): TranslationProblem[] {
  const problems: TranslationProblem[] = [];
  for (const status of guideTranslationStatus(localesDir)) {
    if (status.state === 'missing') problems.push({ kind: 'missing-guide', file: status.spanishFile, slug: status.slug });
    if (status.state === 'stale') {
      problems.push({
        kind: 'stale-guide',
        file: status.spanishFile,
        slug: status.slug,
        recorded: status.recordedHash,
        current: status.currentHash,
      });
    }
  }
  // Guide bodies name commands the same way as UI text: `{cmd:…}`, rendered as mentions.
  const catalogs = { en: readJson(join(localesDir, 'en.json')), es: readJson(join(localesDir, 'es.json')) };
  const commands = commandTextChecker(catalogs);
  for (const lang of ['en', 'es'] as const) {
    const dir = join(localesDir, lang, 'guides');
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.md'))) {
      problems.push(...commands(readFileSync(join(dir, file), 'utf8'), join(dir, file), 'body'));
    }
  }
  const esDir = join(localesDir, 'es', 'guides');
  if (existsSync(esDir)) {
    for (const file of readdirSync(esDir).filter((name) => name.endsWith('.md'))) {
      if (!existsSync(join(localesDir, 'en', 'guides', file))) {
        problems.push({ kind: 'orphan-guide', file: join(esDir, file), slug: file.replace(/\.md$/, '') });
      }
    }
  }
  return problems;
}

export function describeProblem(problem: TranslationProblem): string {
  switch (problem.kind) {
    case 'missing-key':
      return `${problem.file}: missing key "${problem.key}"`;
    case 'extra-key':
      return `${problem.file}: key "${problem.key}" exists only here`;
    case 'placeholders':
      return `${problem.file}: key "${problem.key}" has placeholders {${problem.es.join('}, {')}} but English has {${problem.en.join('}, {')}}`;
    case 'literal-command':
      return `${problem.file}: key "${problem.key}" names ${problem.command} literally; write ${problem.reference} (English names, subcommand too: {cmd:task done}) so each member sees the name in their own language`;
    case 'unknown-command':
      return `${problem.file}: key "${problem.key}" refers to {cmd:${problem.command}}, which is not a command (see cmd.* in the locale files)`;
    case 'plural-forms':
      return `${problem.file}: key "${problem.key}" needs plural forms ${problem.missing.join(' and ')} (text with {count} comes as _one and _other)`;
    case 'missing-guide':
      return `${problem.file}: Spanish translation of guide "${problem.slug}" is missing`;
    case 'orphan-guide':
      return `${problem.file}: Spanish guide "${problem.slug}" has no English source`;
    case 'stale-guide':
      return `${problem.file}: guide "${problem.slug}" is stale (source_hash ${problem.recorded ?? 'absent'}, English is now ${problem.current}); update the translation, then run npm run i18n:mark-reviewed -- ${problem.slug}`;
  }
}

/**
 * After a translator has brought a Spanish guide up to date, records the hash of the English text
 * it now matches. Replaces only the one front-matter line so the translator's formatting stays.
 * Returns the recorded hash.
 */
export function markTranslationReviewed(localesDir: string, slug: string): string {
  const english = readFileSync(join(localesDir, 'en', 'guides', `${slug}.md`), 'utf8');
  const spanishPath = join(localesDir, 'es', 'guides', `${slug}.md`);
  const spanish = readFileSync(spanishPath, 'utf8').replace(/\r\n/g, '\n');
  const hash = guideSourceHash(english);
  const updated = /^source_hash:.*$/m.test(spanish)
    ? spanish.replace(/^source_hash:.*$/m, `source_hash: "${hash}"`)
    : spanish.replace(/^---\n/, `---\nsource_hash: "${hash}"\n`);
  if (parseFrontMatter(updated).data.source_hash !== hash) throw new Error(`could not record the hash in ${spanishPath}`);
  writeFileSync(spanishPath, updated);
  return hash;
}
