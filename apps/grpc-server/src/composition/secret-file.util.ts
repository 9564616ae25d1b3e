import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
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
 * Writes a new secret file readable by the owner only. `wx` refuses to overwrite: if another process created
 * it first, that one wins and the caller reads it back.
 */
export async function writeSecretFile(file: string, content: string): Promise<'written' | 'exists'> {
  await mkdir(dirname(file), { recursive: true });
  try {
    await writeFile(file, content, { mode: 0o600, flag: 'wx' });
    await chmod(file, 0o600);
    return 'written';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return 'exists';
    throw error;
  }
}
