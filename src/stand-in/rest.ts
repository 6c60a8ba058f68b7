import { createHash } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { ApiError } from './errors.js';
import type { RestRequest, RestResult, UploadedFile } from './http-types.js';
import type { OpenApiContract } from './openapi.js';
import type { RouteDefinition } from './routes-core.js';

export const API_PREFIX = '/api/v10';

export interface RecordedRequest {
  method: string;
  /** Path relative to /api/v10 (or the raw path for requests outside it). */
  path: string;
  query: Record<string, string>;
  body: unknown;
  files: UploadedFile[];
  /** Whether a correct `Authorization: Bot <token>` header was sent. */
  authorized: boolean;
  userAgent: string | undefined;
  auditLogReason: string | undefined;
  status: number;
  at: number;
}

export interface UnknownRoute {
  method: string;
  path: string;
  /** 404 = no such route; 405 = route exists for another method. */
  status: 404 | 405;
  at: number;
}

export interface FaultRule {
  method?: string;
  /** Matched against the path relative to /api/v10, e.g. `/channels/123/messages`. */
  path: RegExp;
  status: number;
  /** How many matching requests fail (default 1). */
  times?: number;
  /** Seconds, for 429s (Discord sends a float in the body, ceil'd seconds in Retry-After). */
  retryAfter?: number;
  /** 429 scope: `user` (default) / `shared`; `global: true` adds X-RateLimit-Global. */
  scope?: 'user' | 'shared';
  global?: boolean;
  code?: number;
  message?: string;
}

export interface RateLimitOptions {
  /** Requests per bucket per window (per route + major parameter). */
  limit: number;
  windowMs: number;
}

interface CompiledRoute {
  definition: RouteDefinition;
  segments: string[];
}

interface Bucket {
  count: number;
  resetAt: number;
}

/** REST front door: parsing, auth, fault injection, rate-limit headers, routing and recording. */
export class RestServer {
  readonly requests: RecordedRequest[] = [];
  readonly unknownRoutes: UnknownRoute[] = [];
  /** Unexpected exceptions inside handlers (stand-in bugs); surfaced as 500s. */
  readonly internalErrors: Error[] = [];
  private readonly routes: CompiledRoute[];
  private readonly faults: Array<FaultRule & { remaining: number }> = [];
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    routes: RouteDefinition[],
    private readonly options: { token: string; rateLimit: RateLimitOptions; contract?: OpenApiContract },
  ) {
    this.routes = routes.map((definition) => ({ definition, segments: definition.pattern.split('/').filter(Boolean) }));
  }

  failNext(rule: FaultRule): void {
    this.faults.push({ ...rule, remaining: rule.times ?? 1 });
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = (request.method ?? 'GET').toUpperCase();
    const rawBody = await readBody(request);
    const path = url.pathname.startsWith(`${API_PREFIX}/`) ? url.pathname.slice(API_PREFIX.length) : url.pathname;
    const authorized = request.headers.authorization === `Bot ${this.options.token}`;
    const recorded: RecordedRequest = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      body: undefined,
      files: [],
      authorized,
      userAgent: request.headers['user-agent'],
      auditLogReason: typeof request.headers['x-audit-log-reason'] === 'string' ? decodeURIComponent(request.headers['x-audit-log-reason']) : undefined,
      status: 0,
      at: Date.now(),
    };
    this.requests.push(recorded);

    let result: RestResult;
    try {
      const parsed = await parseBody(request.headers['content-type'], rawBody);
      recorded.body = parsed.body;
      recorded.files = parsed.files;
      result = this.route(method, url, path, parsed, request, authorized);
    } catch (error) {
      if (error instanceof ApiError) {
        result = { status: error.status, body: error.body };
      } else {
        const failure = error instanceof Error ? error : new Error(String(error));
        this.internalErrors.push(failure);
        result = { status: 500, body: { message: `500: Internal Server Error (stand-in: ${failure.message})`, code: 0 } };
      }
    }
    recorded.status = result.status;
    // Both sides of every /api/v10 exchange are held to Discord's OpenAPI description (openapi.ts).
    if (this.options.contract && url.pathname.startsWith(`${API_PREFIX}/`)) {
      this.options.contract.checkRequest(method, path, recorded.body);
      this.options.contract.checkResponse(method, path, result.status, result.body);
    }
    send(response, result);
  }

  private route(
    method: string,
    url: URL,
    path: string,
    parsed: { body: unknown; files: UploadedFile[] },
    request: IncomingMessage,
    authorized: boolean,
  ): RestResult {
    const fault = this.takeFault(method, path);
    if (fault) return fault;
    if (!url.pathname.startsWith(`${API_PREFIX}/`)) return this.unknown(method, url.pathname, 404);

    const segments = path.split('/').filter(Boolean);
    let pathMatched = false;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments);
      if (!params) continue;
      pathMatched = true;
      if (route.definition.method !== method) continue;
      if (route.definition.auth !== false && !authorized) throw ApiError.unauthorized();
      const limited = this.rateLimit(method, route.definition.pattern, params);
      const req: RestRequest = { method, path, params, query: url.searchParams, body: parsed.body, files: parsed.files, headers: request.headers };
      if (limited.status === 429) return limited;
      const result = route.definition.handler(req);
      return { ...result, headers: { ...limited.headers, ...result.headers } };
    }
    return this.unknown(method, path, pathMatched ? 405 : 404);
  }

  private unknown(method: string, path: string, status: 404 | 405): RestResult {
    this.unknownRoutes.push({ method, path, status, at: Date.now() });
    throw status === 404 ? ApiError.notFound() : ApiError.methodNotAllowed();
  }

  private takeFault(method: string, path: string): RestResult | null {
    const index = this.faults.findIndex((rule) => (!rule.method || rule.method.toUpperCase() === method) && rule.path.test(path));
    if (index === -1) return null;
    const rule = this.faults[index];
    if (!rule) return null;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.faults.splice(index, 1);
    if (rule.status === 429) {
      const retryAfter = rule.retryAfter ?? 1;
      const now = Date.now();
      return {
        status: 429,
        headers: {
          'Retry-After': String(Math.ceil(retryAfter)),
          'X-RateLimit-Limit': String(this.options.rateLimit.limit),
          'X-RateLimit-Remaining': '0',
          'X-RateLimit-Reset': ((now + retryAfter * 1000) / 1000).toFixed(3),
          'X-RateLimit-Reset-After': retryAfter.toFixed(3),
          'X-RateLimit-Bucket': bucketHash(method, path),
          'X-RateLimit-Scope': rule.scope ?? 'user',
          ...(rule.global ? { 'X-RateLimit-Global': 'true' } : {}),
        },
        body: { message: 'You are being rate limited.', retry_after: retryAfter, global: rule.global ?? false, code: 0 },
      };
    }
    return { status: rule.status, body: { message: rule.message ?? `${rule.status}: ${STATUS_CODES[rule.status] ?? 'Error'}`, code: rule.code ?? 0 } };
  }

  /** Per-route-and-major-parameter buckets with Discord's X-RateLimit-* headers. */
  private rateLimit(method: string, pattern: string, params: Record<string, string>): RestResult {
    const major = params.channel ?? params.guild ?? (params.token ? `${params.application}/${params.token}` : 'global');
    const hash = bucketHash(method, pattern);
    const key = `${hash}:${major}`;
    const now = Date.now();
    const { limit, windowMs } = this.options.rateLimit;
    let bucket = this.buckets.get(key);
    if (!bucket || now >= bucket.resetAt) {
      bucket = { count: 0, resetAt: now + windowMs };
      this.buckets.set(key, bucket);
    }
    bucket.count += 1;
    const resetAfter = Math.max(0, bucket.resetAt - now) / 1000;
    const headers = {
      'X-RateLimit-Limit': String(limit),
      'X-RateLimit-Remaining': String(Math.max(0, limit - bucket.count)),
      'X-RateLimit-Reset': (bucket.resetAt / 1000).toFixed(3),
      'X-RateLimit-Reset-After': resetAfter.toFixed(3),
      'X-RateLimit-Bucket': hash,
    };
    if (bucket.count <= limit) return { status: 200, headers };
    // A client that ignores the headers gets what Discord gives it.
    return {
      status: 429,
      headers: { ...headers, 'Retry-After': String(Math.ceil(resetAfter)), 'X-RateLimit-Scope': 'user' },
      body: { message: 'You are being rate limited.', retry_after: resetAfter, global: false, code: 0 },
    };
  }
}

