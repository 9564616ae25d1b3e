import { connect as connectHttp2, constants as h2 } from 'node:http2';
import { connect as connectTcp } from 'node:net';
import { status } from '@grpc/grpc-js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestClient } from '@authsvc/test-support/grpc';
import type { ServerProcess } from '@authsvc/test-support/server';
import { aUser, clientFor } from './support/clients.support.js';
import { expectNoSecrets } from './support/log-secrecy.support.js';
import { encode, RawClient, type WireMessage, type WireValue } from './support/raw-protobuf.support.js';
import { sharedServices, Stack } from './support/stack.support.js';

const services = await sharedServices();
const MAX_MESSAGE_BYTES = 65_536;
const RUNS_PER_RPC = Number(process.env['RELIABILITY_FUZZ_RUNS'] ?? 60);

/** The codes the API documents (docs/API and the error table); anything else is a defect. */
const DOCUMENTED = new Set([status.OK, status.INVALID_ARGUMENT, status.ALREADY_EXISTS, status.UNAUTHENTICATED, status.PERMISSION_DENIED, status.NOT_FOUND, status.RESOURCE_EXHAUSTED]);

type FieldKind = 'string' | 'uint32' | 'enum';
/** Field numbers and kinds of every request message (proto/auth/v1/auth.proto); `auth` = the RPC needs a bearer token. */
const RPCS: Record<string, { fields: FieldKind[]; auth: boolean }> = {
  RegisterUser: { fields: ['string', 'string', 'string', 'enum', 'string', 'uint32'], auth: false },
  RegisterArtist: { fields: ['string', 'string', 'string', 'string', 'string', 'string', 'string'], auth: false },
  Login: { fields: ['string', 'string'], auth: false },
  RefreshToken: { fields: ['string'], auth: false },
  Logout: { fields: ['string'], auth: false },
  ValidateToken: { fields: ['string'], auth: false },
  GetJwks: { fields: [], auth: false },
  GetUser: { fields: ['string'], auth: true },
  GetArtist: { fields: ['string'], auth: true },
  UpdateUser: { fields: ['string', 'string', 'string', 'enum', 'string', 'uint32'], auth: true },
  UpdateArtist: { fields: ['string', 'string', 'string', 'string', 'string', 'string', 'string'], auth: true },
  ChangePassword: { fields: ['string', 'string', 'string'], auth: true },
  RevokeSessions: { fields: ['string'], auth: true },
  SetRole: { fields: ['string', 'enum'], auth: true },
  // Fields 1-5 (prefixes, kind, role, the optional bool as a varint); the Timestamp messages are left out.
  SearchAccounts: { fields: ['string', 'string', 'enum', 'enum', 'uint32'], auth: true },
  DisableAccount: { fields: ['string', 'string'], auth: true },
  EnableAccount: { fields: ['string'], auth: true },
  ExportAccountData: { fields: ['string'], auth: true },
};

const utf8 = (text: string): WireValue => ({ kind: 'bytes', value: Buffer.from(text, 'utf8') });
const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)), maxLength: 20 }),
  fc.constantFrom('', ' ', '\u0000', 'a\u0000b', 'admin', '../../etc/passwd', "' or 1=1 --", '%s%n', '\u202e\u0301\u0301', '👩‍👩‍👧‍👦🎸', 'e\u0301\u0301\u0301\u0301', 'Å', '\ufeff', '\ud800'),
  fc.tuple(fc.string({ minLength: 1, maxLength: 4 }), fc.integer({ min: 100, max: 60_000 })).map(([s, n]) => s.repeat(Math.ceil(n / s.length)).slice(0, n)),
  fc.emailAddress(),
  fc.uuid(),
);
const stringValue: fc.Arbitrary<WireValue> = fc.oneof(
  { weight: 6, arbitrary: hostileText.map(utf8) },
  // Invalid UTF-8 (lone continuation bytes, overlongs, surrogates encoded): the wire allows it in a string field.
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 64 }).map((value): WireValue => ({ kind: 'bytes', value })) },
  { weight: 1, arbitrary: fc.constantFrom<WireValue>({ kind: 'bytes', value: Uint8Array.from([0xc0, 0xaf]) }, { kind: 'bytes', value: Uint8Array.from([0xed, 0xa0, 0x80]) }) },
  // Wrong wire type for a string field.
  { weight: 1, arbitrary: fc.bigInt({ min: -(1n << 63n), max: (1n << 64n) - 1n }).map((value): WireValue => ({ kind: 'varint', value })) },
);
const numberValue: fc.Arbitrary<WireValue> = fc.oneof(
  fc.bigInt({ min: -(1n << 63n), max: (1n << 64n) - 1n }).map((value): WireValue => ({ kind: 'varint', value })),
  fc.constantFrom(-1n, 0n, 1n, 4n, 5n, 99n, 4_294_967_295n, 4_294_967_296n, 2_147_483_648n).map((value): WireValue => ({ kind: 'varint', value })),
  fc.integer().map((value): WireValue => ({ kind: 'fixed32', value })),
  hostileText.map(utf8),
);

