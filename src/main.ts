import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { DatabaseTooNewError } from './db/client.js';
import { createLogger, routeCronLogs } from './logger.js';

function main(): void {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
  const logger = createLogger(config.LOG_LEVEL);
  routeCronLogs(logger);
  let app;
  try {
    app = createApp(config, logger);
  } catch (error) {
    if (error instanceof DatabaseTooNewError) {
      console.error(error.message);
      process.exit(78);
    }
    logger.fatal({ err: error }, 'could not start');
    process.exit(1);
  }
  const started = app;

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      void started.stop(signal).then(
        () => process.exit(0),
        (error: unknown) => {
          logger.fatal({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
  // Last line of defence: a stray rejection is logged, never allowed to kill the bot.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));

  started.start().catch((error: unknown) => {
    logger.fatal({ err: error }, 'could not connect to Discord');
    void started.stop('connection failure').finally(() => process.exit(1));
  });
}

main();