function bucketHash(method: string, pattern: string): string {
  return createHash('sha1').update(`${method} ${pattern}`).digest('hex').slice(0, 32);
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | null {
  if (pattern.length !== actual.length) return null;
  const params: Record<string, string> = {};
  for (let index = 0; index < pattern.length; index += 1) {
    const expected = pattern[index] ?? '';
    const value = decodeURIComponent(actual[index] ?? '');
    if (expected.startsWith(':')) params[expected.slice(1)] = value;
    else if (expected !== value) return null;
  }
  return params;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

/** JSON bodies, or multipart with `payload_json` + `files[n]` as @discordjs/rest sends them. */
async function parseBody(contentType: string | undefined, raw: Buffer): Promise<{ body: unknown; files: UploadedFile[] }> {
  if (raw.length === 0) return { body: undefined, files: [] };
  const type = contentType ?? '';
  if (type.startsWith('multipart/form-data')) {
    const form = await new Request('http://127.0.0.1/', { method: 'POST', headers: { 'content-type': type }, body: raw }).formData();
    const files: UploadedFile[] = [];
    let body: unknown;
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') {
          try {
            body = JSON.parse(value);
          } catch {
            throw ApiError.invalidJson();
          }
        }
      } else {
        files.push({ field, filename: value.name, contentType: value.type || 'application/octet-stream', size: value.size });
      }
    }
    return { body, files };
  }
  try {
    return { body: JSON.parse(raw.toString('utf8')), files: [] };
  } catch {
    throw ApiError.invalidJson();
  }
}

function send(response: ServerResponse, result: RestResult): void {
  const headers: Record<string, string> = { ...result.headers };
  if (result.status === 204 || result.body === undefined) {
    response.writeHead(result.status, headers);
    response.end();
    return;
  }
  const payload = JSON.stringify(result.body);
  headers['Content-Type'] = 'application/json';
  headers['Content-Length'] = String(Buffer.byteLength(payload));
  response.writeHead(result.status, headers);
  response.end(payload);
}
