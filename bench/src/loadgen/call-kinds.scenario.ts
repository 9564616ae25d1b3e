import { Metadata, status } from '@grpc/grpc-js';
import { authMethod, EMPTY_METHOD, type UnaryCodec } from '../proto.codec.ts';

/** An account the bench seeded: its password and one session's tokens. */
export interface BenchAccount {
  id: string;
  username: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

export type CallKind = 'empty' | 'login' | 'failedLogin' | 'register' | 'validate' | 'getUser' | 'refresh' | 'logout';

/** One prepared call: what to send, and how to tell a real success from a well-formed failure. */
export interface PreparedCall {
  codec: UnaryCodec;
  request: unknown;
  metadata: Metadata;
  /** null when the response is what a success must look like; else why not. */
  check(response: unknown): string | null;
  /** For a call whose success is a refusal (a failed login): the status it must fail with; any other outcome is an error. */
  expectedError?: { code: status; details: string };
}

/** What a failed call means for the scenario: null when it is the refusal the call expects, else why it failed. */
export function failureOutcome(call: PreparedCall, code: number, details: string): string | null {
  const expected = call.expectedError;
  if (expected && code === expected.code && details === expected.details) return null;
  return `${status[code] ?? code}: ${details}`;
}

/** Builds the next call of a virtual user. State that must chain (refresh tokens) lives in the account copy. */
export type CallFactory = (vu: number, seq: number) => PreparedCall;

export const BENCH_PASSWORD = 'bench-password-1';

const isJwt = (token: unknown): boolean => typeof token === 'string' && token.split('.').length === 3;

interface TokenPair {
  accessToken?: string;
  refreshToken?: string;
}

export function callFactory(kind: CallKind, accounts: BenchAccount[], namePrefix: string): CallFactory {
  const empty = new Metadata();
  const accountOf = (vu: number): BenchAccount => {
    const account = accounts[vu % Math.max(accounts.length, 1)];
    if (!account) throw new Error(`${kind} needs seeded accounts`);
    return account;
  };
  switch (kind) {
    case 'empty':
      return () => ({ codec: EMPTY_METHOD, request: {}, metadata: empty, check: () => null });
    case 'login': {
      const codec = authMethod('Login');
      return (vu) => {
        const account = accountOf(vu);
        return {
          codec,
          request: { login: account.username, password: account.password },
          metadata: empty,
          check: (r) => {
            const response = r as { accountId?: string; tokens?: TokenPair };
            if (response.accountId !== account.id) return 'login answered another account';
            return isJwt(response.tokens?.accessToken) && response.tokens?.refreshToken ? null : 'login answered no token pair';
          },
        };
      };
    }
    case 'failedLogin': {
      // A credential-stuffing storm: a name no account has, a new one per call (no per-name limit is ever reached,
      // as an attacker spreading over names), each costing a dummy hash verification and a security event.
      const codec = authMethod('Login');
      return (vu, seq) => ({
        codec,
        request: { login: `${namePrefix}f${vu.toString(36)}_${seq.toString(36)}`, password: 'not-the-password-1' },
        metadata: empty,
        check: () => 'a login with a wrong password succeeded',
        expectedError: { code: status.UNAUTHENTICATED, details: 'invalid login or password' },
      });
    }
    case 'logout': {
      // Each call ends one session of its own (seeded by the scenario): the run's budget is the number of sessions.
      const codec = authMethod('Logout');
      let next = 0;
      return () => {
        const session = accounts[next++];
        if (!session) throw new Error('logout ran out of seeded sessions (its budget is their number)');
        return { codec, request: { refreshToken: session.refreshToken }, metadata: empty, check: () => null };
      };
    }
    case 'register': {
      const codec = authMethod('RegisterUser');
      return (vu, seq) => {
        // Unique per run, virtual user and call; within the 32-character limit of a username.
        const username = `${namePrefix}${vu.toString(36)}_${seq.toString(36)}`;
        return {
          codec,
          request: { username, email: `${username}@bench.example`, password: BENCH_PASSWORD, gender: 1, country: 'NL', age: 30 },
          metadata: empty,
          check: (r) => {
            const user = (r as { user?: { id?: string; username?: string } }).user;
            return user?.id && user.username === username ? null : 'registration answered no profile';
          },
        };
      };
    }
    case 'validate': {
      const codec = authMethod('ValidateToken');
      return (vu) => {
        const account = accountOf(vu);
        return {
          codec,
          request: { accessToken: account.accessToken },
          metadata: empty,
          check: (r) => ((r as { subject?: string }).subject === account.id ? null : 'token validated to another subject'),
        };
      };
    }
    case 'getUser': {
      const codec = authMethod('GetUser');
      // One Metadata per account, built once: the bearer header is the same on every call.
      const metadata = new Map<string, Metadata>();
      return (vu) => {
        const account = accountOf(vu);
        let bearer = metadata.get(account.id);
        if (!bearer) {
          bearer = new Metadata();
          bearer.set('authorization', `Bearer ${account.accessToken}`);
          metadata.set(account.id, bearer);
        }
        return {
          codec,
          request: { id: account.id },
          metadata: bearer,
          check: (r) => ((r as { user?: { id?: string } }).user?.id === account.id ? null : 'GetUser answered another profile'),
        };
      };
    }
    case 'refresh': {
      const codec = authMethod('RefreshToken');
      // One chain per virtual user: each refresh spends the token the previous one returned.
      return (vu) => {
        const account = accountOf(vu);
        return {
          codec,
          request: { refreshToken: account.refreshToken },
          metadata: empty,
          check: (r) => {
            const tokens = (r as { tokens?: TokenPair }).tokens;
            if (!isJwt(tokens?.accessToken) || !tokens?.refreshToken) return 'refresh answered no token pair';
            if (tokens.refreshToken === account.refreshToken) return 'refresh returned the spent token';
            account.refreshToken = tokens.refreshToken;
            account.accessToken = tokens.accessToken!;
            return null;
          },
        };
      };
    }
  }
}
