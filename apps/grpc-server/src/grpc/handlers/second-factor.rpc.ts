import type {
  BeginTotpEnrolmentRequest,
  BeginTotpEnrolmentResponse,
  CompleteLoginRequest,
  CompleteLoginResponse,
  ConfirmTotpEnrolmentRequest,
  ConfirmTotpEnrolmentResponse,
  DisableTotpRequest,
  DisableTotpResponse,
  RegenerateRecoveryCodesRequest,
  RegenerateRecoveryCodesResponse,
} from '@authsvc/proto/auth/v1/auth';
import { rpc } from '../rpc-handler.types.js';
import { RequestReader } from '../request.codec.js';
import { ROLE_TO_PROTO, encodeTokenPair, proofOf } from '../response.codec.js';

export const completeLogin = rpc<CompleteLoginRequest, CompleteLoginResponse>({
  operation: 'CompleteLogin',
  async handle(service, request, { signal, clientAddress, userAgent, actingFor }) {
    const read = new RequestReader();
    const ticket = read.required('ticket', request.ticket);
    read.done();
    const result = await service.completeLogin({ ticket, ...proofOf(request) }, { signal, clientAddress, userAgent });
    actingFor(result.accountId);
    return { accountId: result.accountId, username: result.username, role: ROLE_TO_PROTO[result.role], tokens: encodeTokenPair(result.tokens) };
  },
});

export const beginTotpEnrolment = rpc<BeginTotpEnrolmentRequest, BeginTotpEnrolmentResponse>({
  operation: 'BeginTotpEnrolment',
  async handle(service, request, { caller, signal }) {
    const read = new RequestReader();
    const id = read.accountId('id', request.id);
    read.done();
    const { secret, uri } = await service.beginTotpEnrolment(caller, { id }, { signal });
    return { secret, otpauthUri: uri };
  },
});

export const confirmTotpEnrolment = rpc<ConfirmTotpEnrolmentRequest, ConfirmTotpEnrolmentResponse>({
  operation: 'ConfirmTotpEnrolment',
  async handle(service, request, { caller, signal, clientAddress, userAgent }) {
    const read = new RequestReader();
    const id = read.accountId('id', request.id);
    const totpCode = read.required('totp_code', request.totpCode);
    read.done();
    return service.confirmTotpEnrolment(caller, { id, totpCode }, { signal, clientAddress, userAgent });
  },
});

export const disableTotp = rpc<DisableTotpRequest, DisableTotpResponse>({
  operation: 'DisableTotp',
  async handle(service, request, { caller, signal, clientAddress, userAgent }) {
    const read = new RequestReader();
    const id = read.accountId('id', request.id);
    const password = read.required('password', request.password);
    read.done();
    await service.disableTotp(caller, { id, password, ...proofOf(request) }, { signal, clientAddress, userAgent });
    return {};
  },
});

export const regenerateRecoveryCodes = rpc<RegenerateRecoveryCodesRequest, RegenerateRecoveryCodesResponse>({
  operation: 'RegenerateRecoveryCodes',
  async handle(service, request, { caller, signal, clientAddress, userAgent }) {
    const read = new RequestReader();
    const id = read.accountId('id', request.id);
    read.done();
    return service.regenerateRecoveryCodes(caller, { id, ...proofOf(request) }, { signal, clientAddress, userAgent });
  },
});
