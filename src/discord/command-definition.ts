import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  type APIApplicationCommandOption,
  type LocalizationMap,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { catalog, type Language } from '../i18n/index.js';

/**
 * A command is declared once with its stable English names; every description and every Spanish
 * name comes from the locale files under `cmd.<command>[.options.<name>…]`, so translators never
 * touch code and the names stay a contract.
 */
export interface OptionDeclaration {
  name: string;
  type: ApplicationCommandOptionType;
  required?: boolean;
  /** Choice values; their display names come from `…choices.<value>` in the locale files. */
  choices?: readonly (string | number)[];
  autocomplete?: boolean;
  options?: readonly OptionDeclaration[];
  minValue?: number;
  maxValue?: number;
  minLength?: number;
  maxLength?: number;
  channelTypes?: readonly number[];
}

export interface CommandDeclaration {
  name: string;
  options?: readonly OptionDeclaration[];
  /** Permission bits required by default in Discord's UI; the handler checks again. */
  defaultMemberPermissions?: bigint;
}

const SPANISH_LOCALES = ['es-ES', 'es-419'] as const;

type Node = { [key: string]: string | Node };

function nodeAt(lang: Language, path: readonly string[]): Node | undefined {
  let node: string | Node | undefined = catalog(lang);
  for (const part of path) {
    if (node === undefined || typeof node === 'string') return undefined;
    node = node[part];
  }
  return typeof node === 'object' ? node : undefined;
}

function text(lang: Language, path: readonly string[], field: string): string {
  const value = nodeAt(lang, path)?.[field];
  if (typeof value !== 'string') {
    throw new Error(`Missing locale string ${lang}:${[...path, field].join('.')}`);
  }
  return value;
}

function spanish(path: readonly string[], field: string): LocalizationMap {
  const value = text('es', path, field);
  return Object.fromEntries(SPANISH_LOCALES.map((locale) => [locale, value]));
}

function buildOption(option: OptionDeclaration, path: readonly string[]): APIApplicationCommandOption {
  const own = [...path, 'options', option.name];
  const json: Record<string, unknown> = {
    type: option.type,
    name: option.name,
    name_localizations: spanish(own, 'name'),
    description: text('en', own, 'description'),
    description_localizations: spanish(own, 'description'),
  };
  if (option.required) json.required = true;
  if (option.autocomplete) json.autocomplete = true;
  if (option.choices) {
    json.choices = option.choices.map((value) => ({
      name: text('en', [...own, 'choices'], String(value)),
      name_localizations: spanish([...own, 'choices'], String(value)),
      value,
    }));
  }
  if (option.options) json.options = option.options.map((child) => buildOption(child, own));
  if (option.minValue !== undefined) json.min_value = option.minValue;
  if (option.maxValue !== undefined) json.max_value = option.maxValue;
  if (option.minLength !== undefined) json.min_length = option.minLength;
  if (option.maxLength !== undefined) json.max_length = option.maxLength;
  if (option.channelTypes) json.channel_types = [...option.channelTypes];
  return json as unknown as APIApplicationCommandOption;
}

export function buildCommandJson(declaration: CommandDeclaration): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const path = ['cmd', declaration.name];
  return {
    type: ApplicationCommandType.ChatInput,
    name: declaration.name,
    name_localizations: spanish(path, 'name'),
    description: text('en', path, 'description'),
    description_localizations: spanish(path, 'description'),
    options: (declaration.options ?? []).map((option) => buildOption(option, path)),
    default_member_permissions:
      declaration.defaultMemberPermissions === undefined ? null : declaration.defaultMemberPermissions.toString(),
    // Every feature is scoped to a server; nothing works in DMs.
    contexts: [InteractionContextType.Guild],
  };
}

/** The English description of a command (for /help), localized. */
export function commandDescription(lang: Language, name: string): string {
  return text(lang, ['cmd', name], 'description');
}

export { ApplicationCommandOptionType as OptionType };
