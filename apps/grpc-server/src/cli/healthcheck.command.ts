// The container's HEALTHCHECK: `node dist/cli/healthcheck.command.js [--config <file>]` asks the server's grpc.health.v1
// service whether it serves and exits 0 (SERVING) or 1 (anything else, no answer, or a usage or configuration
// problem; never 2, which Docker reserves). A script rather than grpc_health_probe: no binary to download, and it
// reads the same configuration as the server it probes (AUTH_* over the YAML file of --config or AUTH_CONFIG),
// through the same option and loader. It is not a subcommand of main.js so that a probe every few seconds does not
// load the database, Redis and Kafka adapters.
import { Command } from 'commander';
import { configFileOption, type ConfigFileOptionValues } from './config-file-option.util.js';
import { loadConfig } from '../config/config-loading.config.js';
import { checkServing } from './health-probe.util.js';

async function healthCheck(options: ConfigFileOptionValues): Promise<number> {
  try {
    const { config } = loadConfig({ env: process.env, configFile: options.config });
    const { ok, status } = await checkServing(config);
    process.stdout.write(`${status}\n`);
    return ok ? 0 : 1;
  } catch (error) {
    // A configuration problem or a probe that cannot work here: the message names the settings, never their values.
    process.stdout.write(`health check failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

const program = new Command('healthcheck')
  .description('grpc.health.v1 Check on the configured gRPC port: exit 0 when SERVING, 1 otherwise')
  .addOption(configFileOption())
  .action(async (options: ConfigFileOptionValues) => {
    process.exitCode = await healthCheck(options);
  });
await program.parseAsync(process.argv);
