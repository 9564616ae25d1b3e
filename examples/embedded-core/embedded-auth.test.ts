import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startEmbeddedAuth } from './embedded-auth.factory.js';

const dataDir = mkdtempSync(join(tmpdir(), 'authsvc-example-'));
const { auth, close } = await startEmbeddedAuth({ dataDir, bcryptCost: 4 });
afterAll(async () => {
  await close();
  rmSync(dataDir, { recursive: true, force: true });
});

it('registers, logs in, and validates the access token, all in process', async () => {
  const ada = await auth.registerUser({
    username: 'ada', email: 'ada@example.com', password: 'correct horse battery',
    gender: 'female', country: 'gb', age: 36,
  });
  const { tokens } = await auth.login({ login: 'ADA@example.com', password: 'correct horse battery' });
  // An account with a second factor gets `secondFactor` (a ticket for completeLogin) instead of tokens.
  if (tokens === undefined) throw new Error('ada has no second factor: login returns tokens');

  const caller = await auth.authenticate(tokens.accessToken); // what every authenticated call needs
  expect(caller).toMatchObject({ accountId: ada.id, role: 'USER' });
  expect(await auth.getUser(caller, { id: ada.id })).toMatchObject({ username: 'ada', country: 'GB' });

  await auth.logout({ refreshToken: tokens.refreshToken });
  await expect(auth.validateToken({ accessToken: tokens.accessToken })).rejects.toMatchObject({ code: 'SESSION_REVOKED' });
});
