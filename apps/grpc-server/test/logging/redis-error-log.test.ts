import { status } from '@grpc/grpc-js';
import { PrivateRedis, redisServerInstalled, temporaryDir } from '@authsvc/test-support';
import { TestClient } from '@authsvc/test-support/grpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/cli/serve.command.js';
import { loadConfig } from '../../src/config/config-loading.config.js';
import { capturingLogger } from '../composition/support/capturing-logger.support.js';

const canRun = redisServerInstalled();
if (!canRun) {
  const line = 'Redis error log suite skipped: it needs a redis-server binary on PATH (apt-get install redis-server).';
  if (process.env.CI === 'true') throw new Error(`${line} Under CI=true a skipped integration suite is a failure.`);
  console.warn(line);
}

// A Redis that answers every script with an error, for real: EVAL and EVALSHA renamed away, so each call gets
// "ERR unknown command 'evalsha', with args beginning with: <the arguments>" (ioredis then tries EVAL, which fails
// the same way), and ioredis also hangs the command with its arguments on the error. The login name is one of those arguments (the throttle's key).
describe.skipIf(!canRun)('an unexpected Redis error in the log', () => {
  const dir = temporaryDir();
  let redis: PrivateRedis;
  let server: RunningServer;
  let client: TestClient;
  const { logger, lines } = capturingLogger();

  beforeAll(async () => {
    redis = await PrivateRedis.create({ extraArgs: ['--rename-command', 'EVALSHA', '', '--rename-command', 'EVAL', ''] });
    await redis.start();
  });
  afterAll(async () => {
    client?.close();
    await server?.stop();
    await redis?.kill();
    dir.remove();
  });

  it('names the failed command but none of its arguments: no login name, email or key, in the error or its message', async () => {
    const { config } = loadConfig({
      env: { AUTH_DATA_DIR: dir.path, AUTH_GRPC_PORT: '0', AUTH_REDIS_URL: redis.url, AUTH_PASSWORD_BCRYPT_COST: '4', AUTH_PASSWORD_HASH_THREADS: '1' },
    });
    server = await startServer(config, logger);
    client = new TestClient(`127.0.0.1:${server.grpcPort}`);
    const login = 'ann.secret-login@example.com';
    const error = await client.failure('login', { login, password: 'not her password' }, { metadata: { 'x-request-id': 'redis-args' } });
    expect(error.code).toBe(status.INTERNAL);

    const line = lines.find((text) => text.includes('"requestId":"redis-args"') && text.includes('"err"'));
    expect(line, 'the access log line of the failed call, with its error').toBeDefined();
    const logged = JSON.parse(line!) as { err: { message: string; stack: string; command?: { name: string; args: unknown } } };
    expect(logged.err.message).toMatch(/unknown command 'eval(sha)?', with args beginning with: \[redacted\]$/);
    expect(logged.err.stack).toMatch(/with args beginning with: \[redacted\]\n/);
    expect(logged.err.command).toEqual({ name: expect.stringMatching(/^eval(sha)?$/), args: '[redacted]' });
    const everything = lines.join('\n');
    for (const argument of [login, 'ann.secret-login', 'login-failures', '{login:']) expect(everything).not.toContain(argument);
  }, 180_000);
});
