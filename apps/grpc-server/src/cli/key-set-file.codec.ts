import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parseSigningKeySet, type SigningKeyMaterial } from '@authsvc/core';
import { CommandError } from './cli-io.util.js';

/**
 * One key of a key-set file as stored. `retiredAt` is ours: when rotation turned the key verification-only, so
 * `keys prune` can tell when its last token expired. The server's parser ignores members it does not know.
 */
export type StoredKey = SigningKeyMaterial & { retiredAt?: string };

/** Reads and validates a key-set file, keeping every stored member (the parser would drop `retiredAt`). */
export async function readKeySetFile(file: string): Promise<StoredKey[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CommandError(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse's message may quote the content: key material.
    throw new CommandError(`${file} is not valid JSON`);
  }
  try {
    parseSigningKeySet(json);
  } catch (error) {
    throw new CommandError(`${file}: ${(error as Error).message}`);
  }
  return (json as { keys: StoredKey[] }).keys;
}

/**
 * Writes a key-set file readable by its owner only. The content goes to a temporary file in the same folder
 * first and is then renamed over the target, so a server (re)starting meanwhile reads the old or the new set,
 * never half a file. Without `overwrite`, an existing file is refused.
 */
export async function writeKeySetFile(file: string, keys: readonly StoredKey[], options: { overwrite: boolean }): Promise<void> {
  parseSigningKeySet({ keys }); // never write a set the server would refuse
  // A folder this creates for private keys is owner-only, like the file.
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const content = `${JSON.stringify({ keys }, null, 2)}\n`;
  if (!options.overwrite) {
    try {
      const handle = await open(file, 'wx', 0o600);
      try {
        await handle.writeFile(content);
      } finally {
        await handle.close();
      }
      await chmod(file, 0o600);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new CommandError(`${file} already exists; pass --force to replace it`);
      throw error;
    }
  }
  const temporary = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await chmod(temporary, 0o600);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
