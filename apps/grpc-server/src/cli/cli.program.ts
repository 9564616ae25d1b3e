import { Command, Option } from 'commander';
import { configMarkdownTable } from '../config/config-table.js';
import { loadConfig, type LoadedConfig } from '../config/load-config.js';
import { createLogger, type AppLogger } from '../logging/create-logger.js';
import { configFileOption, type ConfigFileOptionValues } from './config-file.option.js';
import { formatConfig } from './print-config.js';
import { onTermination } from './process-signals.js';
import { runRelayProcess } from './relay.command.js';
import { startServer } from './serve.command.js';
import { reportStartupError } from './startup-error.js';

interface CommonOptions extends ConfigFileOptionValues {
  printConfig?: string | boolean;
}

const withConfigOptions = (command: Command): Command =>
  command
    .addOption(configFileOption())
    .addOption(new Option('--print-config [format]', 'print the effective configuration, secrets redacted, and exit').choices(['yaml', 'json']));

/**
 * Loads the configuration, prints it if asked, else runs `run` with a logger and wires signals to its stop
 * function. Resolves to an exit code when the process should end now (printing, start-up failure).
 */
async function runWithConfig(options: CommonOptions, run: (loaded: LoadedConfig, logger: AppLogger) => Promise<() => Promise<void>>): Promise<number | 'running'> {
  let logger: AppLogger | undefined;
  try {
    const loaded = loadConfig({ env: process.env, configFile: options.config });
    if (options.printConfig !== undefined && options.printConfig !== false) {
      process.stdout.write(formatConfig(loaded.config, typeof options.printConfig === 'string' ? options.printConfig : 'yaml'));
      return 0;
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
      running.info('stopped');
      return 0;
    });
    await started;
    return 'running';
  } catch (error) {
    return reportStartupError(error, logger);
  }
}

/** The command line: `serve` (default), `relay`, `keys generate`, `config-table`. */
export function buildProgram(setExitCode: (code: number) => void): Command {
  const program = new Command('authsvc').description('Authentication service (gRPC)').showHelpAfterError();
  const done = (result: number | 'running') => {
    if (result !== 'running') setExitCode(result);
  };

  withConfigOptions(program.command('serve', { isDefault: true }).description('run the gRPC server (and, unless turned off, the outbox relay)')).action(
    async (options: CommonOptions) =>
      done(
        await runWithConfig(options, async ({ config }, logger) => {
          const server = await startServer(config, logger);
          return server.stop;
        }),
      ),
  );

  withConfigOptions(program.command('relay').description('run only the outbox relay (when the servers run with outbox.relayEnabled=false)')).action(
    async (options: CommonOptions) => done(await runWithConfig(options, ({ config }, logger) => runRelayProcess(config, logger))),
  );


  program
    .command('config-table')
    .description('print the configuration reference as a Markdown table (for the README)')
    .action(() => {
      process.stdout.write(`${configMarkdownTable()}\n`);
    });
  return program;
}
