// `npm run sandbox [-- --port N] [--db PATH] [--no-open]`: the whole bot in a browser, on loopback only.
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { startSandbox } from './sandbox.js';

const usage = 'usage: npm run sandbox [-- --port N] [--db PATH] [--no-open]';

function options(): { port?: number; databasePath?: string; open: boolean } {
  try {
    const { values } = parseArgs({ options: { port: { type: 'string' }, db: { type: 'string' }, 'no-open': { type: 'boolean' }, help: { type: 'boolean' } } });
    if (values.help) {
      process.stdout.write(`${usage}\n`);
      process.exit(0);
    }
    const port = values.port === undefined ? undefined : Number(values.port);
    if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65_535)) throw new Error('--port must be a port number (1-65535)');
    return { port, databasePath: values.db, open: values['no-open'] !== true };
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    process.exit(64);
  }
}

/** Opens the page in the desktop's browser when there is one; silently does nothing otherwise. */
function openBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  const child = spawn(command, [url], { stdio: 'ignore', detached: true });
  child.on('error', () => undefined);
  child.unref();
}

async function main(): Promise<void> {
  const chosen = options();
  const sandbox = await startSandbox({ port: chosen.port, databasePath: chosen.databasePath });
  process.stdout.write(`Sandbox ready: ${sandbox.url}\n`);
  if (chosen.open) openBrowser(sandbox.url);
  let stopping = false;
  // However this process ends, the bot it started must not outlive it.
  process.on('exit', () => sandbox.kill());
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      void sandbox.stop().finally(() => process.exit(0));
    });
  }
}

main().catch((error: unknown) => {
  console.error(`The sandbox could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
