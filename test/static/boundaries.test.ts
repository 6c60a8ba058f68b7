import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/paths.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

describe('architecture boundaries', () => {
  it('keeps discord.js out of the domain', () => {
    const offenders = sourceFiles(join(PROJECT_ROOT, 'src/domain')).filter((file) =>
      /from ['"](?:discord\.js|@discordjs\/[^'"]+|discord-api-types[^'"]*)['"]/.test(readFileSync(file, 'utf8')),
    );
    expect(offenders.map((file) => relative(PROJECT_ROOT, file))).toEqual([]);
  });

  it('reads process.env only in the config module', () => {
    // The stand-in and the sandbox are separate programs that start the bot, not part of it.
    const tools = [join(PROJECT_ROOT, 'src/stand-in'), join(PROJECT_ROOT, 'src/sandbox')];
    const offenders = [...sourceFiles(join(PROJECT_ROOT, 'src')), ...sourceFiles(join(PROJECT_ROOT, 'commands'))].filter(
      (file) => !file.endsWith('src/config.ts') && !tools.some((dir) => file.startsWith(dir)) && /process\.env/.test(readFileSync(file, 'utf8')),
    );
    expect(offenders.map((file) => relative(PROJECT_ROOT, file))).toEqual([]);
  });

  it('never asks for privileged intents', () => {
    const client = readFileSync(join(PROJECT_ROOT, 'src/discord/client.ts'), 'utf8');
    const intents = /intents:\s*\[([^\]]*)\]/.exec(client)?.[1] ?? '';
    expect(intents.split(',').map((intent) => intent.trim())).toEqual(['GatewayIntentBits.Guilds', 'GatewayIntentBits.GuildMessages']);
  });
});
