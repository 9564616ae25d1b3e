import type { AuthServiceServer } from '@authsvc/proto/auth/v1/auth';
import { callPipeline, type PipelineDependencies } from './call-pipeline.factory.js';
import type { RpcHandler } from './rpc-handler.types.js';
import { registerArtist, registerUser } from './handlers/registration.rpc.js';
import { changePassword, listSecurityEvents, listSessions, login, logout, refreshToken, revokeSession, revokeSessions } from './handlers/session.rpc.js';
import { getArtist, getUser, setRole, updateArtist, updateUser } from './handlers/profile.rpc.js';
import { getJwks, validateToken } from './handlers/token.rpc.js';
import {
  beginTotpEnrolment, completeLogin, confirmTotpEnrolment, disableTotp, regenerateRecoveryCodes,
} from './handlers/second-factor.rpc.js';
import {
  confirmEmailChange,
  requestEmailChange,
  requestEmailVerification,
  requestPasswordReset,
  resetPassword,
  verifyEmail,
} from './handlers/account-mail.rpc.js';
import {
  beginPasskeyLogin, beginPasskeyRegistration, finishPasskeyLogin, finishPasskeyRegistration, listPasskeys, removePasskey,
} from './handlers/passkey.rpc.js';
import { deleteAccount, disableAccount, enableAccount, exportAccountData, resetSecondFactors, restoreAccount, searchAccounts } from './handlers/admin.rpc.js';

/** Every RPC of auth.v1.AuthService, each handler run through the call pipeline. */
export function authServiceImplementation(deps: PipelineDependencies): AuthServiceServer {
  const unary = callPipeline(deps);
  return {
    registerUser: unary(registerUser),
    registerArtist: unary(registerArtist),
    login: unary(login),
    refreshToken: unary(refreshToken),
    logout: unary(logout),
    getUser: unary(getUser),
    getArtist: unary(getArtist),
    updateUser: unary(updateUser),
    updateArtist: unary(updateArtist),
    changePassword: unary(changePassword),
    validateToken: unary(validateToken),
    getJwks: unary(getJwks),
    revokeSessions: unary(revokeSessions),
    setRole: unary(setRole),
    completeLogin: unary(completeLogin),
    beginTotpEnrolment: unary(beginTotpEnrolment),
    confirmTotpEnrolment: unary(confirmTotpEnrolment),
    disableTotp: unary(disableTotp),
    regenerateRecoveryCodes: unary(regenerateRecoveryCodes),
    requestEmailVerification: unary(requestEmailVerification),
    verifyEmail: unary(verifyEmail),
    requestPasswordReset: unary(requestPasswordReset),
    resetPassword: unary(resetPassword),
    requestEmailChange: unary(requestEmailChange),
    confirmEmailChange: unary(confirmEmailChange),
    listSessions: unary(listSessions),
    revokeSession: unary(revokeSession),
    listSecurityEvents: unary(listSecurityEvents),
    searchAccounts: unary(searchAccounts),
    disableAccount: unary(disableAccount),
    enableAccount: unary(enableAccount),
    exportAccountData: unary(exportAccountData),
    beginPasskeyRegistration: unary(beginPasskeyRegistration),
    finishPasskeyRegistration: unary(finishPasskeyRegistration),
    beginPasskeyLogin: unary(beginPasskeyLogin),
    finishPasskeyLogin: unary(finishPasskeyLogin),
    listPasskeys: unary(listPasskeys),
    removePasskey: unary(removePasskey),
    deleteAccount: unary(deleteAccount),
    restoreAccount: unary(restoreAccount),
    resetSecondFactors: unary(resetSecondFactors),
  };
}

/**
 * The handler of every RPC by method name, for the Connect and gRPC-Web server (connect/connect.server.ts), which
 * serves these same handlers through the same pipeline. Typecheck fails while an RPC of the service is missing here.
 */
export const AUTH_SERVICE_HANDLERS = {
  registerUser,
  registerArtist,
  login,
  refreshToken,
  logout,
  getUser,
  getArtist,
  updateUser,
  updateArtist,
  changePassword,
  validateToken,
  getJwks,
  revokeSessions,
  setRole,
  completeLogin,
  beginTotpEnrolment,
  confirmTotpEnrolment,
  disableTotp,
  regenerateRecoveryCodes,
  requestEmailVerification,
  verifyEmail,
  requestPasswordReset,
  resetPassword,
  requestEmailChange,
  confirmEmailChange,
  listSessions,
  revokeSession,
  listSecurityEvents,
  searchAccounts,
  disableAccount,
  enableAccount,
  exportAccountData,
  beginPasskeyRegistration,
  finishPasskeyRegistration,
  beginPasskeyLogin,
  finishPasskeyLogin,
  listPasskeys,
  removePasskey,
  deleteAccount,
  restoreAccount,
  resetSecondFactors,
} satisfies { [K in keyof AuthServiceServer]: RpcHandler<never, unknown> };
