import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from '../paths.js';

/** A syntactically valid token: the stand-in checks its shape the way Discord would. */
export const SANDBOX_TOKEN = 'MTAwMDAwMDAwMDAwMDAwMDAw.GsAndb.sandbox-token-never-valid-on-discord';

/** The command `npm start` runs after its build, read from package.json so the two cannot drift. */
function startArgs(): string[] {
  const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const [program, ...args] = pkg.scripts.start.split(/\s+/);
  if (program !== 'node') throw new Error(`unexpected start script: ${pkg.scripts.start}`);
  return args;
}

/**
 * `npm start` never compiles: it refuses a missing or stale build. The sandbox runs the same
 * `npm run build` first, but only when that check would refuse, so a second start is quick.
 */
export function ensureBuilt(): { built: boolean } {
  const check = spawnSync(process.execPath, ['--import', join(PROJECT_ROOT, 'scripts/check-build.mjs'), '-e', ''], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  if (check.status === 0) return { built: false };
  const build = spawnSync(process.execPath, [join(PROJECT_ROOT, 'scripts/build.mjs')], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  if (build.status !== 0 || !existsSync(join(PROJECT_ROOT, 'dist/src/main.js'))) throw new Error(`building the bot failed:\n${build.stdout}\n${build.stderr}`);
  return { built: true };
}

export interface SandboxBot {
  child: ChildProcess;
  ready: Promise<void>;
  stop(): Promise<void>;
}

/** The real bot, started exactly as `npm start` starts it, talking only to the stand-in. Logs go to `logPath`. */
export function startBot(options: { apiUrl: string; databasePath: string; guildId: string; logPath: string }): SandboxBot {
  const child = spawn(process.execPath, startArgs(), {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      // Every setting is explicit, so a developer's .env (a real token, say) is never used.
      DISCORD_TOKEN: SANDBOX_TOKEN,
      DISCORD_API_URL: options.apiUrl,
      DATABASE_PATH: options.databasePath,
      DISCORD_GUILD_ID: options.guildId,
      LOG_LEVEL: 'info',
      FEEDS_ALLOW_PRIVATE_HOSTS: 'false',
      // Same command as `npm start`, plus a preload that refuses any connection beyond loopback.
      NODE_OPTIONS: `--import=${pathToFileURL(join(PROJECT_ROOT, 'src/sandbox/loopback-only.mjs')).href}`,
    },
  });
  const log = createWriteStream(options.logPath, { flags: 'a' });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    let buffer = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (line.includes('"msg":"ready:')) resolve();
      }
    });
    void exited.then((code) => reject(new Error(`the bot exited (${String(code)}) before it was ready; see ${options.logPath}`)));
  });
  ready.catch(() => undefined);
  return {
    child,
    ready,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      log.end();
    },
  };
}
