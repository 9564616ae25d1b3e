import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { LOG_DIR } from './support/server-logs.support.js';

/**
 * Starts every run with an empty log folder, and at the end reads the output of every server process the suite ran:
 * whatever the individual files checked, no JWT and no private key may appear anywhere in it.
 */
export function setup(): () => void {
  rmSync(LOG_DIR, { recursive: true, force: true });
  return () => {
    if (!existsSync(LOG_DIR)) return;
    const files = readdirSync(LOG_DIR).filter((file) => file.endsWith('.log'));
    const leaks: string[] = [];
    let bytes = 0;
    for (const file of files) {
      const text = readFileSync(join(LOG_DIR, file), 'utf8');
      bytes += text.length;
      if (/eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/.test(text)) leaks.push(`${file}: a JWT`);
      if (/-----BEGIN [A-Z ]*PRIVATE KEY-----|"d"\s*:\s*"[A-Za-z0-9_-]{20,}"/.test(text)) leaks.push(`${file}: private key material`);
      if (/(postgres(ql)?|rediss?):\/\/[^:/\s"]*:(?!\*\*\*@)[^@\s"]+@/.test(text)) leaks.push(`${file}: a connection URL with its password`);
    }
    console.info(`log scan: ${files.length} server processes, ${bytes} bytes of output, ${leaks.length} leaks`);
    if (leaks.length > 0) throw new Error(`secrets in the server output:\n${leaks.join('\n')}`);
  };
}
