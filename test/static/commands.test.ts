import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIApplicationCommandOption, RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { buildCommandJson } from '../../src/discord/command-definition.js';
import { PROJECT_ROOT } from '../../src/paths.js';

// Discord's documented rules for chat-input command names and descriptions.
const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const bodies = commands.map((command) => buildCommandJson(command.declaration));

type Node = {
  name: string;
  description?: string;
  name_localizations?: Record<string, string> | null;
  description_localizations?: Record<string, string> | null;
  options?: APIApplicationCommandOption[];
  choices?: { name: string; name_localizations?: Record<string, string> | null; value: unknown }[];
  required?: boolean;
};

function walk(node: Node, path: string, visit: (node: Node, path: string) => void): void {
  visit(node, path);
  for (const option of node.options ?? []) walk(option as Node, `${path} ${option.name}`, visit);
}

/** Discord counts names, descriptions and choice values (all locales) toward a 4000-character cap. */
function characterCount(body: RESTPostAPIChatInputApplicationCommandsJSONBody): number {
  let total = 0;
  walk(body as Node, body.name, (node) => {
    total += node.name.length + (node.description?.length ?? 0);
    total += Math.max(0, ...Object.values(node.name_localizations ?? {}).map((value) => value.length));
    total += Math.max(0, ...Object.values(node.description_localizations ?? {}).map((value) => value.length));
    for (const choice of node.choices ?? []) total += choice.name.length + String(choice.value).length;
  });
  return total;
}

describe('slash command definitions', () => {
  it('has one file per command, each listed once', () => {
    const files = readdirSync(join(PROJECT_ROOT, 'commands')).filter((file) => file.endsWith('.ts') && file !== 'index.ts');
    const names = commands.map((command) => command.declaration.name);
    expect(new Set(names).size).toBe(names.length);
    expect(files.map((file) => file.replace(/\.ts$/, '')).sort()).toEqual([...names].sort());
  });

  it.each(bodies.map((body) => [body.name, body] as const))('/%s is valid and localized for es-ES and es-419', (_name, body) => {
    expect(characterCount(body)).toBeLessThanOrEqual(4000);
    expect(body.contexts).toEqual([0]);
    walk(body as Node, body.name, (node, path) => {
      expect(node.name, path).toMatch(NAME);
      expect(node.name, path).toBe(node.name.toLowerCase());
      expect(node.description?.length ?? 0, path).toBeGreaterThan(0);
      expect(node.description?.length ?? 0, path).toBeLessThanOrEqual(100);
      for (const locale of ['es-ES', 'es-419']) {
        const name = node.name_localizations?.[locale];
        const description = node.description_localizations?.[locale];
        expect(name, `${path} name ${locale}`).toMatch(NAME);
        expect(name, `${path} name ${locale}`).toBe(name?.toLowerCase());
        expect(description?.length ?? 0, `${path} description ${locale}`).toBeGreaterThan(0);
        expect(description?.length ?? 0, `${path} description ${locale}`).toBeLessThanOrEqual(100);
      }
      expect(node.options?.length ?? 0, path).toBeLessThanOrEqual(25);
      const required = (node.options ?? []).map((option) => ('required' in option && option.required) === true);
      expect(required.indexOf(false) === -1 || required.lastIndexOf(true) < required.indexOf(false), `${path}: required options first`).toBe(true);
      const siblingNames = (node.options ?? []).map((option) => option.name);
      expect(new Set(siblingNames).size, `${path}: unique option names`).toBe(siblingNames.length);
      const localizedSiblings = (node.options ?? []).map((option) => option.name_localizations?.['es-ES']);
      expect(new Set(localizedSiblings).size, `${path}: unique Spanish option names`).toBe(localizedSiblings.length);
      for (const choice of node.choices ?? []) {
        expect(choice.name.length, `${path} choice`).toBeLessThanOrEqual(100);
        expect(choice.name_localizations?.['es-ES'], `${path} choice ${String(choice.value)} es-ES`).toBeTruthy();
        expect(choice.name_localizations?.['es-419'], `${path} choice ${String(choice.value)} es-419`).toBeTruthy();
      }
    });
  });

  it('keeps the English locale names equal to the declared contract names', () => {
    const en = JSON.parse(readFileSync(join(PROJECT_ROOT, 'locales/en.json'), 'utf8')) as { cmd: Record<string, Node & { options?: Record<string, unknown> }> };
    const check = (entry: unknown, name: string, path: string) => {
      expect((entry as { name?: string } | undefined)?.name, path).toBe(name);
    };
    for (const body of bodies) {
      const visit = (node: Node, entry: unknown, path: string) => {
        check(entry, node.name, path);
        for (const option of node.options ?? []) {
          visit(option as Node, (entry as { options?: Record<string, unknown> }).options?.[option.name], `${path}.options.${option.name}`);
        }
      };
      visit(body as Node, en.cmd[body.name], `cmd.${body.name}`);
    }
  });

  it('spells Spanish names one way: hyphens between words, with their accents', () => {
    const names: string[] = [];
    for (const body of bodies) walk(body as Node, body.name, (node) => names.push(node.name_localizations?.['es-ES'] ?? ''));
    expect(names.filter((name) => name.includes('_'))).toEqual([]);
    // Words that need an accent or ñ, written without one somewhere, would read as misspellings.
    const unaccented = /(?:^|-)(?:dias|retencion|moderacion|clasificacion|espanol|numero|titulo|descripcion|estadisticas|mias|publico|guia|accion|programacion|revision|maximo|max)(?:-|$)/;
    expect(names.filter((name) => unaccented.test(name))).toEqual([]);
  });

  it('guards staff and admin commands with default member permissions too', () => {
    for (const command of commands.filter((entry) => entry.access === 'admin')) {
      expect(buildCommandJson(command.declaration).default_member_permissions, command.declaration.name).not.toBeNull();
    }
  });
});
