import en from '../../locales/en.json' with { type: 'json' };
import es from '../../locales/es.json' with { type: 'json' };

export const LANGUAGES = ['en', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

type Catalog = typeof en;

/** Dotted paths of every string leaf in the English catalog, e.g. "errors.unexpected". */
type LeafKeys<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : LeafKeys<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

export type MessageKey = LeafKeys<Catalog>;
export type MessageVars = Record<string, string | number>;

type Tree = { [key: string]: string | Tree };

const catalogs: Record<Language, Tree> = { en: en as Tree, es: es as Tree };

function lookup(tree: Tree, key: string): string | undefined {
  let node: string | Tree | undefined = tree;
  for (const part of key.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined;
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/** Looks a key up without the compile-time check (for keys built at run time, like error codes). */
export function hasMessage(key: string): boolean {
  return lookup(catalogs.en, key) !== undefined;
}

/**
 * Translates `key` into `lang`, filling `{placeholders}`. Falls back to English, then to the key
 * itself, so a missing string never throws inside a handler (the i18n check catches it in CI).
 */
export function t(lang: Language, key: MessageKey, vars?: MessageVars): string {
  return translateDynamic(lang, key, vars);
}

export function translateDynamic(lang: Language, key: string, vars?: MessageVars): string {
  const template = lookup(catalogs[lang], key) ?? lookup(catalogs.en, key) ?? key;
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (match, name: string) =>
    Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : match,
  );
}

export function isLanguage(value: unknown): value is Language {
  return value === 'en' || value === 'es';
}

/** Maps a Discord locale such as "es-419" or "en-US" to a supported language, if any. */
export function languageFromLocale(locale: string | null | undefined): Language | undefined {
  if (!locale) return undefined;
  if (locale === 'es' || locale.startsWith('es-')) return 'es';
  if (locale === 'en' || locale.startsWith('en-')) return 'en';
  return undefined;
}

/**
 * SPEC §3 order: the member's /language choice, the interaction's locale, the guild's preferred
 * locale, English. A locale that is neither Spanish nor English falls through to the next source.
 */
export function resolveLanguage(sources: {
  memberChoice?: Language | null;
  interactionLocale?: string | null;
  guildLocale?: string | null;
}): Language {
  return (
    sources.memberChoice ??
    languageFromLocale(sources.interactionLocale) ??
    languageFromLocale(sources.guildLocale) ??
    'en'
  );
}

/** Raw catalogs, for the translation check and command localization. */
export function catalog(lang: Language): Tree {
  return catalogs[lang];
}
