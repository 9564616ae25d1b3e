import { Option, type Command } from 'commander';
import { loadConfig, type LoadedConfig } from '../config/config-loading.config.js';
import { createLogger, type AppLogger } from '../logging/logger.factory.js';
import type { CliIo } from './cli-io.util.js';
import { configFileOption, type ConfigFileOptionValues } from './config-file-option.util.js';
import { formatConfig } from './print-config.codec.js';
import { onTermination } from './process-signals.util.js';
import { reportStartupError } from './startup.errors.js';
import { stopTracing } from '../tracing/tracing-shutdown.util.js';

export interface ServiceOptions extends ConfigFileOptionValues {
  printConfig?: string | boolean;
}

/** `--config` and `--print-config`, the options of the long-running commands (serve, relay). */
export const withServiceOptions = (command: Command): Command =>
  command
    .addOption(configFileOption())
    .addOption(new Option('--print-config [format]', 'print the effective configuration, secrets redacted, and exit').choices(['yaml', 'json']));

/**
 * Runs a long-running command: loads the configuration, prints it if asked, else starts `run` with a logger and wires
 * SIGTERM/SIGINT to the stop function it resolves to. Sets the exit code when the process should end now (printing,
 * start-up failure); otherwise the process lives until a signal.
 */
export async function runService(io: CliIo, options: ServiceOptions, run: (loaded: LoadedConfig, logger: AppLogger) => Promise<() => Promise<void>>): Promise<void> {
  let logger: AppLogger | undefined;
  try {
    const loaded = loadConfig({ env: io.env, configFile: options.config });
    if (options.printConfig !== undefined && options.printConfig !== false) {
      io.stdout.write(formatConfig(loaded.config, typeof options.printConfig === 'string' ? options.printConfig : 'yaml'));
      io.setExitCode(0);
      return;
    }
    logger = createLogger({ level: loaded.config.log.level });
    for (const warning of loaded.warnings) logger.warn(warning);
    if (loaded.configFile) logger.info({ file: loaded.configFile }, 'configuration file loaded');
    const running = logger;
    // Signals are handled from before the start, so a SIGTERM that arrives while it is starting (even between
    // "listening" and the end of start-up) waits for it and then shuts down gracefully instead of killing the process.
    const started = run(loaded, logger);
    onTermination(running, async (reason) => {
      running.info({ reason }, 'shutting down');
      const stop = await started;
      await stop();
      await stopTracing().catch((error: unknown) => running.warn({ err: error }, 'the last spans could not be sent'));
      running.info('stopped');
      return 0;
    });
    await started;
  } catch (error) {
    io.setExitCode(reportStartupError(error, logger));
  }
}
