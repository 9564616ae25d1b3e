/** @authsvc/client/express: the token verifier as Express middleware (any Node `http` framework with (req, res, next)). */
export { createHttpTokenAuth, accessTokenOf, type HttpTokenAuthOptions, type TokenAuthMiddleware } from './token-auth.interceptor.js';
