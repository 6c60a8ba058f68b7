import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/paths.js';

/** A syntactically valid token (the stand-in checks it the way Discord would). */
export const TEST_TOKEN = 'MTAwMDAwMDAwMDAwMDAwMDAw.GtEst1.stand-in-token-for-end-to-end-tests';

export interface BotLogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

export interface StartBotOptions {
  apiUrl: string;
  databasePath: string;
  token?: string;
  guildId?: string;
  logLevel?: string;
  env?: Record<string, string>;
  /** Wait for the ready line (default true). */
  waitForReady?: boolean;
}

/**
 * The exact command `npm start` runs (after its `prestart` build, which the test run's global
 * setup does once), read from package.json so the two cannot drift apart.
 */
export function startCommand(): { command: string; args: string[] } {
  const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const [program, ...args] = pkg.scripts.start.split(/\s+/);
  if (program !== 'node') throw new Error(`unexpected start script: ${pkg.scripts.start}`);
  return { command: process.execPath, args };
}

/** The real bot as a child process, with its stdout parsed as pino JSON lines. */
export class BotProcess {
  readonly lines: BotLogLine[] = [];
  /** Everything the process wrote, raw, for privacy assertions. */
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private waiters: { predicate: (line: BotLogLine) => boolean; resolve: (line: BotLogLine) => void }[] = [];

  constructor(readonly child: ChildProcess) {
    let buffer = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const raw = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (!raw.trim().startsWith('{')) continue;
        try {
          this.accept(JSON.parse(raw) as BotLogLine);
        } catch {
          // Not a log line (e.g. npm noise); the raw text stays in `stdout`.
        }
      }
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  private accept(line: BotLogLine): void {
    this.lines.push(line);
    this.waiters = this.waiters.filter((waiter) => {
      if (!waiter.predicate(line)) return true;
      waiter.resolve(line);
      return false;
    });
  }

  /** Resolves with the first log line (past or future) matching; rejects on timeout or exit. */
  waitForLog(match: string | RegExp | ((line: BotLogLine) => boolean), timeoutMs = 15_000): Promise<BotLogLine> {
    const predicate =
      typeof match === 'function' ? match : (line: BotLogLine) => (typeof match === 'string' ? line.msg.includes(match) : match.test(line.msg));
    const seen = this.lines.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`log line not seen in ${timeoutMs} ms: ${String(match)}\n${this.tail()}`)), timeoutMs);
      const waiter = {
        predicate,
        resolve: (line: BotLogLine) => {
          clearTimeout(timer);
          resolve(line);
        },
      };
      this.waiters.push(waiter);
      void this.exited.then(({ code }) => {
        clearTimeout(timer);
        reject(new Error(`bot exited (${code}) before log line: ${String(match)}\n${this.tail()}`));
      });
    });
  }

  waitForReady(timeoutMs = 20_000): Promise<BotLogLine> {
    return this.waitForLog((line) => line.msg.startsWith('ready:'), timeoutMs);
  }

  /** Errors the bot logged (level ≥ 50), for "nothing went wrong" assertions. */
  errors(): BotLogLine[] {
    return this.lines.filter((line) => line.level >= 50);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000) {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.exited;
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const result = await this.exited;
    clearTimeout(timer);
    return result;
  }

  tail(count = 15): string {
    return [...this.lines.slice(-count).map((line) => JSON.stringify(line)), this.stderr.slice(-2000)].join('\n');
  }
}

export async function startBot(options: StartBotOptions): Promise<BotProcess> {
  const { command, args } = startCommand();
  const child = spawn(command, args, {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      // Every variable is set explicitly, so a developer's .env cannot leak into a test.
      DISCORD_TOKEN: options.token ?? TEST_TOKEN,
      DISCORD_API_URL: options.apiUrl,
      DATABASE_PATH: options.databasePath,
      DISCORD_GUILD_ID: options.guildId ?? '',
      LOG_LEVEL: options.logLevel ?? 'debug',
      FEEDS_ALLOW_PRIVATE_HOSTS: 'true',
      // Guides age with the calendar; tests that want them overdue for review set this themselves.
      GUIDE_REVIEW_MAX_AGE_DAYS: '3650',
      // Lets the suite run every-second posting schedules; a test that checks the limit sets its own.
      POST_MIN_INTERVAL_SECONDS: '1',
      ...options.env,
    },
  });
  const bot = new BotProcess(child);
  if (options.waitForReady !== false) await bot.waitForReady();
  return bot;
}
