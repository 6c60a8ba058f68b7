import { ComponentType } from 'discord-api-types/v10';

type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Discord fills in defaults when it stores a message, and its responses always carry them (its
 * OpenAPI description marks them required): embed fields get `inline: false`, select menus
 * `min_values`/`max_values` of 1, containers `accent_color: null` and `spoiler: false`, separators
 * `divider: true` and `spacing: 1`, thumbnails `description: null` and `spoiler: false`.
 */
export function embedDefaults<T>(embed: T): T {
  if (!isObject(embed) || !Array.isArray(embed.fields)) return embed;
  return { ...embed, fields: embed.fields.map((field: unknown) => (isObject(field) ? { inline: false, ...field } : field)) } as T;
}

const SELECTS = new Set<number>([ComponentType.StringSelect, ComponentType.UserSelect, ComponentType.RoleSelect, ComponentType.MentionableSelect, ComponentType.ChannelSelect]);

export function componentDefaults(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(componentDefaults);
  if (!isObject(node) || typeof node.type !== 'number') return node;
  let copy: JsonObject = { ...node };
  if (SELECTS.has(node.type)) copy = { min_values: 1, max_values: 1, ...copy };
  if (node.type === ComponentType.Container) copy = { accent_color: null, spoiler: false, ...copy };
  if (node.type === ComponentType.Separator) copy = { divider: true, spacing: 1, ...copy };
  if (node.type === ComponentType.Thumbnail) copy = { description: null, spoiler: false, ...copy };
  for (const key of ['components', 'accessory']) if (key in copy) copy[key] = componentDefaults(copy[key]);
  return copy;
}
