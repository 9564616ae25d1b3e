import { Command, Option } from 'commander';
import { ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS, generateSigningKey, type SigningAlgorithm } from '@authsvc/core';
import { duration } from '../config/option.config.js';
import { CommandError, loadCommandConfig, runCommandAction, type CliIo, type ConfigOption } from './cli-io.util.js';
import { formatDuration } from './duration-text.codec.js';
import { keyState, pruneKeys, retiredSince, rotateKeys } from './key-rotation.rules.js';
import { readKeySetFile, writeKeySetFile, type StoredKey } from './key-set-file.codec.js';
import { configFileOption } from './config-file-option.util.js';

/** Algorithms an operator may pick: asymmetric, so other services can verify tokens from the JWKS. */
export const KEY_ALGORITHMS = ['EdDSA', 'ES256', 'RS256'] as const satisfies readonly SigningAlgorithm[];

/** Writes a new key-set file with one signing key; refuses to replace a file unless `force`. Returns the kid. */
export async function generateKeys(io: CliIo, options: { out: string; alg: SigningAlgorithm; force: boolean }): Promise<string> {
  const key = await generateSigningKey(options.alg);
  await writeKeySetFile(options.out, [key], { overwrite: options.force });
  io.stdout.write(`wrote ${options.out} (mode 0600): signing key ${key.kid} (${key.alg})\n`);
  return key.kid;
}

/** Adds a key (see rotateKeys); prints the kids involved. */
export async function rotateKeysInFile(io: CliIo, options: { file: string; alg?: SigningAlgorithm; stage: boolean; now?: Date }) {
  const keys = await readKeySetFile(options.file);
  const result = await rotateKeys(keys, { stage: options.stage, now: options.now ?? new Date(), ...(options.alg ? { alg: options.alg } : {}) });
  await writeKeySetFile(options.file, result.keys, { overwrite: true });
  if (options.stage) {
    io.stdout.write(`staged key ${result.kid}: verification only until \`keys rotate\` promotes it; roll out ${options.file} to every instance first\n`);
  } else {
    io.stdout.write(`${result.promoted ? 'promoted staged' : 'new'} signing key ${result.kid}\n`);
    for (const kid of result.retired) io.stdout.write(`verification-only ${kid} (keep it until its tokens have expired, then \`keys prune\`)\n`);
  }
  return result;
}

/** Removes keys retired longer ago than `olderThanMs`; prints their kids. */
export async function pruneKeysInFile(io: CliIo, options: { file: string; olderThanMs: number; now?: Date }): Promise<string[]> {
  const keys = await readKeySetFile(options.file);
  const { keys: kept, removed } = pruneKeys(keys, { olderThanMs: options.olderThanMs, now: options.now ?? new Date() });
  if (removed.length === 0) {
    io.stdout.write(`nothing to prune: no verification-only key retired more than ${formatDuration(options.olderThanMs)} ago\n`);
    return [];
  }
  await writeKeySetFile(options.file, kept, { overwrite: true });
  for (const kid of removed) io.stdout.write(`removed ${kid}\n`);
  return removed;
}

/** One line per key: kid, algorithm, state, dates. */
export function describeKeys(keys: readonly StoredKey[]): string {
  return keys
    .map((key) => {
      const retired = keyState(key) === 'verification-only' ? `, retired ${retiredSince(key, keys)?.toISOString() ?? 'unknown'}` : '';
      return `${key.kid}  ${key.alg}  ${keyState(key)}  created ${key.createdAt}${retired}\n`;
    })
    .join('');
}

const parseDuration = (value: string): number => {
  const parsed = duration(0).safeParse(value);
  if (!parsed.success) throw new CommandError(`--older-than ${parsed.error.issues[0]?.message ?? 'is not a duration'}`);
  return parsed.data;
};

/** The key-set file named on the command line, else the configured jwt.keysFile. */
function fileOf(io: CliIo, options: ConfigOption & { file?: string }): string {
  if (options.file !== undefined) return options.file;
  const configured = loadCommandConfig(io, options.config).jwt.keysFile;
  if (configured === undefined) throw new CommandError('no key-set file: pass --file or set jwt.keysFile (AUTH_JWT_KEYS_FILE)');
  return configured;
}

const fileOption = () => new Option('-f, --file <file>', 'key-set file (default: jwt.keysFile from the configuration)');
const algOption = () => new Option('-a, --alg <alg>', 'algorithm').choices([...KEY_ALGORITHMS]);

/** `keys generate|rotate|prune|list`: the access-token signing key set (jwt.keysFile). Kids only, never key material. */
export function keysCommand(io: CliIo): Command {
  const keys = new Command('keys').description('access-token signing keys (jwt.keysFile); prints key ids, never key material');
  keys
    .command('generate')
    .description('write a new key-set file (mode 0600) with one signing key')
    .requiredOption('-o, --out <file>', 'file to create')
    .addOption(algOption().default('EdDSA'))
    .option('--force', 'replace the file if it exists (every token it signed stops verifying)', false)
    .action((options: { out: string; alg: SigningAlgorithm; force: boolean }) =>
      runCommandAction(io, async () => {
        await generateKeys(io, options);
      }),
    );
  keys
    .command('rotate')
    .description('add a new signing key and turn the previous ones verification-only (with --stage: add it verification-only first)')
    .addOption(fileOption())
    .addOption(algOption())
    .option('--stage', 'add the new key verification-only; a later `keys rotate` promotes it (for several instances)', false)
    .addOption(configFileOption())
    .action((options: ConfigOption & { file?: string; alg?: SigningAlgorithm; stage: boolean }) =>
      runCommandAction(io, async () => {
        await rotateKeysInFile(io, { file: fileOf(io, options), stage: options.stage, ...(options.alg ? { alg: options.alg } : {}) });
      }),
    );
  keys
    .command('prune')
    .description('remove verification-only keys retired longer ago than the access-token lifetime (their tokens have all expired)')
    .addOption(fileOption())
    .option('--older-than <duration>', 'how long ago a key must have been retired, e.g. 15m, 24h (default: jwt.accessTokenTtl + clock tolerance)')
    .addOption(configFileOption())
    .action((options: ConfigOption & { file?: string; olderThan?: string }) =>
      runCommandAction(io, async () => {
        const file = fileOf(io, options);
        const olderThanMs =
          options.olderThan !== undefined
            ? parseDuration(options.olderThan)
            : loadCommandConfig(io, options.config).jwt.accessTokenTtl + ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS * 1_000;
        await pruneKeysInFile(io, { file, olderThanMs });
      }),
    );
  keys
    .command('list')
    .description('list the keys of a key-set file: kid, algorithm, state, dates')
    .addOption(fileOption())
    .addOption(configFileOption())
    .action((options: ConfigOption & { file?: string }) =>
      runCommandAction(io, async () => {
        io.stdout.write(describeKeys(await readKeySetFile(fileOf(io, options))));
      }),
    );
  return keys;
}
