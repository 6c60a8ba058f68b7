import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import zlib from 'node:zlib';
import {
  GatewayCloseCodes,
  GatewayDispatchEvents,
  GatewayIntentBits,
  GatewayOpcodes,
  type APIUser,
  type GatewayGuildCreateDispatchData,
  type GatewayIdentifyData,
  type GatewayReadyDispatchData,
} from 'discord-api-types/v10';
import { WebSocket, WebSocketServer, type RawData } from 'ws';

export const PRIVILEGED_INTENTS = GatewayIntentBits.GuildMembers | GatewayIntentBits.GuildPresences | GatewayIntentBits.MessageContent;
const KNOWN_INTENTS = Object.values(GatewayIntentBits)
  .filter((bit): bit is number => typeof bit === 'number')
  .reduce((all, bit) => all | bit, 0);

/** Discord allows 120 gateway sends per 60 s per connection and closes with 4008 beyond that. */
const SEND_LIMIT = 120;
const SEND_WINDOW_MS = 60_000;
/** How many dispatches a session keeps for RESUME replay. */
const REPLAY_BUFFER = 1000;

export interface DispatchPayload {
  op: GatewayOpcodes.Dispatch;
  t: string;
  s: number;
  d: unknown;
}

export interface GatewayHooks {
  token: string;
  applicationId: string;
  applicationFlags: number;
  enabledPrivilegedIntents: number;
  heartbeatIntervalMs: number;
  botUser(): APIUser;
  guildIds(): string[];
  guildCreate(guildId: string): GatewayGuildCreateDispatchData;
  /** Called after GUILD_CREATEs so the facade can react (e.g. resolve waiters). */
  onReady?(session: GatewaySessionInfo): void;
}

export interface GatewaySessionInfo {
  id: string;
  intents: number;
  shard: [number, number];
  seq: number;
  connected: boolean;
}

export interface GatewayCloseRecord {
  code: number;
  reason: string;
  /** `server` = the stand-in closed it (e.g. 4014); `client` = discord.js closed it. */
  by: 'server' | 'client';
  at: number;
}

interface Session {
  id: string;
  intents: number;
  shard: [number, number];
  seq: number;
  buffer: DispatchPayload[];
  connection: Connection | null;
  identifyCompress: boolean;
}

/** One WebSocket connection (a session may outlive it and be resumed on another). */
class Connection {
  session: Session | null = null;
  /** Set when the stand-in itself closes the socket, so the close isn't recorded as the client's. */
  closedByServer = false;
  private readonly deflate: zlib.Deflate | null;
  private sendChain: Promise<void> = Promise.resolve();
  private received: number[] = [];

  constructor(
    readonly socket: WebSocket,
    compress: 'zlib-stream' | null,
  ) {
    this.deflate = compress === 'zlib-stream' ? zlib.createDeflate({ chunkSize: 65535 }) : null;
  }

  send(payload: unknown): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    const json = JSON.stringify(payload);
    const deflate = this.deflate;
    if (deflate) {
      // zlib-stream: one shared deflate context, each payload ends with a Z_SYNC_FLUSH (00 00 ff ff).
      this.sendChain = this.sendChain.then(
        () =>
          new Promise<void>((resolve) => {
            const chunks: Buffer[] = [];
            const onData = (chunk: Buffer): void => {
              chunks.push(chunk);
            };
            deflate.on('data', onData);
            deflate.write(json);
            deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => {
              deflate.off('data', onData);
              if (this.socket.readyState === WebSocket.OPEN) this.socket.send(Buffer.concat(chunks));
              resolve();
            });
          }),
      );
      return;
    }
    if (this.session?.identifyCompress) this.socket.send(zlib.deflateSync(json));
    else this.socket.send(json);
  }

  /** Returns false once the client exceeds Discord's gateway send rate limit. */
  countReceive(): boolean {
    const now = Date.now();
    this.received = this.received.filter((at) => now - at < SEND_WINDOW_MS);
    this.received.push(now);
    return this.received.length <= SEND_LIMIT;
  }

  dispose(): void {
    this.deflate?.close();
  }
}

