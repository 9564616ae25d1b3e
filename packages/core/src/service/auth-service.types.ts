import type { Gender, PublicProfile, Role } from '../domain/account.model.js';
import type { Caller, Principal } from '../auth/principal.model.js';
import type { AccessTokenClaims, JsonWebKeySet } from '../ports/access-tokens.port.js';
import type { CallOptions } from './call-options.util.js';
import type { GetArtistOutput } from '../use-cases/get-artist.use-case.js';
import type { SearchAccountsInput, SearchAccountsOutput } from '../use-cases/search-accounts.use-case.js';
import type { DisableAccountInput } from '../use-cases/disable-account.use-case.js';
import type { AccountDataExport } from '../use-cases/export-account-data.use-case.js';

/** An access token and a refresh token, with their expiry times. */
export interface TokenPair {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
  tokenType: 'Bearer';
}

export interface RegisterUserInput {
  username: string;
  email: string;
  password: string;
  gender: Gender;
  country: string;
  age: number;
}

export interface RegisterArtistInput {
  username: string;
  email: string;
  password: string;
  author: string;
  producer?: string | null;
  country: string;
  description: string;
}

export interface LoginResult {
  accountId: string;
  username: string;
  role: Role;
  tokens: TokenPair;
}

/** A rotated token pair and the account its session belongs to (for the caller's audit log). */
export interface RefreshResult extends TokenPair {
  accountId: string;
}

/** Only the fields present are changed. */
export interface UpdateUserInput {
  id: string;
  username?: string;
  email?: string;
  gender?: Gender;
  country?: string;
  age?: number;
}

/** Only the fields present are changed; `producer: null` clears it. */
export interface UpdateArtistInput {
  id: string;
  username?: string;
  email?: string;
  author?: string;
  producer?: string | null;
  country?: string;
  description?: string;
}

/**
 * Every operation of the service. The gRPC app maps each RPC to one method; an app embedding
 * the core calls them directly. `caller` is the result of `authenticate` (null when anonymous); `call` carries
 * the caller's deadline or cancellation (see CallOptions).
 */
export interface AuthService {
  registerUser(input: RegisterUserInput, call?: CallOptions): Promise<PublicProfile>;
  registerArtist(input: RegisterArtistInput, call?: CallOptions): Promise<PublicProfile>;
  login(input: { login: string; password: string }, call?: CallOptions): Promise<LoginResult>;
  refreshToken(input: { refreshToken: string }, call?: CallOptions): Promise<RefreshResult>;
  /** Ends the session of the refresh token; `accountId` is its account when the session was still live (null otherwise). */
  logout(input: { refreshToken: string }, call?: CallOptions): Promise<{ accountId: string | null }>;
  getUser(caller: Caller, input: { id: string }, call?: CallOptions): Promise<PublicProfile>;
  /** The full profile for the artist itself and admins, the public view (see ArtistPublicProfile) for anyone else. */
  getArtist(caller: Caller, input: { id: string }, call?: CallOptions): Promise<GetArtistOutput>;
  updateUser(caller: Caller, input: UpdateUserInput, call?: CallOptions): Promise<PublicProfile>;
  updateArtist(caller: Caller, input: UpdateArtistInput, call?: CallOptions): Promise<PublicProfile>;
  changePassword(caller: Caller, input: { id: string; oldPassword: string; newPassword: string }, call?: CallOptions): Promise<TokenPair>;
  /** Verifies an access token including its session's revocation; throws ACCESS_TOKEN_INVALID or SESSION_REVOKED. */
  validateToken(input: { accessToken: string }, call?: CallOptions): Promise<AccessTokenClaims>;
  getJwks(call?: CallOptions): Promise<JsonWebKeySet>;
  revokeSessions(caller: Caller, input: { id: string }, call?: CallOptions): Promise<{ revoked: number }>;
  setRole(caller: Caller, input: { id: string; role: Role }, call?: CallOptions): Promise<PublicProfile>;
  /** Turns a bearer access token into a principal (signature, claims and revocation checked). */
  authenticate(accessToken: string, call?: CallOptions): Promise<Principal>;
  /** Creates an admin account (for the operator's create-admin command; not exposed over the API). */
  createAdmin(input: RegisterUserInput, call?: CallOptions): Promise<PublicProfile>;
  /** A page of the accounts matching the filters (admins; keyset pagination, see SearchAccounts). */
  searchAccounts(caller: Caller, input: SearchAccountsInput, call?: CallOptions): Promise<SearchAccountsOutput>;
  /** Disables an account (admins): sessions revoked at once, Login refused with ACCOUNT_DISABLED; see DisableAccount. */
  disableAccount(caller: Caller, input: DisableAccountInput, call?: CallOptions): Promise<PublicProfile>;
  /** Ends a disable (admins). */
  enableAccount(caller: Caller, input: { id: string }, call?: CallOptions): Promise<PublicProfile>;
  /** Everything the service holds about the account, as one JSON-ready document (the account itself or an admin; rate-limited per account). */
  exportAccountData(caller: Caller, input: { id: string }, call?: CallOptions): Promise<AccountDataExport>;
}
