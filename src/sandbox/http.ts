import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { perform, parseAction } from './actions.js';
import { avatarSvg } from './avatars.js';
import type { PageBundle } from './bundle.js';
import type { DemoGuild, Persona } from './demo-guild.js';
import type { DiscordStandIn } from './stand-in.js';
import { displayName, messagesFor, snapshot, worldVersion } from './view.js';

export interface PageServer {
  port: number;
  close(): Promise<void>;
}

const BODY_LIMIT = 64 * 1024;

function sameKey(given: string | null, key: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(key);
  return a.length === b.length && timingSafeEqual(a, b);
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...extra });
  response.end(body);
}

const json = (response: ServerResponse, status: number, body: unknown) => send(response, status, 'application/json; charset=utf-8', JSON.stringify(body));

async function readBody(request: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
}

function page(key: string): string {
  const q = `?key=${encodeURIComponent(key)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Help Me Leave — sandbox</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/app.css${q}">
</head>
<body>
<div id="app" data-key="${key}"></div>
<script type="module" src="/app.js${q}"></script>
</body>
</html>`;
}

/**
 * The page's server, on loopback only. Every request (and the live socket) must carry the key the
 * sandbox printed; the Host and Origin must be this server, so no other site can drive it.
 */
export async function startPageServer(options: {
  standIn: DiscordStandIn;
  demo: DemoGuild;
  key: string;
  port: number;
  bundle: Promise<PageBundle>;
}): Promise<PageServer> {
  const { standIn, demo, key } = options;
  let port = 0;
  const personaOf = (url: URL): Persona | undefined => demo.personas.find((persona) => persona.key === url.searchParams.get('persona'));
  const allowedHost = (host: string | undefined) => host === `127.0.0.1:${port}` || host === `localhost:${port}`;
  const csp = () =>
    `default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (!allowedHost(request.headers.host) || !sameKey(url.searchParams.get('key') ?? (request.headers['x-sandbox-key'] as string | undefined) ?? null, key)) {
      send(response, 403, 'text/plain; charset=utf-8', 'Forbidden: open the address `npm run sandbox` printed (it carries the key).');
      return;
    }
    if (request.method === 'GET' && url.pathname === '/') return send(response, 200, 'text/html; charset=utf-8', page(key), { 'content-security-policy': csp() });
    if (request.method === 'GET' && url.pathname === '/app.js') return send(response, 200, 'text/javascript; charset=utf-8', (await options.bundle).js);
    if (request.method === 'GET' && url.pathname === '/app.css') return send(response, 200, 'text/css; charset=utf-8', (await options.bundle).css);
    const avatar = /^\/avatars\/(\d{17,20})\.svg$/.exec(url.pathname);
    if (request.method === 'GET' && avatar) {
      const userId = avatar[1]!;
      const user = standIn.state.users.get(userId);
      if (!user) return send(response, 404, 'text/plain', 'unknown user');
      return send(response, 200, 'image/svg+xml', avatarSvg(userId, displayName(standIn, demo.guildId, userId), user.bot));
    }
    const persona = personaOf(url);
    if (url.pathname.startsWith('/api/') && !persona) return json(response, 400, { ok: false, error: 'unknown persona' });
    if (request.method === 'GET' && url.pathname === '/api/snapshot') return json(response, 200, snapshot(standIn, demo, persona!));
    if (request.method === 'GET' && url.pathname === '/api/messages') {
      const messages = messagesFor(standIn, demo, persona!, url.searchParams.get('channel') ?? '');
      return messages ? json(response, 200, messages) : json(response, 404, { ok: false, error: 'no such channel for this persona' });
    }
    if (request.method === 'POST' && url.pathname === '/api/act') {
      let body: unknown;
      try {
        body = await readBody(request);
      } catch {
        return json(response, 400, { ok: false, error: 'the request body must be JSON (at most 64 KiB)' });
      }
      const action = parseAction(body);
      if (!action) return json(response, 400, { ok: false, error: 'not an action the page can take' });
      const result = await perform(standIn, demo, persona!, action);
      bump();
      return json(response, result.ok ? 200 : 422, result);
    }
    send(response, 404, 'text/plain; charset=utf-8', 'not found');
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) json(response, 500, { ok: false, error: error instanceof Error ? error.message : String(error) });
      else response.end();
    });
  });

  // Live updates: one "changed" note whenever anything a page can show changed.
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const originOk = request.headers.origin === `http://127.0.0.1:${port}` || request.headers.origin === `http://localhost:${port}`;
    if (url.pathname !== '/live' || !allowedHost(request.headers.host) || !originOk || !sameKey(url.searchParams.get('key'), key)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('error', () => sockets.delete(ws));
    });
  });
  let version = worldVersion(standIn, demo.guildId);
  const bump = () => {
    const next = worldVersion(standIn, demo.guildId);
    if (next === version) return;
    version = next;
    for (const ws of sockets) ws.send(JSON.stringify({ type: 'changed', version }));
  };
  const timer = setInterval(bump, 150);
  timer.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    port,
    async close() {
      clearInterval(timer);
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
