import { Writable } from 'node:stream';
import { isDomainError } from '@authsvc/core';
import { ConfigError, CONFIG_EXIT_CODE } from '../config/config.errors.js';
import type { AppConfig } from '../config/config.types.js';
import { loadConfig } from '../config/config-loading.config.js';
import { createLogger, type AppLogger } from '../logging/logger.factory.js';

/** Where a command reads and writes; the process's own streams in production, buffers in tests. */
export interface CliIo {
  env: Record<string, string | undefined>;
  stdin: NodeJS.ReadStream | NodeJS.ReadableStream;
  /** Results: what a script may parse. */
  stdout: Pick<NodeJS.WritableStream, 'write'>;
  /** Prompts, progress and errors. */
  stderr: Pick<NodeJS.WritableStream, 'write'>;
  setExitCode(code: number): void;
}

export function processIo(setExitCode: (code: number) => void = (code) => (process.exitCode = code)): CliIo {
  return { env: process.env, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, setExitCode };
}

/** An expected failure of a command: its message is printed as is, exit code 1. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
}

/** Environment variables read by operator commands only; the server's loader would warn that it does not know them. */
export const COMMAND_ONLY_ENV = ['AUTH_ADMIN_PASSWORD'] as const;

/**
 * The server's configuration (environment over `--config` YAML over defaults), so that an operator command acts on
 * exactly what the server would use. Warnings go to stderr, except for the admin-only variables.
 */
export function loadCommandConfig(io: CliIo, configFile: string | undefined): AppConfig {
  const loaded = loadConfig({ env: io.env, configFile });
  for (const warning of loaded.warnings) {
    if (!COMMAND_ONLY_ENV.some((name) => warning.includes(name))) io.stderr.write(`warning: ${warning}\n`);
  }
  return loaded.config;
}

/**
 * A logger for the adapters an admin command opens: JSON lines on stderr (so stdout stays the command's result),
 * at warn level unless the configuration asks for less.
 */
export function commandLogger(config: AppConfig, io: CliIo): AppLogger {
  const level = config.log.level === 'silent' || config.log.level === 'fatal' || config.log.level === 'error' ? config.log.level : 'warn';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      io.stderr.write(chunk.toString('utf8'));
      callback();
    },
  });
  return createLogger({ level, destination });
}

/**
 * Runs an admin action and turns its failure into a message and an exit code: 2 for a configuration problem
 * (like the server), 1 otherwise. Unexpected errors print their message only (a cause may hold a connection string).
 */
export async function runCommandAction(io: CliIo, action: () => Promise<void | number>): Promise<void> {
  try {
    const code = await action();
    if (typeof code === 'number') io.setExitCode(code);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(`${error.message}\n`);
      io.setExitCode(CONFIG_EXIT_CODE);
      return;
    }
    const code = isDomainError(error) ? `${error.code}: ` : '';
    io.stderr.write(`error: ${code}${error instanceof Error ? error.message : String(error)}\n`);
    io.setExitCode(1);
  }
}

/** `-c, --config <file>`, as on `serve`. */
export interface ConfigOption {
  config?: string;
}
