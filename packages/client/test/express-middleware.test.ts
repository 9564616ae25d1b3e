import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTokenOf, createHttpTokenAuth } from '../src/express/index.js';
import { ADA, stubVerifier } from './support/stub-verifier.support.js';

describe('the Express middleware', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const app = express();
    app.get('/health', (_req, res) => void res.send('ok'));
    app.use(createHttpTokenAuth(stubVerifier({ 'good-token': ADA, 'expired-token': 'expired', 'unchecked-token': 'unverifiable' }), { retryAfterSeconds: 7 }));
    app.get('/me', (req, res) => void res.json({ subject: accessTokenOf(req)?.subject, fromLocals: (res.locals['accessToken'] as typeof ADA).role }));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const get = (path: string, authorization?: string) => fetch(`${base}${path}`, { headers: authorization ? { authorization } : {} });

  it('passes a request with a valid bearer token on, with the token for the handler', async () => {
    const response = await get('/me', 'Bearer good-token');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ subject: 'acc-ada', fromLocals: 'USER' });
  });

  it('answers 401 with a Bearer challenge (RFC 6750) to a missing or refused token', async () => {
    const missing = await get('/me');
    expect([missing.status, missing.headers.get('www-authenticate')]).toEqual([401, 'Bearer']);
    const expired = await get('/me', 'Bearer expired-token');
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toBe('Bearer error="invalid_token", error_description="the access token has expired"');
    expect(await expired.json()).toEqual({ error: 'invalid_token', error_description: 'the access token has expired' });
  });

  it('answers 503 with Retry-After when the token cannot be checked now', async () => {
    const response = await get('/me', 'Bearer unchecked-token');
    expect([response.status, response.headers.get('retry-after'), response.headers.get('www-authenticate')]).toEqual([503, '7', null]);
  });

  it('leaves the routes mounted before it alone', async () => {
    expect((await get('/health')).status).toBe(200);
  });
});
