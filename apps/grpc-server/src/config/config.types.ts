import type { ConfigOptions } from './options.config.js';
import type { OptionSpec } from './option.config.js';

type ValuesOf<T> = { -readonly [K in keyof T]: T[K] extends OptionSpec<infer V> ? V : ValuesOf<T[K]> };

/** The validated settings as configured (before values derived from other settings). */
export type RawConfig = ValuesOf<ConfigOptions>;

/** The effective configuration the server runs with. */
export type AppConfig = RawConfig & {
  database: RawConfig['database'] & { migrate: boolean };
};

/** Embedded mode: no database URL, so PGlite in the data folder. */
export function isEmbedded(config: Pick<RawConfig, 'database'>): boolean {
  return config.database.url === undefined;
}
