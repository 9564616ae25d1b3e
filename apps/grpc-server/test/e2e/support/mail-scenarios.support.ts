import { status, type ServiceError } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '@authsvc/test-support/grpc';
import type { ServerProcess } from '@authsvc/test-support/server';
import { eventually } from '@authsvc/test-support';
import { aUser, expectStatus } from '../../grpc/support/grpc-harness.support.js';

/** One received mail as the scenarios need it: recipient, subject, plain text. */
export interface SeenMail {
  to: string;
  subject: string;
  text: string;
}

/** A started server and where its mail lands (the .eml folder in embedded mode, an SMTP server in full mode). */
export interface MailWorld {
  server: ServerProcess;
  mails(): Promise<SeenMail[]>;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * Every mail flow end to end through the gRPC server process, reading the mail where the mode delivers it and
 * following its link: verification, password reset, email change (with the uniqueness race) and enumeration.
 */
export function describeMailFlows(mode: string, start: () => Promise<MailWorld>, cleanup: () => Promise<void>): void {
  describe(`mail flows through the server process (${mode} mode)`, () => {
    let world: MailWorld;
    let client: TestClient;
    const secrets: string[] = [];

    beforeAll(async () => {
      world = await start();
      client = new TestClient(world.server.address);
    }, 120_000);

    afterAll(async () => {
      client?.close();
      await world?.server.stop('SIGKILL');
      await cleanup();
    }, 60_000);

    async function signUp() {
      const input = aUser();
      const { user } = await client.call('registerUser', input);
      const login = await client.call('login', { login: input.username, password: input.password });
      secrets.push(input.password, login.tokens!.accessToken, login.tokens!.refreshToken);
      return { id: user!.id, ...input, accessToken: login.tokens!.accessToken };
    }

    /** The token of the newest mail to `to` whose subject is `subject`, waiting for it to arrive. */
    async function tokenMailed(to: string, subject: string, count = 1): Promise<string> {
      let found: SeenMail[] = [];
      await eventually(async () => {
        found = (await world.mails()).filter((m) => m.to === to && m.subject === subject);
        return found.length >= count;
      }, 20_000, 50);
      const token = /\?token=([A-Za-z0-9_-]{43})/.exec(found.at(-1)!.text)?.[1];
      expect(token, 'a link with a token').toBeDefined();
      secrets.push(token!);
      return token!;
    }

    it('verification: the mailed link verifies the address once and publishes user.updated', async () => {
      const me = await signUp();
      expect((await client.call('getUser', { id: me.id }, { token: me.accessToken })).user).toMatchObject({ emailVerified: false });
      expect(await client.call('requestEmailVerification', { id: me.id }, { token: me.accessToken })).toEqual({ alreadyVerified: false });
      const token = await tokenMailed(me.email, 'Confirm your email address');
      const verified = await client.call('verifyEmail', { token });
      expect(verified.profile).toMatchObject({ $case: 'user', value: { id: me.id, emailVerified: true } });
      expect((await client.call('getUser', { id: me.id }, { token: me.accessToken })).user!.emailVerifiedAt).toBeInstanceOf(Date);
      await eventually(() => world.server.output().includes('user.updated') && world.server.output().includes(me.id), 20_000, 100);
      expectStatus((await client.failure('verifyEmail', { token })) as ServiceError, status.UNAUTHENTICATED, 'ACCOUNT_TOKEN_INVALID');
    }, 60_000);

    it('reset: old sessions and old password dead, new password works, the token is single-use', async () => {
      const me = await signUp();
      expect(await client.call('requestPasswordReset', { email: me.email.toUpperCase() })).toEqual({});
      const token = await tokenMailed(me.email, 'Reset your password');
      await client.call('resetPassword', { token, newPassword: 'a brand new pass phrase' });
      expectStatus((await client.failure('getUser', { id: me.id }, { token: me.accessToken })) as ServiceError, status.UNAUTHENTICATED);
      expectStatus((await client.failure('login', { login: me.username, password: me.password })) as ServiceError, status.UNAUTHENTICATED, 'INVALID_CREDENTIALS');
      const login = await client.call('login', { login: me.username, password: 'a brand new pass phrase' });
      expect((await client.call('getUser', { id: me.id }, { token: login.tokens!.accessToken })).user).toMatchObject({ emailVerified: true });
      expectStatus((await client.failure('resetPassword', { token, newPassword: 'yet another phrase' })) as ServiceError, status.UNAUTHENTICATED, 'ACCOUNT_TOKEN_INVALID');
    }, 60_000);

    it('email change: a notice to the old address, the switch only on confirmation; the race for one address has one winner', async () => {
      const me = await signUp();
      const rival = await signUp();
      const wanted = `wanted.${me.email}`;
      await client.call('requestEmailChange', { id: me.id, newEmail: wanted, currentPassword: me.password }, { token: me.accessToken });
      await client.call('requestEmailChange', { id: rival.id, newEmail: wanted, currentPassword: rival.password }, { token: rival.accessToken });
      const mine = await tokenMailed(wanted, 'Confirm your new email address', 2);
      const mails = await world.mails();
      expect(mails.some((m) => m.to === me.email && m.subject === 'Your email address is being changed' && m.text.includes(wanted))).toBe(true);
      expect(mails.filter((m) => m.to === me.email && m.subject === 'Your email address is being changed').every((m) => !/token=/.test(m.text))).toBe(true);
      expect((await client.call('getUser', { id: me.id }, { token: me.accessToken })).user!.email).toBe(me.email);

      const both = mails.filter((m) => m.to === wanted).map((m) => /\?token=([A-Za-z0-9_-]{43})/.exec(m.text)![1]!);
      secrets.push(...both);
      const outcomes = await Promise.all(both.map((token) => client.outcome('confirmEmailChange', { token })));
      expect(outcomes.sort()).toEqual(['ALREADY_EXISTS', 'OK']);
      expect(both).toContain(mine);
      // Exactly one account has the address now, verified; the other keeps its own.
      const emails = [];
      for (const account of [me, rival]) {
        const login = await client.call('login', { login: account.username, password: account.password });
        emails.push((await client.call('getUser', { id: account.id }, { token: login.tokens!.accessToken })).user!);
      }
      expect(emails.filter((u) => u.email === wanted && u.emailVerified)).toHaveLength(1);
      expect(emails.filter((u) => u.email === me.email || u.email === rival.email)).toHaveLength(1);
      // The winner's earlier sessions were revoked (the confirmation came without a caller).
      const winner = emails[0]!.email === wanted ? me : rival;
      expect(await client.outcome('getUser', { id: winner.id }, { token: winner.accessToken })).toBe('UNAUTHENTICATED');
    }, 60_000);

    it('new device: a sign-in from a user agent never seen for the account mails its verified address once; a known device mails nothing', async () => {
      const me = await signUp();
      await client.call('requestEmailVerification', { id: me.id }, { token: me.accessToken });
      await client.call('verifyEmail', { token: await tokenMailed(me.email, 'Confirm your email address') });
      await client.call('login', { login: me.username, password: me.password }); // the device of signUp: known
      const tablet = new TestClient(world.server.address, { channel: { 'grpc.primary_user_agent': 'TabletPlayer/3.1' } });
      try {
        for (let i = 0; i < 2; i += 1) await tablet.call('login', { login: me.username, password: me.password });
      } finally {
        tablet.close();
      }
      let notices: SeenMail[] = [];
      await eventually(async () => {
        notices = (await world.mails()).filter((m) => m.to === me.email && m.subject === 'New sign-in to your account');
        return notices.length > 0;
      }, 20_000, 50);
      await new Promise((resolve) => setTimeout(resolve, 500)); // room for a wrong second notice
      notices = (await world.mails()).filter((m) => m.to === me.email && m.subject === 'New sign-in to your account');
      expect(notices).toHaveLength(1);
      expect(notices[0]!.text).toContain('TabletPlayer/3.1');
      expect(notices[0]!.text).toContain('127.0.0.1');
    }, 60_000);

    it('enumeration: known and unknown reset requests get the same reply, in times within 10 %', async () => {
      const me = await signUp();
      const known: number[] = [];
      const unknown: number[] = [];
      for (let i = 0; i < 12; i += 1) {
        for (const [email, times] of [[me.email, known], [`nobody${i}.${me.email}`, unknown]] as const) {
          const started = performance.now();
          expect(await client.call('requestPasswordReset', { email })).toEqual({});
          times.push(performance.now() - started);
        }
      }
      const [k, u] = [median(known), median(unknown)];
      expect(Math.abs(k - u) / Math.max(k, u), `median known ${k.toFixed(1)} ms, unknown ${u.toFixed(1)} ms`).toBeLessThan(0.1);
      await eventually(async () => (await world.mails()).filter((m) => m.to === me.email).length >= 12, 20_000, 100);
      expect((await world.mails()).some((m) => m.to.startsWith('nobody'))).toBe(false);
    }, 90_000);

    it('no password or token reaches the server output', async () => {
      const output = world.server.output();
      for (const secret of secrets) expect(output).not.toContain(secret);
    });
  });
}
