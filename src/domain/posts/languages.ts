import { t, type Language, type MessageKey, type MessageVars } from '../../i18n/index.js';

/**
 * Scheduled posts go to a whole channel, so they are written for everyone: both languages unless
 * the guild chose one, with the guild's language first.
 */
export function postLanguages(defaultLanguage: Language | null | undefined): Language[] {
  if (defaultLanguage === 'es') return ['es'];
  if (defaultLanguage === 'en') return ['en'];
  return ['en', 'es'];
}

/** A label in every post language, e.g. "Sources · Fuentes". */
export function bilingual(languages: readonly Language[], key: MessageKey, vars?: MessageVars): string {
  const texts = languages.map((lang) => t(lang, key, vars));
  return [...new Set(texts)].join(' · ');
}
