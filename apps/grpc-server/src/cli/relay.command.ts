import { Command } from 'commander';
import { createApp } from '../composition/app.factory.js';
import type { AppConfig } from '../config/config.types.js';
import type { AppLogger } from '../logging/logger.factory.js';
import type { CliIo } from './cli-io.util.js';
import { runService, withServiceOptions, type ServiceOptions } from './service-process.util.js';

/**
 * The outbox relay as its own process: the same composition as the server, asked only for the relay, so it opens the
 * database and the producer and nothing else. Resolves to the stop function (relay stopped, producer flushed,
 * database closed: reverse order of opening).
 */
export async function runRelayProcess(config: AppConfig, logger: AppLogger): Promise<() => Promise<void>> {
  const app = createApp(config, { logger });
  try {
    await app.get('relay');
    const adapters = app.adapters();
    logger.info(`database: ${adapters.database}`);
    logger.info(`events: ${adapters.events}`);
    logger.info(`outbox relay running, every ${config.outbox.pollInterval} ms or on commit`);
    return () => app.close();
  } catch (error) {
    await app.close();
    throw error;
  }
}

/** `relay`: only the outbox relay, for deployments that run the servers with outbox.relayEnabled=false. */
export function relayCommand(io: CliIo): Command {
  return withServiceOptions(new Command('relay').description('run only the outbox relay (when the servers run with outbox.relayEnabled=false)')).action((options: ServiceOptions) =>
    runService(io, options, ({ config }, logger) => runRelayProcess(config, logger)),
  );
}
