import { status } from '@grpc/grpc-js';
import { AUTHORIZATION_POLICY, OPERATIONS } from '@authsvc/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthServiceService, Gender, Role, SearchAccountsRequest } from '@authsvc/proto/auth/v1/auth';
import { aUser, anArtist, startHarness, type Harness } from './support/grpc-harness.support.js';
import { signedInAdmin, signedInArtist, signedInUser, type SignedIn } from './support/accounts.support.js';
import type { RpcName } from '@authsvc/test-support/grpc';

type Who = 'anonymous' | 'user' | 'other user' | 'artist' | 'admin';
const WHO: Who[] = ['anonymous', 'user', 'other user', 'artist', 'admin'];

/** Who may call each signed-in RPC on the account of "user" (the target). Public RPCs are checked below. */
const EXPECTED: Record<string, Record<Who, boolean>> = {
  GetUser: { anonymous: false, user: true, 'other user': false, artist: false, admin: true },
  UpdateUser: { anonymous: false, user: true, 'other user': false, artist: false, admin: true },
  ChangePassword: { anonymous: false, user: true, 'other user': false, artist: false, admin: false },
  RevokeSessions: { anonymous: false, user: true, 'other user': false, artist: false, admin: true },
  SetRole: { anonymous: false, user: false, 'other user': false, artist: false, admin: true },
  SearchAccounts: { anonymous: false, user: false, 'other user': false, artist: false, admin: true },
  DisableAccount: { anonymous: false, user: false, 'other user': false, artist: false, admin: true },
  EnableAccount: { anonymous: false, user: false, 'other user': false, artist: false, admin: true },
  ExportAccountData: { anonymous: false, user: true, 'other user': false, artist: false, admin: true },
  DeleteAccount: { anonymous: false, user: true, 'other user': false, artist: false, admin: true },
  RestoreAccount: { anonymous: false, user: false, 'other user': false, artist: false, admin: true },
  ResetSecondFactors: { anonymous: false, user: false, 'other user': false, artist: false, admin: true },
  // GetArtist targets the artist's account: any signed-in account may read it.
  GetArtist: { anonymous: false, user: true, 'other user': true, artist: true, admin: true },
  // UpdateArtist targets the artist's account: the artist itself or an admin.
  UpdateArtist: { anonymous: false, user: false, 'other user': false, artist: true, admin: true },
  // The second-factor RPCs: the account itself only, admins included.
  BeginTotpEnrolment: { anonymous: false, user: true, 'other user': false, artist: false, admin: false },
  ConfirmTotpEnrolment: { anonymous: false, user: true, 'other user': false, artist: false, admin: false },
  DisableTotp: { anonymous: false, user: true, 'other user': false, artist: false, admin: false },
  RegenerateRecoveryCodes: { anonymous: false, user: true, 'other user': false, artist: false, admin: false },
  BeginPasskeyRegistration: { anonymous: false, user: true, 'other user': false, artist: false, admin: false },
  FinishPasskeyRegistration: { anonymous: false, user: true, 'other user': false, artist: false, admin: false },
  ListPasskeys: { anonymous: false, user: true, 'other user': false, artist: false, admin: false },
  RemovePasskey: { anonymous: false, user: true, 'other user': false, artist: false, admin: false },
  // The mail requests: the account itself only, not even an admin (the mail goes to the account's own address).
  RequestEmailVerification: { anonymous: false, user: true, 'other user': false, artist: false, admin: false },
  RequestEmailChange: { anonymous: false, user: true, 'other user': false, artist: false, admin: false },
  ListSessions: { anonymous: false, user: true, 'other user': false, artist: false, admin: true },
  // RevokeSession names the user's session: its owner or an admin; anyone else is told it does not exist (NOT_FOUND).
  RevokeSession: { anonymous: false, user: true, 'other user': false, artist: false, admin: true },
  ListSecurityEvents: { anonymous: false, user: true, 'other user': false, artist: false, admin: true },
};

