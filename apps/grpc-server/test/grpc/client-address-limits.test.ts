import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressRanges, clientAddressOf, type ForwardedHeader } from '../../src/grpc/client-address.codec.js';
import { loadConfig } from '../../src/config/config-loading.config.js';
import { ConfigError } from '../../src/config/config.errors.js';
import { aUser, expectStatus, startHarness, type Harness } from './support/grpc-harness.support.js';
import { signedInUser } from './support/accounts.support.js';

function metadataOf(headers: Record<string, string | string[]>): Metadata {
  const metadata = new Metadata();
  for (const [key, values] of Object.entries(headers)) for (const value of [values].flat()) metadata.add(key, value);
  return metadata;
}

const addressOf = (peer: string, headers: Record<string, string | string[]>, trusted: string[] = [], header: ForwardedHeader = 'x-forwarded-for') =>
  clientAddressOf(peer, metadataOf(headers), addressRanges(trusted), header);

/** The RetryInfo delay of a failure, in ms. */
function retryDelayMs(error: ServiceError, reason: string): number {
  const decoded = expectStatus(error, status.RESOURCE_EXHAUSTED, reason);
  const retry = decoded.details.find((d) => d.kind === 'RetryInfo');
  if (retry?.kind !== 'RetryInfo') throw new Error('no RetryInfo');
  return retry.value.retryDelay!.seconds * 1000 + retry.value.retryDelay!.nanos / 1e6;
}

describe('the client address of a call', () => {
  it('is the peer\'s, whatever forwarded header an untrusted peer sends', () => {
    expect(addressOf('203.0.113.9:50000', { 'x-forwarded-for': '198.51.100.1', forwarded: 'for=198.51.100.2' })).toBe('203.0.113.9');
    expect(addressOf('::ffff:203.0.113.9:50000', {})).toBe('203.0.113.9');
    expect(addressOf('2001:db8::5:443', {})).toBe('2001:db8::5');
    expect(addressOf('unknown', {})).toBeUndefined();
  });

  it('behind trusted proxies, is the first untrusted hop read from the right of X-Forwarded-For', () => {
    const trusted = ['10.0.0.0/8', '2001:db8:ffff::/48'];
    // The client wrote "1.1.1.1" itself: only what the trusted proxies appended is believed.
    expect(addressOf('10.0.0.2:4000', { 'x-forwarded-for': '1.1.1.1, 198.51.100.7, 10.0.0.9' }, trusted)).toBe('198.51.100.7');
    expect(addressOf('10.0.0.2:4000', { 'x-forwarded-for': ['1.1.1.1', '198.51.100.7:5555'] }, trusted)).toBe('198.51.100.7');
    expect(addressOf('[2001:db8:ffff::1]:4000', { 'x-forwarded-for': '[2001:db8:1::2]:777' }, trusted)).toBe('2001:db8:1::2');
    // Only proxies all the way: the leftmost; no header: the proxy itself; a hop that is no address: the last proxy.
    expect(addressOf('10.0.0.2:4000', { 'x-forwarded-for': '10.1.1.1, 10.0.0.9' }, trusted)).toBe('10.1.1.1');
    expect(addressOf('10.0.0.2:4000', {}, trusted)).toBe('10.0.0.2');
    expect(addressOf('10.0.0.2:4000', { 'x-forwarded-for': '198.51.100.7, not-an-address, 10.0.0.9' }, trusted)).toBe('10.0.0.9');
    // The other header is not read.
    expect(addressOf('10.0.0.2:4000', { forwarded: 'for=198.51.100.7' }, trusted)).toBe('10.0.0.2');
  });

  it('behind trusted proxies sending Forwarded (RFC 7239), reads its for= parameters the same way', () => {
    const trusted = ['10.0.0.0/8'];
    const forwarded = 'for=192.0.2.60;proto=http;by=203.0.113.43, For="[2001:db8:cafe::17]:4711", for=10.0.0.5';
    expect(addressOf('10.0.0.2:4000', { forwarded }, trusted, 'forwarded')).toBe('2001:db8:cafe::17');
    expect(addressOf('10.0.0.2:4000', { forwarded: 'for=unknown, for=10.0.0.5' }, trusted, 'forwarded')).toBe('10.0.0.5');
    expect(addressOf('10.0.0.2:4000', { 'x-forwarded-for': '198.51.100.7', forwarded: 'for=192.0.2.1' }, trusted, 'forwarded')).toBe('192.0.2.1');
  });

  it('grpc.trustedProxies takes addresses and CIDR ranges, and refuses anything else at start-up', () => {
    const { config } = loadConfig({ env: { AUTH_GRPC_TRUSTED_PROXIES: '10.0.0.0/8, 192.0.2.7, fd00::/8' } });
    expect(config.grpc.trustedProxies).toEqual(['10.0.0.0/8', '192.0.2.7', 'fd00::/8']);
    expect(loadConfig({ env: {} }).config.grpc.trustedProxies).toBeUndefined();
    for (const bad of ['10.0.0.0/33', 'proxy.internal', '10.0.0.0/8/1', 'fd00::/129']) {
      expect(() => loadConfig({ env: { AUTH_GRPC_TRUSTED_PROXIES: bad } }), bad).toThrow(ConfigError);
    }
  });
});

