export { GuideLibrary, MAX_RESULTS, MAX_SUGGESTIONS, type Resolution } from './library.js';
export { BODY_MAX, GuideValidationError, loadGuideFiles, parseGuide, type GuideProblem, type LoadedGuides } from './loader.js';
export { encodeInlineLinks, encodeLinkUrl, mapPage, paginate, splitSections, splitText, toEmbedMarkdown, type GuidePage, type PageSize } from './paginate.js';
export { normalize } from './search.js';
export { KEYWORDS, SLUG_MAX, SLUG_PATTERN, SOURCES, SUMMARY_MAX, TITLE_MAX } from './schema.js';
export type { Guide, GuideSource, GuideSummary, GuideView } from './types.js';
export {
  DAY_MS,
  formatReviewDate,
  isReviewOverdue,
  reviewedAt,
  reviewStatuses,
  type GuideReviewStatus,
  type ReviewPolicy,
} from './review.js';
