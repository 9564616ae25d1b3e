import { runServerCommand, type CommandResult } from '@authsvc/test-support/server';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/** Runs the CLI (from its sources, as the e2e suites do) with only the given environment. */
function run(args: string[], env: Record<string, string>): Promise<CommandResult> {
  return runServerCommand(args, { env, timeoutMs: 60_000 });
}

describe('the command line', () => {
  it('--print-config prints the effective configuration with secrets redacted and exits 0', async () => {
    const secret = Buffer.alloc(32, 9).toString('base64url');
    const result = await run(['--print-config'], {
      AUTH_DATABASE_URL: 'postgres://app:db-secret-pw@db:5432/auth',
      AUTH_JWT_KEYS_FILE: '/keys.json',
      AUTH_SESSION_REFRESH_TOKEN_SECRET: secret,
      AUTH_GRPC_PORT: '6000',
    });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('db-secret-pw');
    expect(result.stdout).not.toContain(secret);
    const printed = parse(result.stdout);
    expect(printed.grpc.port).toBe(6000);
    expect(printed.database.url).toBe('postgres://app:***@db:5432/auth');
    expect(printed.session.refreshTokenSecret).toBe('***');
  });

  it('--print-config json prints JSON', async () => {
    const result = await run(['serve', '--print-config', 'json'], {});
    expect(JSON.parse(result.stdout).grpc).toMatchObject({ host: '127.0.0.1', port: 50051 });
  });

  it('an invalid setting stops the process with exit code 2 and names it', async () => {
    const result = await run([], { AUTH_GRPC_PORT: 'http' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('AUTH_GRPC_PORT (YAML grpc.port): must be a whole number');
    expect(result.stdout).toBe('');
  });

  it('an unreadable TLS file stops the process with exit code 2 before anything is opened', async () => {
    const result = await run(['serve'], { AUTH_GRPC_TLS_CERT: '/nonexistent/tls.crt', AUTH_GRPC_TLS_KEY: '/nonexistent/tls.key', AUTH_DATA_DIR: '/nonexistent/data' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/AUTH_GRPC_TLS_CERT \(YAML grpc.tlsCert\): cannot read \/nonexistent\/tls.crt \(ENOENT\)/);
    expect(result.stderr).toMatch(/AUTH_GRPC_TLS_KEY \(YAML grpc.tlsKey\): cannot read \/nonexistent\/tls.key \(ENOENT\)/);
  });
});
