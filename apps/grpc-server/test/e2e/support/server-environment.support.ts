import { serverCommandOutput } from '@authsvc/test-support/server';

/** Settings every e2e server gets: a free port, its own data folder, fast hashing, a small throttle. */
export function baseEnvironment(dataDir: string): Record<string, string> {
  return {
    AUTH_DATA_DIR: dataDir,
    AUTH_GRPC_HOST: '127.0.0.1',
    AUTH_GRPC_PORT: '0',
    AUTH_HTTP_PORT: '0',
    AUTH_LOG_LEVEL: 'info',
    AUTH_PASSWORD_BCRYPT_COST: '4',
    AUTH_PASSWORD_HASH_THREADS: '1',
    AUTH_THROTTLE_MAX_FAILURES: '3',
    // Every client of a test is 127.0.0.1: the per-address limits would count a whole suite as one client.
    AUTH_THROTTLE_MAX_FAILURES_PER_ADDRESS: '100000',
    AUTH_THROTTLE_MAX_REGISTRATIONS_PER_ADDRESS: '100000',
    AUTH_GRPC_SHUTDOWN_TIMEOUT: '5s',
    // The role policy (default ADMIN) off: the suites sign admins in with a password; mfa-role-policy.e2e sets it.
    AUTH_MFA_REQUIRED_FOR_ROLES: 'none',
  };
}

/** An admin account made by the operator command `create-admin` (the API cannot make one). */
export interface AdminCredentials {
  login: string;
  password: string;
}

/** Runs `create-admin` with the server's settings; call it before the server starts (PGlite is single-process). */
export async function createAdminAccount(env: Record<string, string>): Promise<AdminCredentials> {
  const username = `admin_${Date.now().toString(36)}`;
  const password = `admin-pw-${Math.random().toString(36).slice(2)}`;
  await serverCommandOutput(['create-admin', '--username', username, '--email', `${username}@example.com`, '--country', 'NL'], { env: { ...env, AUTH_ADMIN_PASSWORD: password } });
  return { login: username, password };
}
