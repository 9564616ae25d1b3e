import type { Server } from 'node:http';
import { createAuthClient, Gender, type AuthClient } from '@authsvc/client';
import { freePort, temporaryDir } from '@authsvc/test-support';
import { startServerProcess, type ServerProcess } from '@authsvc/test-support/server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPlaylistsApp } from './playlists.server.js';

// The real authentication server, as `npm start` runs it (embedded mode) with its HTTP side port on.
const dataDir = temporaryDir('authsvc-example-');
let authServer: ServerProcess;
let auth: AuthClient;
let playlists: { server: Server; close(): void; url: string };

beforeAll(async () => {
  const httpPort = await freePort();
  authServer = await startServerProcess({
    env: { AUTH_DATA_DIR: dataDir.path, AUTH_GRPC_PORT: '0', AUTH_HTTP_PORT: String(httpPort), AUTH_PASSWORD_BCRYPT_COST: '4', AUTH_LOG_LEVEL: 'info' },
  });
  auth = createAuthClient({ address: authServer.address });
  const { app, close } = createPlaylistsApp({
    authAddress: authServer.address,
    jwksUrl: `http://127.0.0.1:${httpPort}/.well-known/jwks.json`,
    issuer: 'authsvc',
    audience: 'authsvc',
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const address = server.address();
  playlists = { server, close, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
}, 120_000);

afterAll(async () => {
  if (playlists) {
    playlists.close();
    await new Promise((resolve) => playlists.server.close(resolve));
  }
  auth?.close();
  await authServer?.stop('SIGTERM');
  dataDir.remove();
}, 60_000);

const get = (path: string, accessToken?: string) => fetch(`${playlists.url}${path}`, { headers: accessToken ? { authorization: `Bearer ${accessToken}` } : {} });

it('serves a signed-in listener, refuses a stranger, and stops serving the listener once they log out', async () => {
  const ada = await auth.registerUser({ username: 'ada', email: 'ada@example.com', password: 'correct horse battery', gender: Gender.GENDER_FEMALE, country: 'GB', age: 36 });
  const { tokens } = await auth.login({ login: 'ada', password: 'correct horse battery' });

  const mine = await get('/me/playlists', tokens!.accessToken);
  expect(mine.status).toBe(200);
  expect(await mine.json()).toEqual({ owner: ada.user!.id, role: 'USER', playlists: [] });
  expect((await get('/admin/playlists', tokens!.accessToken)).status).toBe(403);
  expect((await get('/me/playlists')).status).toBe(401);

  await auth.logout({ refreshToken: tokens!.refreshToken });
  // The "still valid" answer is cached for up to 5 s: the logout is honoured once it expires.
  await new Promise((resolve) => setTimeout(resolve, 5_100));
  const afterLogout = await get('/me/playlists', tokens!.accessToken);
  expect(afterLogout.status).toBe(401);
  expect(await afterLogout.json()).toEqual({ error: 'invalid_token', error_description: 'the session of the access token has ended' });
}, 30_000);
