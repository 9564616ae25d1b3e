import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConnectHarness, type ConnectHarness } from './connect-harness.support.js';

const ALLOWED = 'https://app.example.com';

describe('CORS of the Connect and gRPC-Web server: only the configured origins', () => {
  let harness: ConnectHarness;
  beforeAll(async () => {
    harness = await startConnectHarness({ allowedOrigins: [ALLOWED, 'http://localhost:5173'] });
  });
  afterAll(() => harness.close());

  const url = (rpc: string): string => `${harness.baseUrl}/auth.v1.AuthService/${rpc}`;
  const preflight = (origin: string, method = 'POST'): Promise<Response> =>
    fetch(url('Login'), { method: 'OPTIONS', headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'content-type,connect-protocol-version,authorization' } });

  it('a preflight from an allowed origin: 204, that origin, the methods and the headers Connect, gRPC-Web and a bearer token need', async () => {
    const response = await preflight(ALLOWED);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(response.headers.get('vary')).toMatch(/origin/i);
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    const allowedHeaders = response.headers.get('access-control-allow-headers')!.toLowerCase().split(/,\s*/);
    expect(allowedHeaders).toEqual(expect.arrayContaining(['content-type', 'connect-protocol-version', 'x-grpc-web', 'authorization', 'x-request-id']));
  });

  it('a preflight from another origin: 403, no CORS header (the browser refuses the call)', async () => {
    const response = await preflight('https://evil.example.net');
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('a call from an allowed origin is served and exposes the status, details and request-id headers to the page', async () => {
    const response = await fetch(url('GetJwks'), { method: 'POST', headers: { origin: ALLOWED, 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    const exposed = response.headers.get('access-control-expose-headers')!.toLowerCase();
    for (const header of ['grpc-status', 'grpc-message', 'grpc-status-details-bin', 'x-request-id']) expect(exposed).toContain(header);
  });

  it('a call from another origin never reaches a handler (no access-log line, no metric), whatever it asks', async () => {
    const before = harness.completed.length;
    const response = await fetch(url('RegisterUser'), { method: 'POST', headers: { origin: 'https://evil.example.net', 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(harness.completed.length).toBe(before);
  });

  it('a call without an Origin (a server, curl) is served: CORS is the browser\'s protection, not authentication', async () => {
    const response = await fetch(url('GetJwks'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});
