import type { AuthServiceServer } from '@authsvc/proto/auth/v1/auth';
import { callPipeline, type PipelineDependencies } from './call-pipeline.factory.js';
import { registerArtist, registerUser } from './handlers/registration.rpc.js';
import { changePassword, login, logout, refreshToken, revokeSessions } from './handlers/session.rpc.js';
import { getArtist, getUser, setRole, updateArtist, updateUser } from './handlers/profile.rpc.js';
import { getJwks, validateToken } from './handlers/token.rpc.js';
import { disableAccount, enableAccount, exportAccountData, searchAccounts } from './handlers/admin.rpc.js';

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
    searchAccounts: unary(searchAccounts),
    disableAccount: unary(disableAccount),
    enableAccount: unary(enableAccount),
    exportAccountData: unary(exportAccountData),
  };
}
