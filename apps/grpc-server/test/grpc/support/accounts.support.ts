import type { Harness } from './grpc-harness.support.js';
import { aUser, anArtist } from './grpc-harness.support.js';

export interface SignedIn {
  id: string;
  username: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

/** Registers a user and logs it in. */
export async function signedInUser(h: Harness): Promise<SignedIn> {
  const input = aUser();
  const { user } = await h.client.call('registerUser', input);
  const login = await h.client.call('login', { login: input.username, password: input.password });
  return { id: user!.id, username: input.username, password: input.password, accessToken: login.tokens!.accessToken, refreshToken: login.tokens!.refreshToken };
}

export async function signedInArtist(h: Harness): Promise<SignedIn> {
  const input = anArtist();
  const { artist } = await h.client.call('registerArtist', input);
  const login = await h.client.call('login', { login: input.email, password: input.password });
  return { id: artist!.id, username: input.username, password: input.password, accessToken: login.tokens!.accessToken, refreshToken: login.tokens!.refreshToken };
}

export async function signedInAdmin(h: Harness): Promise<SignedIn> {
  const input = aUser();
  const id = await h.core.createAdmin({ ...input, gender: 'female' });
  const login = await h.client.call('login', { login: input.username, password: input.password });
  return { id, username: input.username, password: input.password, accessToken: login.tokens!.accessToken, refreshToken: login.tokens!.refreshToken };
}
