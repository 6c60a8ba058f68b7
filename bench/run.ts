// npm run bench: handler latency of the real bot against the local Discord API stand-in, compared in
// the same run with a bare discord.js bot that answers the same interactions with a constant reply.
// Ratios, not absolute times, are what can be compared across these shared, noisy machines.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commands } from '../commands/index.js';
import { buildCommandJson } from '../src/discord/command-definition.js';
import { PROJECT_ROOT } from '../src/paths.js';
import { BotProcess, startBot, TEST_TOKEN } from '../test/support/bot-process.js';
import { DiscordStandIn } from '../src/stand-in/index.js';
import buildOnce from '../test/support/global-setup.js';
import { buildCommunity, configureCommunity, type Community } from '../test/support/harness.js';

const SEQUENTIAL = Number(process.argv[2] ?? 1000);
const BURST = Number(process.argv[3] ?? 300);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function measure(standIn: DiscordStandIn, community: Community, label: string) {
  const invoke = () =>
    standIn.chatInput({ guildId: community.guildId, userId: community.users.member, channelId: community.channels.general, command: 'help', locale: 'en-US' });
  // Warm-up: JIT, caches and connection pools.
  for (let i = 0; i < 50; i++) await invoke().response(5_000);
  const sequential: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) {
    const handle = invoke();
    await handle.response(5_000);
    sequential.push(handle.ackLatencyMs ?? NaN);
  }
  // A burst of interactions dispatched at once: every one must be acknowledged within 3 s.
  const burstHandles = Array.from({ length: BURST }, invoke);
  const burstResults = await Promise.allSettled(burstHandles.map((handle) => handle.response(3_000)));
  const burst = burstHandles.map((handle) => handle.ackLatencyMs ?? Infinity);
  const missed = burstResults.filter((result) => result.status === 'rejected').length;
  const result = {
    label,
    p50: percentile(sequential, 50),
    p99: percentile(sequential, 99),
    burstP99: percentile(burst, 99),
    burstMax: Math.max(...burst),
    burstMissed: missed,
  };
  console.log(
    `${label.padEnd(12)} sequential p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms; ` +
      `burst of ${BURST}: p99 ${result.burstP99.toFixed(1)} ms, max ${result.burstMax.toFixed(1)} ms, missed the 3 s window: ${missed}`,
  );
  return result;
}

const MEMBERS = Number(process.argv[4] ?? 10_000);

function residentMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/**
 * A large server's traffic in fast-forward: one interaction from each of MEMBERS distinct members
 * (the caches must stay bounded), then the bot's resident memory.
 */
async function memoryAfterManyMembers(standIn: DiscordStandIn, community: Community, bot: BotProcess): Promise<number> {
  console.log(`resident memory before: ${residentMb(bot.child.pid ?? 0).toFixed(0)} MB`);
  const members = Array.from({ length: MEMBERS }, (_, index) => standIn.createMember(community.guildId, { username: `member_${index}` }));
  for (let start = 0; start < members.length; start += 50) {
    await Promise.all(
      members.slice(start, start + 50).map((userId, index) =>
        standIn
          .chatInput({ guildId: community.guildId, userId, channelId: community.channels.general, command: index % 2 ? 'help' : 'privacy', subcommand: index % 2 ? undefined : 'mydata', locale: 'es-419' })
          .response(5_000),
      ),
    );
  }
  return residentMb(bot.child.pid ?? 0);
}

async function startBareBot(standIn: DiscordStandIn, guildId: string): Promise<BotProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'bench/bare-bot.ts')], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      DISCORD_TOKEN: TEST_TOKEN,
      DISCORD_API_URL: standIn.apiUrl,
      DISCORD_GUILD_ID: guildId,
      BENCH_COMMANDS_JSON: JSON.stringify(commands.map((command) => buildCommandJson(command.declaration))),
    },
  });
  const bot = new BotProcess(child);
  await bot.waitForReady().catch((error: unknown) => {
    console.error(bot.stderr);
    throw error;
  });
  return bot;
}

async function main() {
  buildOnce();
  const dataDir = mkdtempSync(join(tmpdir(), 'hml-bench-'));
  // Generous rate limits: the bench measures the bot, not the stand-in's 50/s bucket.
  const standIn = await DiscordStandIn.start({ token: TEST_TOKEN, rateLimit: { limit: 1_000_000, windowMs: 1_000 } });
  try {
    const community = buildCommunity(standIn);
    const bare = await startBareBot(standIn, community.guildId);
    const baseline = await measure(standIn, community, 'bare bot');
    await bare.stop();

    const bot = await startBot({ apiUrl: standIn.apiUrl, databasePath: join(dataDir, 'bot.sqlite'), guildId: community.guildId, logLevel: 'info' });
    const ready = await bot.waitForReady();
    console.log(`real bot ready ${String(ready.readyMs)} ms after gateway READY (registration included; target < 2000 ms)`);
    await configureCommunity(standIn, community);
    const real = await measure(standIn, community, 'real bot');
    const rssMb = await memoryAfterManyMembers(standIn, community, bot);
    await bot.stop();

    const ratio = real.p99 / baseline.p99;
    console.log(`p99 ratio real/bare: ${ratio.toFixed(2)} (target ≤ 1.5); real p99 ${real.p99.toFixed(2)} ms (target < 50 ms)`);
    console.log(`resident memory after ${MEMBERS} distinct members' interactions: ${rssMb.toFixed(0)} MB (target < 150 MB)`);
    const ok = ratio <= 1.5 && real.p99 < 50 && real.burstMissed === 0 && rssMb < 150;
    console.log(ok ? 'latency: PASS' : 'latency: FAIL');
    if (!ok) process.exitCode = 1;
  } finally {
    await standIn.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
