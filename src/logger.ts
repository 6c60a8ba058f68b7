import { setLogger as setCronLogger } from 'node-cron';
import { pino, stdSerializers, type Logger } from 'pino';

export type { Logger };

/**
 * JSON logs to stdout. Secrets are redacted by path as a second line of defence:
 * the code never passes the token or request text to the logger in the first place.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      serializers: { err: serializeError },
      redact: {
        paths: ['token', '*.token', 'DISCORD_TOKEN', '*.DISCORD_TOKEN', 'headers.authorization', '*.headers.authorization'],
        censor: '[redacted]',
      },
    },
    destination ?? process.stdout,
  );
}

/**
 * discord.js API errors carry the request body, which can hold what a member wrote (a support
 * request posted into its thread). Logs keep the status and code, never the body. Their URL names
 * members in routes such as `/thread-members/{user.id}`: those ids are replaced, since logs cannot
 * be erased by /privacy delete.
 */
function serializeError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const serialized: Record<string, unknown> = { ...stdSerializers.err(error) };
  delete serialized.requestBody;
  delete serialized.rawError;
  for (const key of ['url', 'message', 'stack'] as const) {
    if (typeof serialized[key] === 'string') serialized[key] = redactMemberRoutes(serialized[key]);
  }
  return serialized;
}

/** `/members/123…`, `/thread-members/123…`, `/users/123…`, `/bans/123…`, `/recipients/123…` → `…/{id}`. */
export function redactMemberRoutes(text: string): string {
  return text.replace(/\/(members|thread-members|users|bans|recipients)\/\d{17,20}(?!\d)/g, '/$1/{id}');
}

/**
 * node-cron prints its own warnings and task errors as coloured console lines, which would break the
 * JSON log stream; this sends them through pino instead (process-wide: node-cron has one logger).
 */
export function routeCronLogs(logger: Logger): void {
  const cron = logger.child({ component: 'node-cron' });
  const withError = (level: 'error' | 'debug') => (message: string | Error, err?: Error) =>
    message instanceof Error ? cron[level]({ err: message }, message.message) : cron[level](err ? { err } : {}, message);
  setCronLogger({
    info: (message) => cron.info(message),
    warn: (message) => cron.warn(message),
    error: withError('error'),
    debug: withError('debug'),
  });
}
