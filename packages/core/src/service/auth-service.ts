import type { Gender, PublicProfile, Role } from '../domain/account.js';
import type { Caller, Principal } from '../auth/principal.js';
import type { AccessTokenClaims, JsonWebKeySet } from '../ports/access-tokens.port.js';

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
 * the core calls them directly. `caller` is the result of `authenticate` (null when anonymous).
 */
export interface AuthService {
  registerUser(input: RegisterUserInput): Promise<PublicProfile>;
  registerArtist(input: RegisterArtistInput): Promise<PublicProfile>;
  login(input: { login: string; password: string }): Promise<LoginResult>;
  refreshToken(input: { refreshToken: string }): Promise<TokenPair>;
  logout(input: { refreshToken: string }): Promise<void>;
  getUser(caller: Caller, input: { id: string }): Promise<PublicProfile>;
  getArtist(caller: Caller, input: { id: string }): Promise<PublicProfile>;
  updateUser(caller: Caller, input: UpdateUserInput): Promise<PublicProfile>;
  updateArtist(caller: Caller, input: UpdateArtistInput): Promise<PublicProfile>;
  changePassword(caller: Caller, input: { id: string; oldPassword: string; newPassword: string }): Promise<TokenPair>;
  /** Verifies an access token including its session's revocation; throws ACCESS_TOKEN_INVALID or SESSION_REVOKED. */
  validateToken(input: { accessToken: string }): Promise<AccessTokenClaims>;
  getJwks(): Promise<JsonWebKeySet>;
  revokeSessions(caller: Caller, input: { id: string }): Promise<{ revoked: number }>;
  setRole(caller: Caller, input: { id: string; role: Role }): Promise<PublicProfile>;
  /** Turns a bearer access token into a principal (signature, claims and revocation checked). */
  authenticate(accessToken: string): Promise<Principal>;
  /** Creates an admin account (for the operator's create-admin command; not exposed over the API). */
  createAdmin(input: RegisterUserInput): Promise<PublicProfile>;
}
