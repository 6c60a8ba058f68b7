import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { guideSourceHash } from '../../../src/i18n/translation-check.js';

export interface FixtureGuide {
  slug: string;
  title?: string;
  summary?: string;
  keywords?: string[];
  sources?: { title: string; url: string }[];
  last_reviewed?: string;
  body?: string;
}

/** Front matter as the translators write it (quoted strings, flow lists). */
export function guideFile(guide: FixtureGuide, extra: Record<string, string> = {}): string {
  const lines = [
    '---',
    `slug: ${guide.slug}`,
    `title: ${JSON.stringify(guide.title ?? `Guide ${guide.slug}`)}`,
    `summary: ${JSON.stringify(guide.summary ?? 'A short summary.')}`,
    `keywords: ${JSON.stringify(guide.keywords ?? ['keyword'])}`,
    'sources:',
    ...(guide.sources ?? [{ title: 'Official source', url: 'https://example.org/source' }]).flatMap((source) => [
      `  - title: ${JSON.stringify(source.title)}`,
      `    url: ${JSON.stringify(source.url)}`,
    ]),
    `last_reviewed: "${guide.last_reviewed ?? '2026-11-01'}"`,
    ...Object.entries(extra).map(([key, value]) => `${key}: ${value}`),
    '---',
    guide.body ?? '*This is information, not legal advice.*\n\n## First\nSome text.\n\n## Second\nMore text.',
    '',
  ];
  return lines.join('\n');
}

/** A temporary locales folder; returns its path and helpers to write guides in it. */
export function tempLocales() {
  const dir = mkdtempSync(join(tmpdir(), 'hml-guides-'));
  mkdirSync(join(dir, 'en', 'guides'), { recursive: true });
  mkdirSync(join(dir, 'es', 'guides'), { recursive: true });
  const path = (lang: 'en' | 'es', slug: string) => join(dir, lang, 'guides', `${slug}.md`);
  return {
    dir,
    path,
    writeRaw(lang: 'en' | 'es', slug: string, content: string) {
      writeFileSync(path(lang, slug), content);
      return content;
    },
    /** Writes an English guide and, unless `spanish` is false, its current Spanish translation. */
    write(guide: FixtureGuide, spanish: FixtureGuide | false = { ...guide, title: `Guía ${guide.slug}` }) {
      const english = guideFile(guide);
      writeFileSync(path('en', guide.slug), english);
      if (spanish) writeFileSync(path('es', guide.slug), guideFile(spanish, { source_hash: `"${guideSourceHash(english)}"` }));
      return english;
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
