import { createServer } from 'node:net';
import Database from 'better-sqlite3';
import { GatewayCloseCodes } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function get(port: number, path: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, body: (await response.text()).trim() };
}

/** Polls until /healthz answers `status` (the bot reconnects on its own schedule). */
async function untilStatus(port: number, status: number, timeoutMs = 30_000): Promise<{ status: number; body: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await get(port, '/healthz');
    if (answer.status === status || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** HEALTH_PORT: GET /healthz for supervisors, 200 only while the gateway is connected and the database writes. */
describe('health endpoint, end to end', () => {
  let harness: Harness;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    harness = await startHarness({ configure: false, env: { HEALTH_PORT: String(port) } });
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('answers 200 ok while connected, and 404 on any other path', async () => {
    expect(await get(port, '/healthz')).toEqual({ status: 200, body: 'ok' });
    expect((await get(port, '/')).status).toBe(404);
    expect((await get(port, '/healthz/extra')).status).toBe(404);
  });

  it('answers 503 while the gateway is unreachable, and 200 again once the bot is back', async () => {
    const { standIn } = harness;
    standIn.gateway.refuseConnections = true;
    standIn.gateway.disconnect(GatewayCloseCodes.UnknownError, 'Unknown error.');
    expect(await untilStatus(port, 503)).toEqual({ status: 503, body: 'gateway not connected' });
    standIn.gateway.refuseConnections = false;
    expect(await untilStatus(port, 200)).toEqual({ status: 200, body: 'ok' });
    expect(harness.bot.child.exitCode).toBeNull();
  });

  it('answers 503 while another process holds the database write lock, and 200 once it is released', async () => {
    expect(await untilStatus(port, 200)).toEqual({ status: 200, body: 'ok' });
    const other = new Database(harness.databasePath);
    try {
      other.exec('BEGIN EXCLUSIVE');
      expect(await get(port, '/healthz')).toEqual({ status: 503, body: 'database does not accept writes' });
      other.exec('ROLLBACK');
      expect(await get(port, '/healthz')).toEqual({ status: 200, body: 'ok' });
    } finally {
      other.close();
    }
    // The probe leaves nothing behind.
    const check = new Database(harness.databasePath, { readonly: true });
    expect(check.prepare("select count(*) as n from sqlite_master where name = '__health_probe'").get()).toEqual({ n: 0 });
    check.close();
  });
});
