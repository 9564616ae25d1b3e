import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';

/** Every .eml file in `folder`, oldest first (the names start with the time), parsed; [] when there is no folder. */
export async function readEmlFolder(folder: string): Promise<(ParsedMail & { file: string })[]> {
  const names = await readdir(folder).catch(() => [] as string[]);
  const emls = names.filter((name) => name.endsWith('.eml')).sort();
  return Promise.all(emls.map(async (name) => ({ ...(await simpleParser(await readFile(join(folder, name)))), file: join(folder, name) })));
}
