import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ensureBuilt, SANDBOX_TOKEN, startBot, type SandboxBot } from './bot.js';
import { bundlePage, type PageBundle } from './bundle.js';
import { runSetup, seedDemoGuild, type DemoGuild } from './demo-guild.js';
import { startPageServer, type PageServer } from './http.js';
import { DiscordStandIn } from './stand-in.js';

export interface SandboxOptions {
  /** Port for the page (default: any free port). */
  port?: number;
  /** Database file to keep (default: a fresh one in a temporary folder, removed on stop). */
  databasePath?: string;
}

export interface Sandbox {
  url: string;
  key: string;
  port: number;
  demo: DemoGuild;
  standIn: DiscordStandIn;
  databasePath: string;
  logPath: string;
  bundle: PageBundle;
  /** Whether this start had to build the bot first (dist/ missing or stale). */
  built: boolean;
  stop(): Promise<void>;
  /** Synchronous last resort (process exit): kills the bot process at once. */
  kill(): void;
}

/** Stand-in + demo server + the real bot + the page server, all on 127.0.0.1. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const bundle = bundlePage();
  bundle.catch(() => undefined);
  const { built } = ensureBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'hml-sandbox-'));
  const databasePath = options.databasePath ? resolve(options.databasePath) : join(dataDir, 'bot.sqlite');
  mkdirSync(dirname(databasePath), { recursive: true });
  const logPath = join(dataDir, 'bot.log');
  const standIn = await DiscordStandIn.start({ token: SANDBOX_TOKEN, botUsername: 'Help Me Leave' });
  let bot: SandboxBot | undefined;
  let server: PageServer | undefined;
  try {
    const demo = seedDemoGuild(standIn);
    bot = startBot({ apiUrl: standIn.apiUrl, databasePath, guildId: demo.guildId, logPath });
    await bot.ready;
    await runSetup(standIn, demo);
    const key = randomBytes(18).toString('base64url');
    server = await startPageServer({ standIn, demo, key, port: options.port ?? 0, bundle });
    const port = server.port;
    const running = server;
    const runningBot = bot;
    return {
      url: `http://127.0.0.1:${port}/?key=${key}`,
      key,
      port,
      demo,
      standIn,
      databasePath,
      logPath,
      bundle: await bundle,
      built,
      kill() {
        runningBot.child.kill('SIGKILL');
      },
      async stop() {
        await running.close();
        await runningBot.stop();
        await standIn.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await server?.close();
    await bot?.stop();
    await standIn.stop();
    throw error;
  }
}
