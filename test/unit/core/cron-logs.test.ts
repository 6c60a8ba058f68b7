import { PassThrough } from 'node:stream';
import cron from 'node-cron';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger, routeCronLogs } from '../../../src/logger.js';

afterEach(() => vi.restoreAllMocks());

describe('node-cron logs', () => {
  it('go through pino as JSON lines, not console lines, once routed', async () => {
    const stream = new PassThrough();
    let output = '';
    stream.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const consoleLines = [vi.spyOn(console, 'error'), vi.spyOn(console, 'warn'), vi.spyOn(console, 'info')];
    routeCronLogs(createLogger('info', stream));
    // A task without its own error handler: node-cron reports the failure through its logger.
    const task = cron.schedule('* * * * * *', () => {
      throw new Error('boom in a cron task');
    });
    try {
      await vi.waitFor(() => expect(output).toContain('boom in a cron task'), { timeout: 5_000, interval: 50 });
    } finally {
      await task.destroy();
    }
    const line = JSON.parse(output.split('\n').find((raw) => raw.includes('boom in a cron task')) ?? '{}') as { level: number; component: string; err: { message: string } };
    expect(line).toMatchObject({ level: 50, component: 'node-cron', err: { message: 'boom in a cron task' } });
    for (const spy of consoleLines) expect(spy).not.toHaveBeenCalled();
  });
});
