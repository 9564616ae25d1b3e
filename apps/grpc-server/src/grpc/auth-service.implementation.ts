import type { AuthServiceServer } from '@authsvc/proto/auth/v1/auth';
import { unary, type PipelineDependencies } from './rpc-pipeline.js';
import { registerArtist, registerUser } from './handlers/registration.handlers.js';
import { changePassword, login, logout, refreshToken, revokeSessions } from './handlers/session.handlers.js';
import { getArtist, getUser, setRole, updateArtist, updateUser } from './handlers/profile.handlers.js';
import { getJwks, validateToken } from './handlers/token.handlers.js';

/** Every RPC of auth.v1.AuthService, each handler wrapped in the interceptor chain. */
export function authServiceImplementation(deps: PipelineDependencies): AuthServiceServer {
  return {
    registerUser: unary(deps, registerUser),
    registerArtist: unary(deps, registerArtist),
    login: unary(deps, login),
    refreshToken: unary(deps, refreshToken),
    logout: unary(deps, logout),
    getUser: unary(deps, getUser),
    getArtist: unary(deps, getArtist),
    updateUser: unary(deps, updateUser),
    updateArtist: unary(deps, updateArtist),
    changePassword: unary(deps, changePassword),
    validateToken: unary(deps, validateToken),
    getJwks: unary(deps, getJwks),
    revokeSessions: unary(deps, revokeSessions),
    setRole: unary(deps, setRole),
  };
}
