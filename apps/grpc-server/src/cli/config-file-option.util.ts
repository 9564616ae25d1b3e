import { Option } from 'commander';

/**
 * `-c, --config <file>`: the YAML configuration file. One definition for every entry point that loads the server's
 * configuration (serve, relay, the container health check), so they cannot drift apart in spelling or meaning.
 */
export const configFileOption = (): Option =>
  new Option('-c, --config <file>', 'YAML configuration file (default: $AUTH_CONFIG); environment variables win over it');

/** What commander parses `configFileOption()` into. */
export interface ConfigFileOptionValues {
  config?: string;
}
