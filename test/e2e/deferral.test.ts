import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

// Discord's response types: 4 = message, 5 = deferred message ("thinking…").
const CHANNEL_MESSAGE = 4;
const DEFERRED_CHANNEL_MESSAGE = 5;
const SLOW_MS = 2_500;

const RSS = `<?xml version="1.0"?><rss version="2.0"><channel><title>Slow Source</title><link>https://example.org/</link>
<description>d</description><item><title>One</title><link>https://example.org/1</link><guid>1</guid></item></channel></rss>`;

describe('automatic deferral of slow work, end to end', () => {
  let harness: Harness;
  let feedServer: Server;
  let feedUrl: string;

  beforeAll(async () => {
    // A news feed that answers after 2.5 s: slower than Discord's 3 s window allows a handler to wait.
    feedServer = createServer((_request, response) => {
      setTimeout(() => response.writeHead(200, { 'content-type': 'application/rss+xml' }).end(RSS), SLOW_MS);
    });
    await new Promise<void>((resolve) => feedServer.listen(0, '127.0.0.1', resolve));
    feedUrl = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}/slow.xml`;
    harness = await startHarness();
  });

  afterAll(async () => {
    await harness?.stop();
    feedServer?.closeAllConnections();
    await new Promise((resolve) => feedServer?.close(resolve));
  });

  it('acknowledges within 3 s with a deferral, then edits in the real answer', async () => {
    const { standIn, community } = harness;
    const handle = standIn.chatInput({
      guildId: community.guildId,
      userId: community.users.admin,
      channelId: community.channels.general,
      command: 'feed',
      subcommand: 'add',
      options: { url: feedUrl },
    });
    const callback = await handle.response(3_000);
    expect(callback.type).toBe(DEFERRED_CHANNEL_MESSAGE);
    expect(handle.ackLatencyMs).toBeLessThan(3_000);
    const answer = await handle.waitForMessage(undefined, 15_000);
    expect(JSON.stringify(answer)).toContain('added: Slow Source');
    expect(handle.rejectedCallbacks).toEqual([]);
  });

  it('answers fast work directly, without a deferral', async () => {
    const { standIn, community } = harness;
    const handle = standIn.chatInput({ guildId: community.guildId, userId: community.users.member, channelId: community.channels.general, command: 'help' });
    expect((await handle.response(3_000)).type).toBe(CHANNEL_MESSAGE);
  });
});
