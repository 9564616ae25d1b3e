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
  ListSessionsRequest,
  ListSessionsResponse,
  RevokeSessionRequest,
  RevokeSessionResponse,
  ListSecurityEventsRequest,
  ListSecurityEventsResponse,
} from '@authsvc/proto/auth/v1/auth';
import { rpc } from '../rpc-handler.types.js';
import { RequestReader } from '../request.codec.js';
import { encodeLoginResult, encodeSecurityEvent, encodeSession, encodeTokenPair } from '../response.codec.js';

export const login = rpc<LoginRequest, LoginResponse>({
  operation: 'Login',
  async handle(service, request, { signal, clientAddress, userAgent, actingFor }) {
    const read = new RequestReader();
    const login = read.required('login', request.login);
    const password = read.required('password', request.password);
    read.done();
    const deviceName = request.deviceName === '' ? undefined : request.deviceName;
    const result = await service.login({ login, password, ...(deviceName === undefined ? {} : { deviceName }) }, { signal, clientAddress, userAgent });
    actingFor(result.accountId);
    return encodeLoginResult(result);
  },
});

export const refreshToken = rpc<RefreshTokenRequest, RefreshTokenResponse>({
  operation: 'RefreshToken',
  async handle(service, request, { signal, clientAddress, userAgent, actingFor }) {
    const read = new RequestReader();
    const token = read.required('refresh_token', request.refreshToken);
    read.done();
    const refreshed = await service.refreshToken({ refreshToken: token }, { signal, clientAddress, userAgent });
    actingFor(refreshed.accountId);
    return { tokens: encodeTokenPair(refreshed) };
  },
});

export const logout = rpc<LogoutRequest, LogoutResponse>({
  operation: 'Logout',
  async handle(service, request, { signal, clientAddress, userAgent, actingFor }) {
    const read = new RequestReader();
    const token = read.required('refresh_token', request.refreshToken);
    read.done();
    actingFor((await service.logout({ refreshToken: token }, { signal, clientAddress, userAgent })).accountId);
    return {};
  },
});

export const changePassword = rpc<ChangePasswordRequest, ChangePasswordResponse>({
  operation: 'ChangePassword',
  async handle(service, request, { caller, signal, clientAddress, userAgent }) {
    const read = new RequestReader();
    const id = read.accountId('id', request.id);
    const oldPassword = read.required('old_password', request.oldPassword);
    read.done();
    return { tokens: encodeTokenPair(await service.changePassword(caller, { id, oldPassword, newPassword: request.newPassword }, { signal, clientAddress, userAgent })) };
  },
});

export const revokeSessions = rpc<RevokeSessionsRequest, RevokeSessionsResponse>({
  operation: 'RevokeSessions',
  async handle(service, request, { caller, signal, clientAddress, userAgent }) {
    const read = new RequestReader();
    const id = read.accountId('id', request.id);
    read.done();
    return { revoked: (await service.revokeSessions(caller, { id, keepOwn: request.keepOwn === true }, { signal, clientAddress, userAgent })).revoked };
  },
});

export const listSessions = rpc<ListSessionsRequest, ListSessionsResponse>({
  operation: 'ListSessions',
  async handle(service, request, { caller, signal }) {
    const read = new RequestReader();
    const id = read.accountId('id', request.id);
    read.done();
    return { sessions: (await service.listSessions(caller, { id }, { signal })).sessions.map(encodeSession) };
  },
});

export const revokeSession = rpc<RevokeSessionRequest, RevokeSessionResponse>({
  operation: 'RevokeSession',
  async handle(service, request, { caller, signal, clientAddress, userAgent, actingFor }) {
    const read = new RequestReader();
    const sessionId = read.required('session_id', request.sessionId);
    read.done();
    const { accountId } = await service.revokeSession(caller, { sessionId }, { signal, clientAddress, userAgent });
    actingFor(accountId);
    return { accountId };
  },
});

export const listSecurityEvents = rpc<ListSecurityEventsRequest, ListSecurityEventsResponse>({
  operation: 'ListSecurityEvents',
  async handle(service, request, { caller, signal }) {
    const read = new RequestReader();
    const id = read.accountId('id', request.id);
    read.done();
    const page = await service.listSecurityEvents(
      caller,
      {
        id,
        types: request.types,
        ...(request.since ? { since: request.since } : {}),
        ...(request.until ? { until: request.until } : {}),
        pageSize: request.pageSize,
        pageToken: request.pageToken,
      },
      { signal },
    );
    return { events: page.events.map(encodeSecurityEvent), nextPageToken: page.nextPageToken };
  },
});