/**
 * Gateway v10 over `ws`, speaking exactly what @discordjs/ws sends: `?v=10&encoding=json`
 * (plus `compress=zlib-stream` when zlib-sync is installed). Anything else closes with 4012,
 * a code discord.js treats as unrecoverable, so a misconfigured client fails fast instead of looping.
 */
export class Gateway {
  readonly identifyPayloads: GatewayIdentifyData[] = [];
  readonly closes: GatewayCloseRecord[] = [];
  private readonly sessions = new Map<string, Session>();
  private readonly connections = new Set<Connection>();
  private readonly wss = new WebSocketServer({ noServer: true });
  /** ws:// URL handed out by GET /gateway/bot and as resume_gateway_url. */
  url = '';

  constructor(private readonly hooks: GatewayHooks) {}

  /** While true, new connections are refused at the HTTP upgrade (as during a Discord gateway outage). */
  refuseConnections = false;

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.refuseConnections) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, request));
  }

  get sessionInfos(): GatewaySessionInfo[] {
    return [...this.sessions.values()].map((session) => ({
      id: session.id,
      intents: session.intents,
      shard: session.shard,
      seq: session.seq,
      connected: session.connection !== null,
    }));
  }

  get connectedCount(): number {
    return [...this.sessions.values()].filter((session) => session.connection).length;
  }

  /**
   * Sends a dispatch to every session whose intents include `intent` (null = no intent needed) and
   * whose shard owns `guildId`. `build` may tailor or suppress (return null) the payload per session.
   */
  dispatch(
    event: GatewayDispatchEvents,
    build: unknown | ((session: GatewaySessionInfo) => unknown),
    options: { intent: number | null; guildId?: string | null },
  ): void {
    for (const session of this.sessions.values()) {
      if (options.intent !== null && (session.intents & options.intent) === 0) continue;
      if (!ownsGuild(session.shard, options.guildId ?? null)) continue;
      const info: GatewaySessionInfo = { id: session.id, intents: session.intents, shard: session.shard, seq: session.seq, connected: session.connection !== null };
      const data = typeof build === 'function' ? (build as (session: GatewaySessionInfo) => unknown)(info) : build;
      if (data === null || data === undefined) continue;
      this.sendDispatch(session, event, data);
    }
  }

  /**
   * From now on, every IDENTIFY and RESUME is answered by closing with `code`, as Discord does once
   * a token was reset (4004) or an intent is no longer allowed (4014); `null` lifts it.
   */
  refuseSessions(code: number | null, reason = 'Stand-in refuses this session'): void {
    this.refusal = code === null ? null : { code, reason };
  }

  private refusal: { code: number; reason: string } | null = null;

  /** Closes every connection (sessions stay resumable unless the code forbids it). */
  disconnect(code: number = GatewayCloseCodes.UnknownError, reason = 'Stand-in requested disconnect'): void {
    for (const connection of this.connections) this.closeConnection(connection, code, reason);
  }

  async close(): Promise<void> {
    for (const connection of this.connections) {
      connection.socket.terminate();
      connection.dispose();
    }
    this.connections.clear();
    this.sessions.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  // ---- connection lifecycle ------------------------------------------------------------

  private accept(ws: WebSocket, request: IncomingMessage): void {
    const query = new URL(request.url ?? '/', 'ws://localhost').searchParams;
    const compress = query.get('compress');
    const connection = new Connection(ws, compress === 'zlib-stream' ? 'zlib-stream' : null);
    this.connections.add(connection);

    ws.on('close', (code, reason) => {
      this.connections.delete(connection);
      connection.dispose();
      if (!connection.closedByServer && !connection.session) {
        this.closes.push({ code, reason: reason.toString(), by: 'client', at: Date.now() });
      }
      const session = connection.session;
      if (!session || session.connection !== connection) return;
      session.connection = null;
      if (!connection.closedByServer) this.closes.push({ code, reason: reason.toString(), by: 'client', at: Date.now() });
      // Discord invalidates a session the client closed normally (1000/1001); others may resume.
      if (code === 1000 || code === 1001) this.sessions.delete(session.id);
    });
    ws.on('error', () => undefined);

    const version = query.get('v');
    const encoding = query.get('encoding');
    if (version !== '10') {
      this.closeConnection(connection, GatewayCloseCodes.InvalidAPIVersion, `Stand-in speaks gateway v10 only (got v=${String(version)})`);
      return;
    }
    if (encoding !== 'json') {
      this.closeConnection(connection, GatewayCloseCodes.InvalidAPIVersion, `Stand-in supports encoding=json only (got ${String(encoding)})`);
      return;
    }
    if (compress !== null && compress !== 'zlib-stream') {
      this.closeConnection(connection, GatewayCloseCodes.InvalidAPIVersion, `Unsupported compress=${compress} (only zlib-stream)`);
      return;
    }
    for (const key of query.keys()) {
      if (key !== 'v' && key !== 'encoding' && key !== 'compress') {
        this.closeConnection(connection, GatewayCloseCodes.InvalidAPIVersion, `Unknown gateway query parameter ${key}`);
        return;
      }
    }

    ws.on('message', (raw, isBinary) => this.onMessage(connection, raw, isBinary));
    connection.send({ op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.hooks.heartbeatIntervalMs }, s: null, t: null });
  }

  private closeConnection(connection: Connection, code: number, reason: string): void {
    this.closes.push({ code, reason, by: 'server', at: Date.now() });
    connection.closedByServer = true;
    if (connection.socket.readyState === WebSocket.OPEN || connection.socket.readyState === WebSocket.CONNECTING) {
      connection.socket.close(code, reason);
    }
  }

  private onMessage(connection: Connection, raw: RawData, isBinary: boolean): void {
    if (!connection.countReceive()) {
      this.closeConnection(connection, GatewayCloseCodes.RateLimited, 'You are being rate limited.');
      return;
    }
    let payload: unknown;
    try {
      if (isBinary) throw new Error('binary frames are not JSON');
      payload = JSON.parse(rawToString(raw));
    } catch {
      this.closeConnection(connection, GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
      return;
    }
    if (!isRecord(payload) || typeof payload.op !== 'number') {
      this.closeConnection(connection, GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
      return;
    }
    const op = payload.op;
    const data = payload.d;
    switch (op) {
      case GatewayOpcodes.Heartbeat:
        connection.send({ op: GatewayOpcodes.HeartbeatAck, d: null, s: null, t: null });
        return;
      case GatewayOpcodes.Identify:
        this.identify(connection, data);
        return;
      case GatewayOpcodes.Resume:
        this.resume(connection, data);
        return;
      case GatewayOpcodes.PresenceUpdate:
      case GatewayOpcodes.VoiceStateUpdate:
      case GatewayOpcodes.RequestGuildMembers:
      case GatewayOpcodes.RequestSoundboardSounds:
        if (!connection.session) this.closeConnection(connection, GatewayCloseCodes.NotAuthenticated, 'Not authenticated.');
        // Accepted and ignored: the stand-in has no presences, voice or member chunks to send.
        return;
      default:
        this.closeConnection(connection, GatewayCloseCodes.UnknownOpcode, 'Unknown opcode.');
    }
  }

  /** What IDENTIFY and RESUME both check first: a refusal set by the test, then a session already running. */
  private mayStartSession(connection: Connection): boolean {
    if (this.refusal) {
      this.closeConnection(connection, this.refusal.code, this.refusal.reason);
      return false;
    }
    if (connection.session) {
      this.closeConnection(connection, GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
      return false;
    }
    return true;
  }

  private identify(connection: Connection, data: unknown): void {
    if (!this.mayStartSession(connection)) return;
    if (!isRecord(data) || typeof data.token !== 'string' || typeof data.intents !== 'number' || !isRecord(data.properties)) {
      this.closeConnection(connection, GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
      return;
    }
    this.identifyPayloads.push(data as unknown as GatewayIdentifyData);
    if (data.token !== this.hooks.token) {
      this.closeConnection(connection, GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
      return;
    }
    const intents = data.intents;
    if ((intents & ~KNOWN_INTENTS) !== 0) {
      this.closeConnection(connection, GatewayCloseCodes.InvalidIntents, 'Invalid intent(s).');
      return;
    }
    if ((intents & PRIVILEGED_INTENTS & ~this.hooks.enabledPrivilegedIntents) !== 0) {
      this.closeConnection(connection, GatewayCloseCodes.DisallowedIntents, 'Disallowed intent(s).');
      return;
    }
    let shard: [number, number] = [0, 1];
    if (data.shard !== undefined) {
      const [id, count] = Array.isArray(data.shard) ? data.shard : [];
      if (typeof id !== 'number' || typeof count !== 'number' || count < 1 || id < 0 || id >= count) {
        this.closeConnection(connection, GatewayCloseCodes.InvalidShard, 'Invalid shard.');
        return;
      }
      shard = [id, count];
    }

    const session: Session = {
      id: randomBytes(16).toString('hex'),
      intents,
      shard,
      seq: 0,
      buffer: [],
      connection,
      identifyCompress: data.compress === true,
    };
    this.sessions.set(session.id, session);
    connection.session = session;

    const guildIds = this.hooks.guildIds().filter((guildId) => ownsGuild(shard, guildId));
    const ready: GatewayReadyDispatchData = {
      v: 10,
      user: this.hooks.botUser(),
      guilds: guildIds.map((id) => ({ id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: this.url,
      ...(data.shard !== undefined ? { shard } : {}),
      application: { id: this.hooks.applicationId, flags: this.hooks.applicationFlags, flags_new: String(this.hooks.applicationFlags) },
    };
    this.sendDispatch(session, GatewayDispatchEvents.Ready, ready);
    // Without the Guilds intent Discord never sends GUILD_CREATE (discord.js then times out waiting).
    if ((intents & GatewayIntentBits.Guilds) !== 0) {
      for (const guildId of guildIds) this.sendDispatch(session, GatewayDispatchEvents.GuildCreate, this.hooks.guildCreate(guildId));
    }
    this.hooks.onReady?.({ id: session.id, intents, shard, seq: session.seq, connected: true });
  }

  private resume(connection: Connection, data: unknown): void {
    if (!this.mayStartSession(connection)) return;
    if (!isRecord(data) || typeof data.token !== 'string' || typeof data.session_id !== 'string') {
      this.closeConnection(connection, GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
      return;
    }
    if (data.token !== this.hooks.token) {
      this.closeConnection(connection, GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
      return;
    }
    const session = this.sessions.get(data.session_id);
    const seq = typeof data.seq === 'number' ? data.seq : 0;
    // Resumable only if every event after `seq` is still in the replay buffer.
    const oldestBuffered = session?.buffer[0]?.s ?? Number.POSITIVE_INFINITY;
    if (!session || seq > session.seq || (seq < session.seq && oldestBuffered > seq + 1)) {
      // op 9 with d:false = "cannot resume, identify again".
      connection.send({ op: GatewayOpcodes.InvalidSession, d: false, s: null, t: null });
      return;
    }
    if (session.connection && session.connection !== connection) {
      const previous = session.connection;
      session.connection = null;
      this.closeConnection(previous, GatewayCloseCodes.SessionTimedOut, 'Session resumed elsewhere');
    }
    session.connection = connection;
    connection.session = session;
    for (const payload of session.buffer) if (payload.s > seq) connection.send(payload);
    this.sendDispatch(session, GatewayDispatchEvents.Resumed, {});
  }

  private sendDispatch(session: Session, event: GatewayDispatchEvents, data: unknown): void {
    session.seq += 1;
    const payload: DispatchPayload = { op: GatewayOpcodes.Dispatch, t: event, s: session.seq, d: data };
    session.buffer.push(payload);
    if (session.buffer.length > REPLAY_BUFFER) session.buffer.shift();
    session.connection?.send(payload);
  }
}

/** Discord's shard formula: (guild_id >> 22) % num_shards; DMs go to shard 0. */
function ownsGuild(shard: [number, number], guildId: string | null): boolean {
  const [id, count] = shard;
  if (count === 1) return true;
  if (guildId === null) return id === 0;
  return Number((BigInt(guildId) >> 22n) % BigInt(count)) === id;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function rawToString(raw: RawData): string {
  if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8');
  if (raw instanceof ArrayBuffer) return Buffer.from(raw).toString('utf8');
  return raw.toString('utf8');
}