function requestArbitrary(fields: FieldKind[], ownId: string): fc.Arbitrary<WireMessage> {
  const perField = fields.map((kind, index) => {
    const field = index + 1;
    let value = kind === 'string' ? stringValue : numberValue;
    // Now and then the caller's own id, so that hostile updates reach the database instead of stopping at NOT_FOUND.
    if (field === 1 && kind === 'string') value = fc.oneof(stringValue, fc.constant(utf8(ownId)));
    return fc.option(value.map((v): [number, WireValue] => [field, v]), { freq: 4 });
  });
  const unknownField = fc.option(fc.tuple(fc.integer({ min: 8, max: 536_870_911 }), stringValue), { freq: 5 });
  return fc.tuple(fc.tuple(...perField), unknownField).map(([known, extra]) => [...known.filter((f) => f !== null), ...(extra ? [extra] : [])]);
}

describe.skipIf(!services)('hostile input on the wire', () => {
  let stack: Stack;
  let server: ServerProcess;
  let client: TestClient;
  let raw: RawClient;
  const codes: Record<string, number> = {};
  let tried = 0;

  const alive = async (): Promise<void> => {
    expect(server.alive()).toBe(true);
    expect(await client.outcome('getJwks', {})).toBe('OK');
  };

  beforeAll(async () => {
    stack = new Stack(services!, { AUTH_GRPC_MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES), AUTH_THROTTLE_MAX_FAILURES: '1000' });
    await stack.prepare();
    server = await stack.startServer('wire');
    client = clientFor(server.address);
    raw = new RawClient(server.address);
  });

  afterAll(async () => {
    console.info(`fuzzing: ${tried} requests, outcomes by code ${JSON.stringify(codes)}`);
    client?.close();
    raw?.close();
    await stack?.destroy();
  });

  it(`every RPC answers fuzzed requests (${RUNS_PER_RPC} each) with OK or a documented code, and the server's memory stays bounded`, async () => {
    const me = aUser();
    stack.secrets.push(me.password);
    const { user } = await client.call('registerUser', me);
    const login = await client.call('login', { login: me.username, password: me.password });
    stack.secrets.push(login.tokens!.accessToken, login.tokens!.refreshToken);
    // Another account's token for the authenticated RPCs: the fuzzer's RevokeSessions/ChangePassword must not end it.
    const rssBefore = server.rss();
    const undocumented: string[] = [];
    for (const [method, { fields, auth }] of Object.entries(RPCS)) {
      await fc.assert(
        fc.asyncProperty(requestArbitrary(fields, method === 'RevokeSessions' || method === 'ChangePassword' ? '' : user!.id), fc.boolean(), async (message, withToken) => {
          const token = auth || withToken ? login.tokens!.accessToken : undefined;
          const { code, error } = await raw.call(method, encode(message), token);
          tried += 1;
          const key = `${status[code]}`;
          codes[key] = (codes[key] ?? 0) + 1;
          if (!DOCUMENTED.has(code)) undocumented.push(`${method} -> ${status[code]} ${error?.details ?? ''} for ${JSON.stringify(message, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? Buffer.from(v).toString('hex').slice(0, 80) : v))}`);
          return DOCUMENTED.has(code);
        }),
        { numRuns: RUNS_PER_RPC, endOnFailure: false, interruptAfterTimeLimit: 40_000 },
      ).catch(() => undefined);
      expect(server.alive(), `the server died while fuzzing ${method}`).toBe(true);
    }
    const growth = server.rss() - rssBefore;
    console.info(`fuzzing: RSS ${Math.round(rssBefore / 1e6)} MB -> ${Math.round(server.rss() / 1e6)} MB`);
    expect(undocumented.slice(0, 5)).toEqual([]);
    expect(growth).toBeLessThan(150 * 1024 * 1024);
    // Our own session survived every hostile request made with it.
    expect(await client.outcome('validateToken', { accessToken: login.tokens!.accessToken })).toBe('OK');
    await alive();
  }, 240_000);

  it('a request over the size limit is RESOURCE_EXHAUSTED', async () => {
    const { code } = await raw.call('Login', encode([[1, utf8('x'.repeat(MAX_MESSAGE_BYTES + 10))]]));
    expect(status[code]).toBe('RESOURCE_EXHAUSTED');
    await alive();
  });

  /** Sends one raw HTTP/2 request; resolves with the HTTP status and grpc-status (from headers or trailers) or the stream error. */
  function rawHttp2(headers: Record<string, string>, body: Buffer, end = true): Promise<{ http?: number; grpc?: string; error?: string }> {
    return new Promise((resolve) => {
      const session = connectHttp2(`http://${server.address}`);
      const result: { http?: number; grpc?: string; error?: string } = {};
      const finish = (): void => {
        session.destroy();
        resolve(result);
      };
      const timer = setTimeout(() => {
        result.error = 'timeout';
        finish();
      }, 5_000);
      session.on('error', (error) => {
        result.error = error.message;
        clearTimeout(timer);
        finish();
      });
      const stream = session.request({ [h2.HTTP2_HEADER_METHOD]: 'POST', [h2.HTTP2_HEADER_PATH]: '/auth.v1.AuthService/Login', te: 'trailers', ...headers });
      stream.on('response', (h) => {
        result.http = Number(h[':status']);
        if (h['grpc-status'] !== undefined) result.grpc = String(h['grpc-status']);
      });
      stream.on('trailers', (t) => {
        if (t['grpc-status'] !== undefined) result.grpc = String(t['grpc-status']);
      });
      stream.on('error', (error) => {
        result.error = error.message;
      });
      stream.on('close', () => {
        clearTimeout(timer);
        finish();
      });
      stream.on('data', () => undefined);
      if (end) stream.end(body);
      else {
        stream.write(body);
        // A truncated message that never ends: the client gives up and resets the stream.
        setTimeout(() => stream.close(h2.NGHTTP2_CANCEL), 300);
      }
    });
  }

  const frame = (payload: Buffer, declaredLength = payload.length): Buffer => {
    const prefix = Buffer.alloc(5);
    prefix.writeUInt8(0, 0);
    prefix.writeUInt32BE(declaredLength, 1);
    return Buffer.concat([prefix, payload]);
  };

  it('HTTP/2 garbage is rejected and the server keeps serving', async () => {
    const grpc = { 'content-type': 'application/grpc' };
    const login = encode([[1, utf8('nobody')], [2, utf8('whatever')]]);
    const cases: Record<string, Promise<{ http?: number; grpc?: string; error?: string }>> = {
      'wrong content-type': rawHttp2({ 'content-type': 'text/plain' }, frame(login)),
      'json content-type': rawHttp2({ 'content-type': 'application/json' }, Buffer.from('{"login":"x"}')),
      'truncated length prefix': rawHttp2(grpc, Buffer.from([0, 0, 0])),
      'length prefix longer than the body': rawHttp2(grpc, frame(login, login.length + 100)),
      'declared length over the limit': rawHttp2(grpc, frame(Buffer.alloc(10), 50 * 1024 * 1024)),
      'compressed flag without compression': rawHttp2(grpc, Buffer.concat([Buffer.from([1]), frame(login).subarray(1)])),
      'protobuf garbage': rawHttp2(grpc, frame(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x0a, 0x80]))),
      'two messages on a unary call': rawHttp2(grpc, Buffer.concat([frame(login), frame(login)])),
      'stream cut off mid-message': rawHttp2(grpc, frame(login).subarray(0, 8), false),
      'unknown method': rawHttp2({ ...grpc, ':path': '/auth.v1.AuthService/DropTables' }, frame(login)),
    };
    const results = Object.fromEntries(await Promise.all(Object.entries(cases).map(async ([name, p]) => [name, await p] as const)));
    for (const [name, result] of Object.entries(results)) {
      // Rejected: an HTTP error, a non-zero grpc-status, or a reset stream; never a successful reply.
      const answered = result.http !== undefined || result.grpc !== undefined || result.error !== undefined;
      const rejected = result.grpc !== '0' && (answered || name === 'stream cut off mid-message');
      expect(rejected, `${name}: ${JSON.stringify(result)}`).toBe(true);
    }
    // Random bytes straight on the TCP socket (no HTTP/2 preface).
    await new Promise<void>((resolve) => {
      const socket = connectTcp(Number(server.address.split(':')[1]), '127.0.0.1', () => {
        socket.write(Buffer.from(Array.from({ length: 4096 }, () => Math.floor(Math.random() * 256))));
      });
      socket.on('data', () => undefined);
      socket.on('error', () => resolve());
      socket.on('close', () => resolve());
      setTimeout(() => {
        socket.destroy();
        resolve();
      }, 3_000);
    });
    // A preface and then garbage frames.
    await new Promise<void>((resolve) => {
      const socket = connectTcp(Number(server.address.split(':')[1]), '127.0.0.1', () => {
        socket.write(Buffer.concat([Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), Buffer.from([0, 0, 4, 0xff, 0xff, 0, 0, 0, 1, 1, 2, 3, 4]), Buffer.alloc(64, 0xee)]));
      });
      socket.on('data', () => undefined);
      socket.on('error', () => resolve());
      socket.on('close', () => resolve());
      setTimeout(() => {
        socket.destroy();
        resolve();
      }, 3_000);
    });
    await alive();
  });

  it('never writes a password, token or key to the logs', () => {
    expectNoSecrets(stack.output(), stack.secrets);
  });
});