/** RPCs whose allowed caller, on a fresh account, is refused after authorization for want of a factor (status, reason). */
const NOTHING_TO_ACT_ON: Record<string, [number, string]> = {
  ConfirmTotpEnrolment: [status.FAILED_PRECONDITION, 'SECOND_FACTOR_NOT_ENROLLED'],
  DisableTotp: [status.FAILED_PRECONDITION, 'SECOND_FACTOR_NOT_ENROLLED'],
  RegenerateRecoveryCodes: [status.FAILED_PRECONDITION, 'SECOND_FACTOR_NOT_ENROLLED'],
  // A response to no ceremony, a passkey the account does not have.
  FinishPasskeyRegistration: [status.UNAUTHENTICATED, 'SECOND_FACTOR_INVALID'],
  RemovePasskey: [status.NOT_FOUND, 'PASSKEY_NOT_FOUND'],
};

const lowerFirst = (name: string): RpcName => (name[0]!.toLowerCase() + name.slice(1)) as RpcName;

describe('the transport and core agree on one authorization table', () => {
  it('every RPC of the proto has a row in core\'s AUTHORIZATION_POLICY and vice versa', () => {
    const rpcs = Object.values(AuthServiceService).map((method) => method.path.split('/').pop()!);
    expect([...rpcs].sort()).toEqual([...OPERATIONS].sort());
  });

  it('the matrix below covers every signed-in RPC of the policy', () => {
    const signedIn = OPERATIONS.filter((op) => !['anyone', 'refresh-token-holder'].includes(AUTHORIZATION_POLICY[op]));
    expect(Object.keys(EXPECTED).sort()).toEqual([...signedIn].sort());
  });
});