describe('limits per client address over gRPC', () => {
  let direct: Harness;
  let proxied: Harness;
  beforeAll(async () => {
    direct = await startHarness({ maxLoginFailures: 3, env: { AUTH_THROTTLE_MAX_IDENTITY_CHANGES: '2' } });
    proxied = await startHarness({
      maxLoginFailures: 3,
      env: { AUTH_THROTTLE_MAX_REGISTRATIONS_PER_ADDRESS: '3', AUTH_THROTTLE_MAX_PASSWORD_RESET_REQUESTS_PER_ADDRESS: '3' },
      clientAddress: { trustedProxies: ['127.0.0.1/32'], header: 'x-forwarded-for' },
    });
  });
  afterAll(async () => {
    await direct.close();
    await proxied.close();
  });

  it('a client that is not behind a trusted proxy cannot escape the login limit with a forged X-Forwarded-For', async () => {
    const victim = aUser();
    await direct.client.call('registerUser', victim);
    for (let i = 0; i < 3; i += 1) {
      const forged = { 'x-forwarded-for': `198.51.100.${i}` };
      expectStatus(await direct.client.failure('login', { login: victim.username, password: 'wrong password' }, { metadata: forged }), status.UNAUTHENTICATED, 'INVALID_CREDENTIALS');
    }
    const refused = await direct.client.failure('login', { login: victim.username, password: victim.password }, { metadata: { 'x-forwarded-for': '198.51.100.99' } });
    expect(retryDelayMs(refused, 'LOGIN_THROTTLED')).toBeGreaterThan(0);
  });

  it('behind a trusted proxy, an attacker locks out only its own address: the owner signs in from another', async () => {
    const victim = aUser();
    await proxied.client.call('registerUser', victim, { metadata: { 'x-forwarded-for': '198.51.100.200' } });
    const attacker = { metadata: { 'x-forwarded-for': '203.0.113.66' } };
    for (let i = 0; i < 3; i += 1) await proxied.client.failure('login', { login: victim.username, password: 'wrong password' }, attacker);
    expect(retryDelayMs(await proxied.client.failure('login', { login: victim.username, password: victim.password }, attacker), 'LOGIN_THROTTLED')).toBeGreaterThan(0);
    const owner = await proxied.client.call('login', { login: victim.username, password: victim.password }, { metadata: { 'x-forwarded-for': '198.51.100.200' } });
    expect(owner.username).toBe(victim.username);
  });

  it('registrations from one address beyond the limit get RESOURCE_EXHAUSTED (RATE_LIMITED) with RetryInfo', async () => {
    const from = { metadata: { 'x-forwarded-for': '192.0.2.33' } };
    for (let i = 0; i < 3; i += 1) await proxied.client.call('registerUser', aUser(), from);
    const refused = await proxied.client.failure('registerUser', aUser(), from);
    const delay = retryDelayMs(refused, 'RATE_LIMITED');
    expect(delay).toBeGreaterThan(0);
    expect(delay).toBeLessThanOrEqual(3_600_000);
    await expect(proxied.client.call('registerUser', aUser(), { metadata: { 'x-forwarded-for': '192.0.2.34' } })).resolves.toBeDefined();
  });

  it('password-reset requests from one address beyond the limit get RATE_LIMITED, whatever addresses they name', async () => {
    const known = aUser();
    await proxied.client.call('registerUser', known, { metadata: { 'x-forwarded-for': '192.0.2.90' } });
    const from = { metadata: { 'x-forwarded-for': '192.0.2.50' } };
    for (const email of ['one.nobody@example.com', known.email, 'two.nobody@example.com']) {
      expect(await proxied.client.call('requestPasswordReset', { email }, from)).toEqual({});
    }
    for (const email of [known.email, 'three.nobody@example.com']) {
      expect(retryDelayMs(await proxied.client.failure('requestPasswordReset', { email }, from), 'RATE_LIMITED')).toBeGreaterThan(0);
    }
    expect(await proxied.client.call('requestPasswordReset', { email: known.email }, { metadata: { 'x-forwarded-for': '192.0.2.51' } })).toEqual({});
  });

  it('changes of username or email beyond the limit get RESOURCE_EXHAUSTED (RATE_LIMITED) with RetryInfo', async () => {
    const me = await signedInUser(direct);
    const taken = aUser();
    await direct.client.call('registerUser', taken);
    await direct.client.call('updateUser', { id: me.id, email: `${me.username}.new@example.com` }, { token: me.accessToken });
    expectStatus(await direct.client.failure('updateUser', { id: me.id, email: taken.email }, { token: me.accessToken }), status.ALREADY_EXISTS, 'EMAIL_TAKEN');
    const refused = await direct.client.failure('updateUser', { id: me.id, email: `${me.username}.other@example.com` }, { token: me.accessToken });
    expect(retryDelayMs(refused, 'RATE_LIMITED')).toBeGreaterThan(23 * 3_600_000);
    await expect(direct.client.call('updateUser', { id: me.id, age: 61 }, { token: me.accessToken })).resolves.toMatchObject({ user: { age: 61 } });
  });
});
