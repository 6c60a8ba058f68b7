import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { PROJECT_ROOT } from '../../src/paths.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Every (namespace, verb) a button, menu or form is created with, and where. */
function encodedIds(): { namespace: string; verb: string; at: string }[] {
  const found: { namespace: string; verb: string; at: string }[] = [];
  const patterns = [
    /encodeCustomId\(\s*'([a-z-]+)',\s*'([a-z-]+)'/g,
    // Posts built in the domain name their action buttons as plain data.
    /namespace: '([a-z-]+)', verb: '([a-z-]+)'/g,
  ];
  for (const file of [...sourceFiles(join(PROJECT_ROOT, 'src')), ...sourceFiles(join(PROJECT_ROOT, 'commands'))]) {
    const text = readFileSync(file, 'utf8');
    for (const pattern of patterns) {
      for (const match of text.matchAll(pattern)) {
        found.push({ namespace: match[1] ?? '', verb: match[2] ?? '', at: relative(PROJECT_ROOT, file) });
      }
    }
  }
  return found;
}

describe('custom ids', () => {
  it('finds the components the code creates', () => {
    expect(encodedIds().length).toBeGreaterThan(20);
  });

  it('routes every button, menu and form the bot creates to a handler', () => {
    const modules = new Map(commands.map((command) => [command.declaration.name, command]));
    const orphans = encodedIds().filter(({ namespace, verb }) => {
      const module = modules.get(namespace);
      return !module?.components?.[verb] && !module?.modals?.[verb];
    });
    expect(orphans).toEqual([]);
  });
});