describe('who may call what, over gRPC', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ maxLoginFailures: 100 });
  });
  afterAll(() => h.close());

  /** Fresh accounts per case: some calls (SetRole, RevokeSessions, ChangePassword) change them. */
  async function cast(): Promise<Record<Exclude<Who, 'anonymous'>, SignedIn>> {
    const [user, other, artist, admin] = await Promise.all([signedInUser(h), signedInUser(h), signedInArtist(h), signedInAdmin(h)]);
    return { user, 'other user': other, artist, admin };
  }

  async function requestFor(rpc: string, target: SignedIn, artist: SignedIn): Promise<Record<string, unknown>> {
    switch (rpc) {
      case 'RevokeSession':
        return { sessionId: (await h.client.call('listSessions', { id: target.id }, { token: target.accessToken })).sessions[0]!.sessionId };
      case 'ListSecurityEvents':
        return { id: target.id, types: [], pageSize: 0, pageToken: '' };
      case 'GetUser':
      case 'ListSessions':
      case 'RevokeSessions':
        return { id: target.id };
      case 'UpdateUser':
        return { id: target.id, age: 77 };
      case 'ChangePassword':
        return { id: target.id, oldPassword: target.password, newPassword: 'changed password 1' };
      case 'SetRole':
        return { id: target.id, role: Role.ROLE_USER };
      case 'SearchAccounts':
        return { ...SearchAccountsRequest.fromPartial({ usernamePrefix: target.username }) };
      case 'DisableAccount':
        return { id: target.id, reason: 'spam' };
      case 'EnableAccount':
      case 'ExportAccountData':
      case 'RestoreAccount':
      case 'ResetSecondFactors':
        return { id: target.id };
      case 'DeleteAccount':
        return { id: target.id, currentPassword: target.password };
      case 'GetArtist':
        return { id: artist.id };
      case 'UpdateArtist':
        return { id: artist.id, description: 'updated' };
      case 'BeginTotpEnrolment':
        return { id: target.id };
      case 'ConfirmTotpEnrolment':
        return { id: target.id, totpCode: '123456' };
      case 'DisableTotp':
        return { id: target.id, password: target.password, totpCode: '123456', recoveryCode: '' };
      case 'RegenerateRecoveryCodes':
        return { id: target.id, totpCode: '123456', recoveryCode: '' };
      case 'RequestEmailVerification':
      case 'BeginPasskeyRegistration':
      case 'ListPasskeys':
        return { id: target.id };
      case 'FinishPasskeyRegistration':
        return { id: target.id, response: JSON.stringify({ id: 'AAAA', response: { clientDataJSON: 'e30' } }), name: '' };
      case 'RemovePasskey':
        return { id: target.id, credentialId: 'AAAA' };
      case 'RequestEmailChange':
        return { id: target.id, newEmail: `moved.${Math.random().toString(36).slice(2)}@example.com`, currentPassword: target.password };
    }
    throw new Error(`no request for ${rpc}`);
  }

  for (const [rpc, allowed] of Object.entries(EXPECTED)) {
    for (const who of WHO) {
      const denial = rpc === 'RevokeSession' ? status.NOT_FOUND : status.PERMISSION_DENIED;
      const verdict = allowed[who] ? 'is allowed' : who === 'anonymous' ? 'gets UNAUTHENTICATED' : `gets ${status[denial]}`;
      it(`${rpc} by ${who} ${verdict}`, async () => {
        const people = await cast();
        const request = await requestFor(rpc, people.user, people.artist);
        const options = who === 'anonymous' ? {} : { token: people[who].accessToken };
        const call = h.client.call(lowerFirst(rpc), request as never, options);
        const after = NOTHING_TO_ACT_ON[rpc];
        if (allowed[who] && after !== undefined) {
          // Authorized, then refused by the rule that comes next: nothing to confirm, disable, back up or remove.
          await expect(call).rejects.toMatchObject({ code: after[0], reason: after[1] });
        } else if (allowed[who]) {
          await expect(call).resolves.toBeDefined();
        } else {
          await expect(call).rejects.toMatchObject({ code: who === 'anonymous' ? status.UNAUTHENTICATED : denial });
        }
      });
    }
  }

  it('permission is decided before any lookup: a user naming an unknown id is refused as for an existing one', async () => {
    const user = await signedInUser(h);
    const unknown = '0190a000-0000-7000-8000-000000000000';
    await expect(h.client.call('getUser', { id: unknown }, { token: user.accessToken })).rejects.toMatchObject({ code: status.PERMISSION_DENIED });
    await expect(h.client.call('revokeSessions', { id: unknown }, { token: user.accessToken })).rejects.toMatchObject({ code: status.PERMISSION_DENIED });
  });

  it('a message of the wrong shape (empty id, ROLE_UNSPECIFIED) is INVALID_ARGUMENT whoever sends it: it is read before core decides, and says nothing about any account', async () => {
    const [user, other] = await Promise.all([signedInUser(h), signedInUser(h)]);
    await expect(h.client.call('getUser', { id: '' }, { token: user.accessToken })).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    const setRole = h.client.call('setRole', { id: other.id, role: Role.ROLE_UNSPECIFIED }, { token: user.accessToken });
    await expect(setRole).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
  });

  it('a well-formed request is judged by core, permission before the rules of its content', async () => {
    const [user, other] = await Promise.all([signedInUser(h), signedInUser(h)]);
    await expect(h.client.call('updateUser', { id: other.id, age: 0 }, { token: user.accessToken })).rejects.toMatchObject({ code: status.PERMISSION_DENIED });
    await expect(h.client.call('updateUser', { id: user.id, age: 0 }, { token: user.accessToken })).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
  });

  it('public RPCs work for anonymous callers', async () => {
    const input = aUser({ gender: Gender.GENDER_MALE });
    await h.client.call('registerUser', input);
    await h.client.call('registerArtist', anArtist());
    const login = await h.client.call('login', { login: input.username, password: input.password });
    await h.client.call('validateToken', { accessToken: login.tokens!.accessToken });
    await h.client.call('getJwks', {});
    const { tokens } = await h.client.call('refreshToken', { refreshToken: login.tokens!.refreshToken });
    await expect(h.client.call('logout', { refreshToken: tokens!.refreshToken })).resolves.toEqual({});
  });
});
