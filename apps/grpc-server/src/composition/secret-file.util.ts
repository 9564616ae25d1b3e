import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Reads a file, or null when it does not exist. */
export async function readIfExists(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * Writes a new secret file readable by the owner only, creating its folder (and any missing parent) owner-only
 * too. `wx` refuses to overwrite: if another process created it first, that one wins and the caller reads it back.
 */
export async function writeSecretFile(file: string, content: string): Promise<'written' | 'exists'> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  try {
    await writeFile(file, content, { mode: 0o600, flag: 'wx' });
    await chmod(file, 0o600);
    return 'written';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return 'exists';
    throw error;
  }
}

/**
 * Creates `dir` (and any missing parent) owner-only (0700). An existing folder open to other users is narrowed to
 * 0700 when `narrow` is set (a folder of the service's own, such as <dataDir>/pglite), else left as it is (the data
 * folder may be one the operator shares on purpose). Returns the mode it had when it was open to others, else null.
 */
export async function ensurePrivateFolder(dir: string, narrow: boolean): Promise<number | null> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const mode = (await stat(dir)).mode & 0o777;
  if ((mode & 0o077) === 0) return null;
  if (narrow) await chmod(dir, 0o700);
  return mode;
}
