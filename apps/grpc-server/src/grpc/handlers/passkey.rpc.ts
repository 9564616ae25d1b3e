import type {
  BeginPasskeyLoginRequest,
  BeginPasskeyLoginResponse,
  BeginPasskeyRegistrationRequest,
  BeginPasskeyRegistrationResponse,
  FinishPasskeyLoginRequest,
  FinishPasskeyLoginResponse,
  FinishPasskeyRegistrationRequest,
  FinishPasskeyRegistrationResponse,
  ListPasskeysRequest,
  ListPasskeysResponse,
  RemovePasskeyRequest,
  RemovePasskeyResponse,
} from '@authsvc/proto/auth/v1/auth';
import { rpc } from '../rpc-handler.types.js';
import { RequestReader } from '../request.codec.js';
import { ROLE_TO_PROTO, encodeTokenPair } from '../response.codec.js';

export const beginPasskeyRegistration = rpc<BeginPasskeyRegistrationRequest, BeginPasskeyRegistrationResponse>({
  operation: 'BeginPasskeyRegistration',
  async handle(service, request, { caller, signal }) {
    const read = new RequestReader();
    const id = read.accountId('id', request.id);
    read.done();
    return service.beginPasskeyRegistration(caller, { id }, { signal });
  },
});

export const finishPasskeyRegistration = rpc<FinishPasskeyRegistrationRequest, FinishPasskeyRegistrationResponse>({
  operation: 'FinishPasskeyRegistration',
  async handle(service, request, { caller, signal, clientAddress, userAgent }) {
    const read = new RequestReader();
    const id = read.accountId('id', request.id);
    read.done();
    const input = { id, response: request.response, ...(request.name === '' ? {} : { name: request.name }) };
    return service.finishPasskeyRegistration(caller, input, { signal, clientAddress, userAgent });
  },
});

export const beginPasskeyLogin = rpc<BeginPasskeyLoginRequest, BeginPasskeyLoginResponse>({
  operation: 'BeginPasskeyLogin',
  async handle(service, request, { signal, clientAddress }) {
    return service.beginPasskeyLogin(request.ticket === '' ? {} : { ticket: request.ticket }, { signal, clientAddress });
  },
});

export const finishPasskeyLogin = rpc<FinishPasskeyLoginRequest, FinishPasskeyLoginResponse>({
  operation: 'FinishPasskeyLogin',
  async handle(service, request, { signal, clientAddress, userAgent, actingFor }) {
    const input = { response: request.response, ...(request.deviceName === '' ? {} : { deviceName: request.deviceName }) };
    const result = await service.finishPasskeyLogin(input, { signal, clientAddress, userAgent });
    actingFor(result.accountId);
    return { accountId: result.accountId, username: result.username, role: ROLE_TO_PROTO[result.role], tokens: encodeTokenPair(result.tokens) };
  },
});

export const listPasskeys = rpc<ListPasskeysRequest, ListPasskeysResponse>({
  operation: 'ListPasskeys',
  async handle(service, request, { caller, signal }) {
    const read = new RequestReader();
    const id = read.accountId('id', request.id);
    read.done();
    const { passkeys } = await service.listPasskeys(caller, { id }, { signal });
    return {
      passkeys: passkeys.map((p) => ({
        credentialId: p.credentialId,
        name: p.name ?? '',
        synced: p.deviceType === 'multiDevice',
        backedUp: p.backedUp,
        createdAt: p.createdAt,
        ...(p.lastUsedAt === null ? {} : { lastUsedAt: p.lastUsedAt }),
      })),
    };
  },
});

export const removePasskey = rpc<RemovePasskeyRequest, RemovePasskeyResponse>({
  operation: 'RemovePasskey',
  async handle(service, request, { caller, signal, clientAddress, userAgent }) {
    const read = new RequestReader();
    const id = read.accountId('id', request.id);
    const credentialId = read.required('credential_id', request.credentialId);
    read.done();
    await service.removePasskey(caller, { id, credentialId }, { signal, clientAddress, userAgent });
    return {};
  },
});
