import { describe, expect, it } from 'vitest';
import { languageFromLocale, resolveLanguage, t, translateDynamic } from '../../../src/i18n/index.js';

describe('resolveLanguage (SPEC §3 order)', () => {
  it('prefers the member choice over everything', () => {
    expect(resolveLanguage({ memberChoice: 'es', interactionLocale: 'en-US', guildLocale: 'en-US' })).toBe('es');
    expect(resolveLanguage({ memberChoice: 'en', interactionLocale: 'es-419', guildLocale: 'es-ES' })).toBe('en');
  });

  it('then the interaction locale, then the guild locale, then English', () => {
    expect(resolveLanguage({ interactionLocale: 'es-419', guildLocale: 'en-US' })).toBe('es');
    expect(resolveLanguage({ interactionLocale: 'es-ES' })).toBe('es');
    expect(resolveLanguage({ interactionLocale: 'fr', guildLocale: 'es-ES' })).toBe('es');
    expect(resolveLanguage({ interactionLocale: 'de', guildLocale: 'fr' })).toBe('en');
    expect(resolveLanguage({})).toBe('en');
  });

  it('maps Discord locales', () => {
    expect(languageFromLocale('es-419')).toBe('es');
    expect(languageFromLocale('en-GB')).toBe('en');
    expect(languageFromLocale('pt-BR')).toBeUndefined();
    expect(languageFromLocale(null)).toBeUndefined();
  });
});

describe('t', () => {
  it('fills placeholders in both languages', () => {
    expect(t('en', 'errors.unexpected', { incidentId: 'AB12CD34' })).toContain('`AB12CD34`');
    expect(t('es', 'errors.unexpected', { incidentId: 'AB12CD34' })).toContain('identificador de incidente: `AB12CD34`');
  });

  it('falls back to English, then to the key, for unknown keys', () => {
    expect(translateDynamic('es', 'no.such.key')).toBe('no.such.key');
  });

  it('leaves unknown placeholders visible instead of printing undefined', () => {
    expect(t('en', 'errors.outOfRange', { value: 5 })).toContain('{min}');
  });
});
