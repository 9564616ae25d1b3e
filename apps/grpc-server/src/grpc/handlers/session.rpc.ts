import type {
  ChangePasswordRequest,
  ChangePasswordResponse,
  LoginRequest,
  LoginResponse,
  LogoutRequest,
  LogoutResponse,
  RefreshTokenRequest,
  RefreshTokenResponse,
  RevokeSessionsRequest,
  RevokeSessionsResponse,
} from '@authsvc/proto/auth/v1/auth';
import { rpc } from '../rpc-handler.types.js';
import { RequestReader } from '../request.codec.js';
import { encodeLoginResult, encodeTokenPair } from '../response.codec.js';

export const login = rpc<LoginRequest, LoginResponse>({
  operation: 'Login',
  async handle(service, request, { signal, clientAddress, actingFor }) {
    const read = new RequestReader();
    const login = read.required('login', request.login);
    const password = read.required('password', request.password);
    read.done();
    const result = await service.login({ login, password }, { signal, clientAddress });
    actingFor(result.accountId);
    return encodeLoginResult(result);
  },
});

export const refreshToken = rpc<RefreshTokenRequest, RefreshTokenResponse>({
  operation: 'RefreshToken',
  async handle(service, request, { signal, actingFor }) {
    const read = new RequestReader();
    const token = read.required('refresh_token', request.refreshToken);
    read.done();
    const refreshed = await service.refreshToken({ refreshToken: token }, { signal });
    actingFor(refreshed.accountId);
    return { tokens: encodeTokenPair(refreshed) };
  },
});

export const logout = rpc<LogoutRequest, LogoutResponse>({
  operation: 'Logout',
  async handle(service, request, { signal, actingFor }) {
    const read = new RequestReader();
    const token = read.required('refresh_token', request.refreshToken);
    read.done();
    actingFor((await service.logout({ refreshToken: token }, { signal })).accountId);
    return {};
  },
});

export const changePassword = rpc<ChangePasswordRequest, ChangePasswordResponse>({
  operation: 'ChangePassword',
  async handle(service, request, { caller, signal, clientAddress }) {
    const read = new RequestReader();
    const id = read.accountId('id', request.id);
    const oldPassword = read.required('old_password', request.oldPassword);
    read.done();
    return { tokens: encodeTokenPair(await service.changePassword(caller, { id, oldPassword, newPassword: request.newPassword }, { signal, clientAddress })) };
  },
});

export const revokeSessions = rpc<RevokeSessionsRequest, RevokeSessionsResponse>({
  operation: 'RevokeSessions',
  async handle(service, request, { caller, signal }) {
    const read = new RequestReader();
    const id = read.accountId('id', request.id);
    read.done();
    return { revoked: (await service.revokeSessions(caller, { id }, { signal })).revoked };
  },
});
