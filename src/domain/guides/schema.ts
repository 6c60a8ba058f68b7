import { z } from 'zod';

/** Slugs travel in custom ids (≤ 100 characters in all), so they stay short and URL-safe. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SLUG_MAX = 48;
export const TITLE_MAX = 80;
export const SUMMARY_MAX = 100;
export const KEYWORDS = { min: 1, max: 15, length: 50 } as const;
export const SOURCES = { min: 1, max: 10, titleMax: 100, urlMax: 400 } as const;

const required = (what: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${what}`),
});

const text = (max: number) =>
  z
    .string(required('text'))
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(max, { error: `must be at most ${max} characters` });

const httpsUrl = z
  .string(required('a URL'))
  .trim()
  .max(SOURCES.urlMax, { error: `must be at most ${SOURCES.urlMax} characters` })
  .refine(
    (value) => {
      try {
        const url = new URL(value);
        return url.protocol === 'https:' && !url.username && !url.password && url.hostname.includes('.');
      } catch {
        return false;
      }
    },
    { error: 'must be a full https:// URL' },
  );

/** A real calendar day written as "YYYY-MM-DD"; YAML's unquoted dates are accepted too. */
const isoDate = z.preprocess(
  (value) => (value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString().slice(0, 10) : value),
  z
    .string(required('a "YYYY-MM-DD" date'))
    .refine((value) => /^\d{4}-\d{2}-\d{2}$/.test(value) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), {
      error: 'must be a real date written "YYYY-MM-DD"',
    }),
);

const source = z.strictObject({ title: text(SOURCES.titleMax), url: httpsUrl });

const base = {
  slug: z
    .string(required('text'))
    .max(SLUG_MAX, { error: `must be at most ${SLUG_MAX} characters` })
    .regex(SLUG_PATTERN, { error: 'must be lowercase words joined by hyphens (a-z, 0-9)' }),
  title: text(TITLE_MAX),
  summary: text(SUMMARY_MAX),
  keywords: z
    .array(text(KEYWORDS.length), required('a list'))
    .min(KEYWORDS.min, { error: `must list at least ${KEYWORDS.min} keyword` })
    .max(KEYWORDS.max, { error: `must list at most ${KEYWORDS.max} keywords` }),
  sources: z
    .array(source, required('a list'))
    .min(SOURCES.min, { error: `must list at least ${SOURCES.min} source` })
    .max(SOURCES.max, { error: `must list at most ${SOURCES.max} sources` }),
  last_reviewed: isoDate,
};

export const englishFrontMatter = z.strictObject(base);

export const spanishFrontMatter = z.strictObject({
  ...base,
  source_hash: z
    .string(required('the sha256 of the English file'))
    .regex(/^[0-9a-f]{64}$/, { error: 'must be the sha256 (64 hex characters) of the English file' }),
});

export type EnglishFrontMatter = z.infer<typeof englishFrontMatter>;
export type SpanishFrontMatter = z.infer<typeof spanishFrontMatter>;
