import type { Language } from '../../i18n/index.js';
import type { Guide } from './types.js';

export const DAY_MS = 86_400_000;

/** How old a guide's `last_reviewed` may get before it is overdue for review (GUIDE_REVIEW_MAX_AGE_DAYS). */
export interface ReviewPolicy {
  maxAgeDays: number;
  now: () => number;
}

/** Start of the review day (UTC), in milliseconds. */
export const reviewedAt = (lastReviewed: string): number => Date.parse(`${lastReviewed}T00:00:00Z`);

/**
 * True when more than `maxAgeDays` days have passed since the start (UTC) of the review day: a guide
 * reviewed on 4 June is overdue under 180 days from 1 December 00:00 UTC, and under 0 days from the
 * moment its review day began.
 */
export function isReviewOverdue(lastReviewed: string, now: number, maxAgeDays: number): boolean {
  return now - reviewedAt(lastReviewed) > maxAgeDays * DAY_MS;
}

/** The review date as a member of `lang` reads it: "December 1, 2026" / "1 de diciembre de 2026". */
export function formatReviewDate(lastReviewed: string, lang: Language): string {
  return new Intl.DateTimeFormat(lang === 'es' ? 'es' : 'en-US', { dateStyle: 'long', timeZone: 'UTC' }).format(
    reviewedAt(lastReviewed),
  );
}

/** One English guide's review state, for the "Review guide" volunteer tasks. */
export interface GuideReviewStatus {
  slug: string;
  title: string;
  /** The older of the English and Spanish `last_reviewed`. */
  lastReviewed: string;
  /** The English file and, when there is one, the Spanish translation (paths as loaded). */
  englishFile: string;
  spanishFile?: string;
  overdue: boolean;
}

/**
 * A guide is as old as its oldest version: a Spanish translation whose `last_reviewed` lags behind
 * shows members the overdue notice too, so it counts for the review task.
 */
export function reviewStatuses(english: readonly Guide[], spanish: ReadonlyMap<string, Guide>, now: number, maxAgeDays: number): GuideReviewStatus[] {
  return [...english]
    .sort((a, b) => a.slug.localeCompare(b.slug))
    .map((guide) => {
      const translation = spanish.get(guide.slug);
      const oldest = translation && translation.lastReviewed < guide.lastReviewed ? translation.lastReviewed : guide.lastReviewed;
      return {
        slug: guide.slug,
        title: guide.title,
        lastReviewed: oldest,
        englishFile: guide.file,
        ...(translation ? { spanishFile: translation.file } : {}),
        overdue: isReviewOverdue(oldest, now, maxAgeDays),
      };
    });
}
