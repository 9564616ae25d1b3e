import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOG_DIR_ENV } from './support/server-logs.support.js';

/**
 * Gives the run a log folder of its own (the test workers inherit its name through the environment), and at the end
 * reads the output of every server process the suite ran: whatever the individual files checked, no JWT and no
 * private key may appear anywhere in it. The folder is removed when the scan finds nothing, kept as evidence otherwise.
 */
export function setup(): () => void {
  const base = join(tmpdir(), 'authsvc-reliability-logs');
  mkdirSync(base, { recursive: true });
  const LOG_DIR = mkdtempSync(join(base, 'run-'));
  process.env[LOG_DIR_ENV] = LOG_DIR;
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
    if (leaks.length > 0) throw new Error(`secrets in the server output (kept in ${LOG_DIR}):\n${leaks.join('\n')}`);
    rmSync(LOG_DIR, { recursive: true, force: true });
  };
}
