import type { Language } from '../../i18n/index.js';

export interface GuideSource {
  title: string;
  url: string;
}

/** One guide in one language, validated at start and never changed afterwards. */
export interface Guide {
  slug: string;
  lang: Language;
  title: string;
  summary: string;
  keywords: string[];
  sources: GuideSource[];
  /** "YYYY-MM-DD" */
  lastReviewed: string;
  /** Markdown after the front matter. */
  body: string;
  /** Where it was read from (for error messages). */
  file: string;
  /** Spanish only: sha256 of the English file this translation was made from. */
  sourceHash?: string;
}

/** What a member asked for and what they get: a guide, possibly in English as a fallback. */
export interface GuideView {
  guide: Guide;
  /** The language the member asked for (the UI around the guide uses it). */
  requestedLang: Language;
  /** True when the requested language has no version of this guide and English is shown. */
  fallback: boolean;
  /** True when this is a translation made from an older English text. */
  stale: boolean;
  /** The other language has its own version of this guide (so a language switch makes sense). */
  otherLanguageAvailable: boolean;
  /** The shown version's `last_reviewed` is older than GUIDE_REVIEW_MAX_AGE_DAYS. */
  reviewOverdue: boolean;
}

export interface GuideSummary {
  slug: string;
  title: string;
  summary: string;
  /** Language of the title and summary (English for a Spanish request without translation). */
  lang: Language;
}
