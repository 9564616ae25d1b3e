import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { ConfigError, type ConfigProblem } from './config.errors.js';
import { checkConfigRules } from './config.rules.js';
import type { AppConfig, RawConfig } from './config.types.js';
import { isEmbedded } from './config.types.js';
import { ENV_PREFIX, OPTION_ENTRIES, type OptionEntry } from './option-table.config.js';

export interface LoadConfigInput {
  env: Record<string, string | undefined>;
  /** `--config` on the command line; wins over AUTH_CONFIG. */
  configFile?: string | undefined;
}

export interface LoadedConfig {
  config: AppConfig;
  /** Where the YAML came from, if any. */
  configFile: string | undefined;
  /** Non-fatal findings (e.g. unknown AUTH_ variables), for the log. */
  warnings: string[];
}

const CONFIG_FILE_ENV = `${ENV_PREFIX}CONFIG`;
const problemFor = (entry: OptionEntry, message: string): ConfigProblem => ({ envVar: entry.envVar, yamlKey: entry.yamlKey, message });

function readYaml(file: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ConfigError([{ envVar: CONFIG_FILE_ENV, yamlKey: '--config', message: `cannot read YAML file ${file}: ${reason}` }]);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError([{ envVar: CONFIG_FILE_ENV, yamlKey: '--config', message: `${file} must hold a YAML mapping` }]);
  }
  return parsed as Record<string, unknown>;
}

/** Flattens YAML into dotted keys, stopping at known option keys (whose values may be lists). */
function flattenYaml(node: Record<string, unknown>, prefix: string, known: Set<string>, out: Map<string, unknown>, unknown: string[]): void {
  for (const [key, value] of Object.entries(node)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (known.has(path)) out.set(path, value);
    else if (value !== null && typeof value === 'object' && !Array.isArray(value)) flattenYaml(value as Record<string, unknown>, path, known, out, unknown);
    else unknown.push(path);
  }
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const part of path.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
  node[path[path.length - 1]!] = value;
}

/** Reads the environment over the YAML file over the defaults, validates every setting, and derives the rest. */
export function loadConfig(input: LoadConfigInput): LoadedConfig {
  const configFile = input.configFile ?? (input.env[CONFIG_FILE_ENV]?.trim() || undefined);
  const yaml = configFile ? readYaml(configFile) : {};
  const known = new Set(OPTION_ENTRIES.map((e) => e.yamlKey));
  const fromYaml = new Map<string, unknown>();
  const unknownKeys: string[] = [];
  flattenYaml(yaml, '', known, fromYaml, unknownKeys);

  const problems: ConfigProblem[] = unknownKeys.map((key) => ({ envVar: '-', yamlKey: key, message: `unknown setting in ${configFile}` }));
  const raw: Record<string, unknown> = {};
  for (const entry of OPTION_ENTRIES) {
    const envValue = input.env[entry.envVar];
    const value = envValue !== undefined && envValue.trim() !== '' ? envValue : fromYaml.get(entry.yamlKey);
    if (value === undefined || value === null) {
      setPath(raw, entry.path, entry.spec.default);
      continue;
    }
    const result = entry.spec.schema.safeParse(value);
    if (result.success) setPath(raw, entry.path, result.data);
    else problems.push(problemFor(entry, result.error.issues[0]?.message ?? 'invalid value'));
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const rawConfig = raw as RawConfig;
  const ruleProblems = checkConfigRules(rawConfig);
  if (ruleProblems.length > 0) throw new ConfigError(ruleProblems);

  const knownEnv = new Set([CONFIG_FILE_ENV, ...OPTION_ENTRIES.map((e) => e.envVar)]);
  const warnings = Object.keys(input.env)
    .filter((name) => name.startsWith(ENV_PREFIX) && !knownEnv.has(name))
    .map((name) => `unknown environment variable ${name} ignored`);

  const config: AppConfig = {
    ...rawConfig,
    database: { ...rawConfig.database, migrate: rawConfig.database.migrate ?? isEmbedded(rawConfig) },
  };
  return { config, configFile, warnings };
}
