export * from './types.js';
export { SupportService, type DueReminders, type PurgeResult, type QueuePage, type SupportStats, type LanguageStats, type TransitionResult } from './support-service.js';
export {
  SupportHoursService,
  formatSchedule,
  isWithinHours,
  nextOpening,
  parseSchedule,
  validateTimezone,
  type SupportHours,
  type WeeklySchedule,
} from './support-hours.js';
export { SupportPrivacy } from './support-privacy.js';
export { ConversationService, type PendingDeletion } from './conversations.js';
