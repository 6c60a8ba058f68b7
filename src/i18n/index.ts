import en from '../../locales/en.json' with { type: 'json' };
import es from '../../locales/es.json' with { type: 'json' };
import { commandId } from './command-ids.js';

export const LANGUAGES = ['en', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

type Catalog = typeof en;

/** A plural form's key without its `_one` / `_other` suffix: t() picks the form from `{count}`. */
type PluralBase<K extends string> = K extends `${infer Base}_${PluralSuffix}` ? Base : K;
type PluralSuffix = 'one' | 'other';

/** Dotted paths of every string leaf in the English catalog, e.g. "errors.unexpected". */
type LeafKeys<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${PluralBase<K>}` : LeafKeys<T[K], `${Prefix}${K}.`>;
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
  return lookup(catalogs.en, key) !== undefined || lookup(catalogs.en, `${key}_other`) !== undefined;
}

/**
 * Translates `key` into `lang`, filling `{placeholders}`. Falls back to English, then to the key
 * itself, so a missing string never throws inside a handler (the i18n check catches it in CI).
 */
export function t(lang: Language, key: MessageKey, vars?: MessageVars): string {
  return translateDynamic(lang, key, vars);
}

const pluralRules = new Map<Language, Intl.PluralRules>();

/** The CLDR plural category of `count` in `lang` ("one", "other", and for Spanish also "many"). */
export function pluralCategory(lang: Language, count: number): Intl.LDMLPluralRule {
  let rules = pluralRules.get(lang);
  if (!rules) {
    rules = new Intl.PluralRules(lang);
    pluralRules.set(lang, rules);
  }
  return rules.select(count);
}

/**
 * With a numeric `{count}`, a key may exist only as `key_one` / `key_other`: the form for the
 * count's plural category is used, else `_other` (Spanish "many", for millions, reads as other).
 */
function template(lang: Language, key: string, vars?: MessageVars): string | undefined {
  const count = vars?.count;
  if (count !== undefined) {
    const number = typeof count === 'number' ? count : Number(count);
    const category = Number.isFinite(number) ? pluralCategory(lang, number) : 'other';
    const form = lookup(catalogs[lang], `${key}_${category}`) ?? lookup(catalogs[lang], `${key}_other`);
    if (form !== undefined) return form;
  }
  return lookup(catalogs[lang], key);
}

/** `{cmd:name}` or `{cmd:name group subcommand}`: a command the text names. */
export const COMMAND_REFERENCE = /\{cmd:([a-z0-9_-]+(?: [a-z0-9_-]+){0,2})\}/g;

/**
 * A command mention `</task done:id>` when the command's id is known (Discord renders it in the
 * reader's language, clickable); before registration, the command's name in the text's language.
 */
export function commandReference(lang: Language, path: string): string {
  const parts = path.split(' ');
  const id = commandId(parts[0] ?? '');
  if (id) return `</${path}:${id}>`;
  const names: string[] = [];
  let node: string | Tree | undefined = catalogs[lang].cmd;
  for (const part of parts) {
    const entry: string | Tree | undefined = typeof node === 'object' ? node[part] : undefined;
    const name = typeof entry === 'object' ? entry.name : undefined;
    names.push(typeof name === 'string' ? name : part);
    node = typeof entry === 'object' ? entry.options : undefined;
  }
  return `/${names.join(' ')}`;
}

export function translateDynamic(lang: Language, key: string, vars?: MessageVars): string {
  const text = template(lang, key, vars) ?? template('en', key, vars) ?? key;
  const withCommands = text.includes('{cmd:') ? text.replace(COMMAND_REFERENCE, (_match, path: string) => commandReference(lang, path)) : text;
  if (!vars) return withCommands;
  return withCommands.replace(/\{(\w+)\}/g, (match, name: string) =>
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
