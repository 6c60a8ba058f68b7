import { Events, type Client } from 'discord.js';
import { commands } from '../commands/index.js';
import type { Config } from './config.js';
import { closeDatabase, openDatabase } from './db/client.js';
import { buildCommandJson } from './discord/command-definition.js';
import { createDiscordClient, inviteUrl, REQUIRED_PERMISSIONS } from './discord/client.js';
import { registerCommandsIfChanged } from './discord/registration.js';
import { InteractionRouter } from './discord/router.js';
import type { BotRuntime } from './discord/runtime.js';
import { registerSupportActivity } from './discord/support-activity.js';
import { registerSupportJobs } from './discord/support-jobs.js';
import { wireTaskBoard } from './discord/task-board.js';
import { systemClock, type Clock } from './domain/clock.js';
import type { Logger } from './logger.js';
import { JobRunner } from './scheduler/job-runner.js';
import { createPostScheduler } from './scheduler/post-scheduler.js';
import { createServices, type Services } from './services.js';

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
  const services = createServices(db, clock, logger, { feedsAllowPrivateHosts: config.FEEDS_ALLOW_PRIVATE_HOSTS });
  const client = createDiscordClient(config);
  const jobs = new JobRunner(logger);
  const runtime: BotRuntime = { client: client as Client<true>, config, commands };
  const router = new InteractionRouter(services, runtime, logger);
  const commandJson = commands.map((command) => buildCommandJson(command.declaration));
  let stopping: Promise<void> | undefined;

  client.on(Events.InteractionCreate, (interaction) => router.handle(interaction));
  const posts = createPostScheduler({ client, services, jobs, logger });
  registerSupportActivity(client, services, logger);
  registerSupportJobs(jobs, client, services, logger, { reminders: config.SUPPORT_REMINDER_CRON, retention: config.SUPPORT_RETENTION_CRON, conversations: config.SUPPORT_CONVERSATION_RETRY_CRON });
  wireTaskBoard({ client, services, jobs, config, logger });
  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord client error'));
  client.on(Events.ShardDisconnect, (event) => logger.warn({ code: event.code }, 'gateway disconnected'));

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
    } catch (error) {
      logger.fatal({ err: error }, 'start-up failed after connecting');
      void stop('start-up failure').then(() => process.exit(1));
    }
  });

  async function start(): Promise<void> {
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
      await client.destroy();
      closeDatabase(db);
      logger.info('stopped: gateway and database closed');
    })();
    return stopping;
  }

  return { services, client, jobs, start, stop };
}
