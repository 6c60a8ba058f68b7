import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { z } from 'zod';
import type { Language } from '../../i18n/index.js';
import { guideSourceHash } from '../../i18n/translation-check.js';
import { PROJECT_ROOT } from '../../paths.js';
import { parseFrontMatter, type FrontMatter } from './front-matter.js';
import { englishFrontMatter, spanishFrontMatter } from './schema.js';
import type { Guide } from './types.js';

/** A guide body longer than this is a mistake (a pasted document), not a guide. */
export const BODY_MAX = 60_000;

export interface GuideProblem {
  file: string;
  /** Dotted front-matter path such as "sources.2.url", or "body" / "file name" / "front matter". */
  field: string;
  message: string;
}

/** Thrown at start when any guide is invalid; the message names every file and field at fault. */
export class GuideValidationError extends Error {
  constructor(readonly problems: GuideProblem[]) {
    super(
      `Invalid guide${problems.length > 1 ? 's' : ''}:\n` +
        problems.map((problem) => `  ${problem.file}: field "${problem.field}" ${problem.message}`).join('\n'),
    );
    this.name = 'GuideValidationError';
  }
}

export interface LoadedGuides {
  en: Guide[];
  es: Guide[];
  /** sha256 of each English file by slug, to tell stale translations apart. */
  englishHashes: Map<string, string>;
}

const displayPath = (file: string): string => {
  const rel = relative(PROJECT_ROOT, file);
  return rel.startsWith('..') || rel === '' ? file : rel.split(sep).join('/');
};

function fieldOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return [...issue.path.map(String), ...issue.keys].join('.') || 'front matter';
  return issue.path.map(String).join('.') || 'front matter';
}

/**
 * Parses and validates one guide file. Returns the guide, or the problems found (every one of them,
 * so a translator fixes a file in one pass).
 */
export function parseGuide(
  content: string,
  file: string,
  lang: Language,
): { guide: Guide; problems: [] } | { guide?: undefined; problems: GuideProblem[] } {
  const where = displayPath(file);
  let parsed: FrontMatter;
  try {
    parsed = parseFrontMatter(content);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { problems: [{ file: where, field: 'front matter', message: reason ?? 'is not valid YAML' }] };
  }
  if (!parsed.raw.trim()) {
    return { problems: [{ file: where, field: 'front matter', message: 'is missing (the file must start with a --- block)' }] };
  }
  const schema = lang === 'es' ? spanishFrontMatter : englishFrontMatter;
  const result = schema.safeParse(parsed.data);
  const problems: GuideProblem[] = result.success
    ? []
    : result.error.issues.map((issue) => ({ file: where, field: fieldOf(issue), message: issue.message }));
  const fileSlug = file.split(/[\\/]/).pop()?.replace(/\.md$/, '');
  if (result.success && result.data.slug !== fileSlug) {
    problems.push({ file: where, field: 'slug', message: `is "${result.data.slug}" but the file is named "${fileSlug}.md"` });
  }
  const body = parsed.content.replace(/\r\n/g, '\n').trim();
  if (!body) problems.push({ file: where, field: 'body', message: 'is empty' });
  if (body.length > BODY_MAX) problems.push({ file: where, field: 'body', message: `is over ${BODY_MAX} characters` });
  if (!result.success || problems.length > 0) return { problems };
  const data = result.data;
  return {
    problems: [],
    guide: {
      slug: data.slug,
      lang,
      title: data.title,
      summary: data.summary,
      keywords: data.keywords,
      sources: data.sources,
      lastReviewed: data.last_reviewed,
      body,
      file: where,
      ...('source_hash' in data && typeof data.source_hash === 'string' ? { sourceHash: data.source_hash } : {}),
    },
  };
}

function markdownFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.md'))
    .sort();
}

/**
 * Reads `<localesDir>/{en,es}/guides/*.md`. English is the source of every guide; a Spanish file
 * without an English one is refused. Throws GuideValidationError listing every problem.
 */
export function loadGuideFiles(localesDir: string): LoadedGuides {
  const enDir = join(localesDir, 'en', 'guides');
  const esDir = join(localesDir, 'es', 'guides');
  const problems: GuideProblem[] = [];
  const loaded: LoadedGuides = { en: [], es: [], englishHashes: new Map() };
  if (!existsSync(enDir)) {
    throw new GuideValidationError([{ file: displayPath(enDir), field: 'folder', message: 'does not exist' }]);
  }
  for (const name of markdownFiles(enDir)) {
    const file = join(enDir, name);
    const content = readFileSync(file, 'utf8');
    const result = parseGuide(content, file, 'en');
    if (result.guide) {
      loaded.en.push(result.guide);
      loaded.englishHashes.set(result.guide.slug, guideSourceHash(content));
    } else problems.push(...result.problems);
  }
  if (existsSync(esDir)) {
    for (const name of markdownFiles(esDir)) {
      const file = join(esDir, name);
      if (!existsSync(join(enDir, name))) {
        problems.push({ file: displayPath(file), field: 'file name', message: `has no English original (${name} in ${displayPath(enDir)})` });
        continue;
      }
      const result = parseGuide(readFileSync(file, 'utf8'), file, 'es');
      if (result.guide) loaded.es.push(result.guide);
      else problems.push(...result.problems);
    }
  }
  if (problems.length > 0) throw new GuideValidationError(problems);
  return loaded;
}
