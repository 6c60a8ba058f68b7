// npm run bench (start-up): process start to the `ready:` line, the real bot as `npm start` runs it
// against a bare discord.js bot started the same way (same node flags, a built JavaScript file), both
// against the local Discord API stand-in, alternating, N runs each. Reports medians and the ratio.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { commands } from '../commands/index.js';
import { buildCommandJson } from '../src/discord/command-definition.js';
import { PROJECT_ROOT } from '../src/paths.js';
import { BotProcess, startCommand, TEST_TOKEN } from '../test/support/bot-process.js';
import { DiscordStandIn } from '../src/stand-in/index.js';
import buildOnce from '../test/support/global-setup.js';
import { buildCommunity } from '../test/support/harness.js';

const RUNS = Number(process.argv[2] ?? 7);
const TARGET_RATIO = 3;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? NaN) : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
};

/** Milliseconds from spawn to the ready line; the bot is stopped afterwards. */
async function timeToReady(args: string[], env: Record<string, string>): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env } });
  const bot = new BotProcess(child);
  try {
    await bot.waitForReady(30_000);
    return performance.now() - started;
  } finally {
    await bot.stop();
  }
}

async function main() {
  buildOnce();
  // The baseline, built like the bot (one JavaScript file; discord.js loaded from node_modules).
  const bareBot = join(PROJECT_ROOT, 'dist/bench/bare-bot.js');
  mkdirSync(join(PROJECT_ROOT, 'dist/bench'), { recursive: true });
  await build({ entryPoints: [join(PROJECT_ROOT, 'bench/bare-bot.ts')], outfile: bareBot, bundle: true, packages: 'external', platform: 'node', format: 'esm', target: 'node24', logLevel: 'warning' });

  const { args: botArgs } = startCommand();
  // The bare bot gets the same node flags, without the build check the real bot's start adds.
  const nodeFlags = botArgs.slice(0, botArgs.indexOf('--import'));
  const dataDir = mkdtempSync(join(tmpdir(), 'hml-bench-startup-'));
  const standIn = await DiscordStandIn.start({ token: TEST_TOKEN, rateLimit: { limit: 1_000_000, windowMs: 1_000 } });
  const community = buildCommunity(standIn);
  const commandJson = JSON.stringify(commands.map((command) => buildCommandJson(command.declaration)));
  const bare: number[] = [];
  const fresh: number[] = [];
  const restart: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      bare.push(await timeToReady([...nodeFlags, bareBot], { DISCORD_TOKEN: TEST_TOKEN, DISCORD_API_URL: standIn.apiUrl, DISCORD_GUILD_ID: community.guildId, BENCH_COMMANDS_JSON: commandJson }));
      // First start on a new database: migrations applied and commands registered, as the bare bot registers.
      const databasePath = join(dataDir, `run-${run}.sqlite`);
      const env = { DISCORD_TOKEN: TEST_TOKEN, DISCORD_API_URL: standIn.apiUrl, DATABASE_PATH: databasePath, DISCORD_GUILD_ID: community.guildId, LOG_LEVEL: 'info' };
      fresh.push(await timeToReady(botArgs, env));
      // A restart on the same database: nothing to migrate, registration skipped.
      restart.push(await timeToReady(botArgs, env));
    }
  } finally {
    await standIn.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const ratio = median(fresh) / median(bare);
  const format = (values: number[]) => `median ${median(values).toFixed(0)} ms (${values.map((value) => value.toFixed(0)).join(', ')})`;
  console.log(`start-up, process start to ready, ${RUNS} runs each:`);
  console.log(`  bare discord.js bot   ${format(bare)}`);
  console.log(`  real bot, new db      ${format(fresh)}`);
  console.log(`  real bot, restart     ${format(restart)}`);
  console.log(`start-up ratio real/bare: ${ratio.toFixed(2)} (restart ${(median(restart) / median(bare)).toFixed(2)}; target ≤ ${TARGET_RATIO})`);
  console.log(ratio <= TARGET_RATIO ? 'start-up: PASS' : 'start-up: FAIL');
  if (ratio > TARGET_RATIO) process.exitCode = 1;
}

await main();
