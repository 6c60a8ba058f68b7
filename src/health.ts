import { createServer, type Server } from 'node:http';
import type Database from 'better-sqlite3';
import { Status, type Client } from 'discord.js';

export interface HealthServer {
  server: Server;
  close(): Promise<void>;
}

const PROBE_BUSY_TIMEOUT_MS = 250;

/** Why the bot is not healthy, or null when it is: gateway connected and the database takes a write. */
export function healthProblem(client: Client, sqlite: Database.Database): string | null {
  if (!client.isReady() || client.ws.status !== Status.Ready) return 'gateway not connected';
  if (client.ws.shards.some((shard) => shard.status !== Status.Ready)) return 'gateway not connected';
  // better-sqlite3 waits for a lock synchronously: a probe must not stall the bot for the full busy_timeout.
  const busyTimeout = sqlite.pragma('busy_timeout', { simple: true }) as number;
  sqlite.pragma(`busy_timeout = ${PROBE_BUSY_TIMEOUT_MS}`);
  try {
    // A real write to the main database (schema change), rolled back: proves the file is writable
    // and not locked by someone else, and leaves nothing behind.
    sqlite.exec('BEGIN IMMEDIATE; CREATE TABLE __health_probe (x); ROLLBACK;');
    return null;
  } catch {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    return 'database does not accept writes';
  } finally {
    sqlite.pragma(`busy_timeout = ${busyTimeout}`);
  }
}

/** Serves GET /healthz on 127.0.0.1 only: 200 `ok`, or 503 with a short reason; anything else is 404. */
export async function startHealthServer(port: number, check: () => string | null): Promise<HealthServer> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/healthz' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    let problem: string | null;
    try {
      problem = check();
    } catch {
      problem = 'health check failed';
    }
    response
      .writeHead(problem ? 503 : 200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' })
      .end(problem ? `${problem}\n` : 'ok\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    server,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
