import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestPki {
  ca: Buffer;
  serverCert: Buffer;
  serverKey: Buffer;
  clientCert: Buffer;
  clientKey: Buffer;
}

/**
 * A throwaway CA with a server certificate for `serverNames` (subjectAltName syntax; 127.0.0.1 and localhost unless
 * given) and a client certificate (openssl CLI).
 */
export function createTestPki(serverNames = 'IP:127.0.0.1,DNS:localhost'): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'authsvc-pki-'));
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  try {
    ssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=authsvc test CA');
    writeFileSync(join(dir, 'server.ext'), `subjectAltName=${serverNames}\n`);
    for (const name of ['server', 'client']) {
      ssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
      const ext = name === 'server' ? ['-extfile', 'server.ext'] : [];
      ssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '1', ...ext);
    }
    const read = (file: string) => readFileSync(join(dir, file));
    return { ca: read('ca.crt'), serverCert: read('server.crt'), serverKey: read('server.key'), clientCert: read('client.crt'), clientKey: read('client.key') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
