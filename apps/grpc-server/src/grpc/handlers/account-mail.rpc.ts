import type { PublicProfile } from '@authsvc/core';
import type {
  ConfirmEmailChangeRequest,
  ConfirmEmailChangeResponse,
  RequestEmailChangeRequest,
  RequestEmailChangeResponse,
  RequestEmailVerificationRequest,
  RequestEmailVerificationResponse,
  RequestPasswordResetRequest,
  RequestPasswordResetResponse,
  ResetPasswordRequest,
  ResetPasswordResponse,
  VerifyEmailRequest,
  VerifyEmailResponse,
} from '@authsvc/proto/auth/v1/auth';
import { rpc } from '../rpc-handler.types.js';
import { RequestReader } from '../request.codec.js';
import { encodeArtist, encodeUser } from '../response.codec.js';

/** A user or an artist, as the `profile` oneof of VerifyEmail and ConfirmEmailChange. */
function encodeProfile(profile: PublicProfile): VerifyEmailResponse & ConfirmEmailChangeResponse {
  return profile.kind === 'user'
    ? { profile: { $case: 'user', value: encodeUser(profile) } }
    : { profile: { $case: 'artist', value: encodeArtist(profile) } };
}

export const requestEmailVerification = rpc<RequestEmailVerificationRequest, RequestEmailVerificationResponse>({
  operation: 'RequestEmailVerification',
  async handle(service, request, { caller, signal }) {
    const read = new RequestReader();
    const id = read.accountId('id', request.id);
    read.done();
    return service.requestEmailVerification(caller, { id }, { signal });
  },
});

export const verifyEmail = rpc<VerifyEmailRequest, VerifyEmailResponse>({
  operation: 'VerifyEmail',
  async handle(service, request, { signal, clientAddress, actingFor }) {
    const profile = await service.verifyEmail({ token: request.token }, { signal, clientAddress });
    actingFor(profile.id);
    return encodeProfile(profile);
  },
});

export const requestPasswordReset = rpc<RequestPasswordResetRequest, RequestPasswordResetResponse>({
  operation: 'RequestPasswordReset',
  async handle(service, request, { signal, clientAddress, userAgent }) {
    await service.requestPasswordReset({ email: request.email }, { signal, clientAddress, userAgent });
    return {};
  },
});

export const resetPassword = rpc<ResetPasswordRequest, ResetPasswordResponse>({
  operation: 'ResetPassword',
  async handle(service, request, { signal, clientAddress, userAgent }) {
    await service.resetPassword({ token: request.token, newPassword: request.newPassword }, { signal, clientAddress, userAgent });
    return {};
  },
});

export const requestEmailChange = rpc<RequestEmailChangeRequest, RequestEmailChangeResponse>({
  operation: 'RequestEmailChange',
  async handle(service, request, { caller, signal, clientAddress }) {
    const read = new RequestReader();
    const id = read.accountId('id', request.id);
    read.done();
    await service.requestEmailChange(caller, { id, newEmail: request.newEmail, currentPassword: request.currentPassword }, { signal, clientAddress });
    return {};
  },
});

export const confirmEmailChange = rpc<ConfirmEmailChangeRequest, ConfirmEmailChangeResponse>({
  operation: 'ConfirmEmailChange',
  async handle(service, request, { caller, signal, clientAddress, userAgent, actingFor }) {
    const profile = await service.confirmEmailChange(caller, { token: request.token }, { signal, clientAddress, userAgent });
    actingFor(profile.id);
    return encodeProfile(profile);
  },
});
