import { CONFIG_OPTIONS } from './options.config.js';
import { isOption, type OptionSpec } from './option.config.js';

/** An option with its names: YAML key (dotted path) and environment variable. */
export interface OptionEntry {
  path: readonly string[];
  yamlKey: string;
  envVar: string;
  spec: OptionSpec<unknown>;
}

export const ENV_PREFIX = 'AUTH_';

/** grpc.maxMessageBytes -> AUTH_GRPC_MAX_MESSAGE_BYTES */
export function envVarOf(path: readonly string[]): string {
  return ENV_PREFIX + path.map((part) => part.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('_');
}

function* walk(node: Record<string, unknown>, prefix: readonly string[]): Generator<OptionEntry> {
  for (const [key, value] of Object.entries(node)) {
    const path = [...prefix, key];
    if (isOption(value)) yield { path, yamlKey: path.join('.'), envVar: envVarOf(path), spec: value };
    else yield* walk(value as Record<string, unknown>, path);
  }
}

/** Every option, in table order. */
export const OPTION_ENTRIES: readonly OptionEntry[] = [...walk(CONFIG_OPTIONS, [])];
