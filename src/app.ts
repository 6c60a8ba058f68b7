import { Events, GatewayCloseCodes, type Client } from 'discord.js';
import { commands } from '../commands/index.js';
import type { Config } from './config.js';
import { closeDatabase, openDatabase } from './db/client.js';
import { buildCommandJson } from './discord/command-definition.js';
import { createDiscordClient, inviteUrl, readyConsoleLines, REQUIRED_PERMISSIONS } from './discord/client.js';
import { registerCommandsIfChanged } from './discord/registration.js';
import { InteractionRouter } from './discord/router.js';
import type { BotRuntime } from './discord/runtime.js';
import { registerWelcome } from './discord/setup/welcome.js';
import { registerSupportActivity } from './discord/support/activity.js';
import { registerSupportJobs } from './discord/support/jobs.js';
import { wireTaskBoard } from './discord/tasks/board.js';
import { systemClock, type Clock } from './domain/clock.js';
import { healthProblem, startHealthServer, type HealthServer } from './health.js';
import type { Logger } from './logger.js';
import { JobRunner } from './scheduler/job-runner.js';
import { registerBackupJob } from './scheduler/backup-job.js';
import { createPostScheduler } from './scheduler/post-scheduler.js';
import { createServices, type Services } from './services.js';

/**
 * Gateway close codes after which discord.js does not reconnect (Discord's docs mark them
 * "reconnect: false"): 4004 authentication failed (token reset), 4010 invalid shard, 4011 sharding
 * required, 4012 invalid API version, 4013 invalid intents, 4014 disallowed intents.
 */
const UNRECOVERABLE_CLOSE_CODES = new Set<number>([
  GatewayCloseCodes.AuthenticationFailed,
  GatewayCloseCodes.InvalidShard,
  GatewayCloseCodes.ShardingRequired,
  GatewayCloseCodes.InvalidAPIVersion,
  GatewayCloseCodes.InvalidIntents,
  GatewayCloseCodes.DisallowedIntents,
]);
/** Exit status after such a close (non-zero, so a supervisor restarts or alerts). */
export const EXIT_GATEWAY_CLOSED = 1;

export interface App {
  services: Services;
  client: Client;
  jobs: JobRunner;
  start(): Promise<void>;
  stop(reason: string): Promise<void>;
}

/**
 * Composition root: database and migrations, services, the Discord client, the router and the
 * scheduler. Everything is built here from explicit dependencies, so tests can build the same app.
 */
export function createApp(config: Config, logger: Logger, clock: Clock = systemClock): App {
  const db = openDatabase(config.DATABASE_PATH);
  const services = createServices(db, clock, logger, {
    feedsAllowPrivateHosts: config.FEEDS_ALLOW_PRIVATE_HOSTS,
    guideReviewMaxAgeDays: config.GUIDE_REVIEW_MAX_AGE_DAYS,
    postMinIntervalSeconds: config.POST_MIN_INTERVAL_SECONDS,
  });
  const client = createDiscordClient(config);
  const jobs = new JobRunner(logger);
  const runtime: BotRuntime = { client: client as Client<true>, config, commands };
  const router = new InteractionRouter(services, runtime, logger);
  const commandJson = commands.map((command) => buildCommandJson(command.declaration));
  let stopping: Promise<void> | undefined;
  let health: HealthServer | undefined;

  client.on(Events.InteractionCreate, (interaction) => router.handle(interaction));
  const posts = createPostScheduler({ client, services, jobs, logger });
  registerSupportActivity(client, services, logger);
  const welcome = registerWelcome(client, services, logger);
  registerSupportJobs(jobs, client, services, logger, { reminders: config.SUPPORT_REMINDER_CRON, retention: config.SUPPORT_RETENTION_CRON, conversations: config.SUPPORT_CONVERSATION_RETRY_CRON });
  wireTaskBoard({ client, services, jobs, config, logger });
  registerBackupJob(jobs, db.$client, config, logger, clock);
  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord client error'));
  client.on(Events.ShardDisconnect, (event, shardId) => {
    if (!UNRECOVERABLE_CLOSE_CODES.has(event.code)) {
      logger.warn({ code: event.code }, 'gateway disconnected');
      return;
    }
    // discord.js emits shardDisconnect only for closes it will not reconnect from: without an exit
    // the bot would live on deaf, its jobs still running, and no supervisor would notice.
    const name = GatewayCloseCodes[event.code] ?? 'unknown';
    logger.fatal(
      { code: event.code, shardId },
      `gateway closed with ${event.code} (${name}): Discord will not take this connection back; exiting so a supervisor restarts the bot or alerts`,
    );
    // Bounded: if a graceful stop hangs (a handler stuck on a dead connection), exit anyway.
    setTimeout(() => process.exit(EXIT_GATEWAY_CLOSED), config.SHUTDOWN_TIMEOUT_MS + 2_000).unref();
    void stop(`gateway closed ${event.code}`).finally(() => process.exit(EXIT_GATEWAY_CLOSED));
  });

  client.once(Events.ClientReady, async (ready) => {
    const readyAt = performance.now();
    try {
      await registerCommandsIfChanged({
        rest: ready.rest,
        applicationId: ready.application.id,
        guildId: config.DISCORD_GUILD_ID,
        body: commandJson,
        state: services.botState,
        logger,
      });
      welcome.welcomeAll();
      jobs.start();
      posts.start();
      logger.info(
        {
          user: ready.user.tag,
          guilds: ready.guilds.cache.size,
          invite: inviteUrl(ready.application.id),
          permissions: REQUIRED_PERMISSIONS.toString(),
          readyMs: Math.round(performance.now() - readyAt),
        },
        `ready: invite the bot with ${inviteUrl(ready.application.id)}`,
      );
      for (const line of readyConsoleLines(ready.application.id, process.stdout.isTTY === true)) process.stdout.write(`${line}\n`);
    } catch (error) {
      logger.fatal({ err: error }, 'start-up failed after connecting');
      void stop('start-up failure').then(() => process.exit(1));
    }
  });

  async function start(): Promise<void> {
    // Before login, so a supervisor sees 503 while the bot connects.
    if (config.HEALTH_PORT !== undefined) {
      health = await startHealthServer(config.HEALTH_PORT, () => healthProblem(client, db.$client));
      logger.info({ port: config.HEALTH_PORT }, 'health: GET /healthz on 127.0.0.1');
    }
    await client.login(config.DISCORD_TOKEN);
  }

  /** Idempotent: a second signal while stopping waits for the first stop. */
  function stop(reason: string): Promise<void> {
    stopping ??= (async () => {
      logger.info({ reason }, 'stopping: no new work accepted');
      const handlersDone = await router.drain(config.SHUTDOWN_TIMEOUT_MS);
      const jobsDone = await jobs.stop(config.SHUTDOWN_TIMEOUT_MS);
      // Scheduled runs finish and the post being sent is sent (bounded), before the gateway closes.
      const postsDone = await posts.stop(config.SHUTDOWN_TIMEOUT_MS);
      if (!handlersDone || !jobsDone || !postsDone) logger.warn({ handlersDone, jobsDone, postsDone }, 'stopped before all work finished');
      await health?.close();
      await client.destroy();
      closeDatabase(db);
      logger.info('stopped: gateway and database closed');
    })();
    return stopping;
  }

  return { services, client, jobs, start, stop };
}
