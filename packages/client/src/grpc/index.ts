/** @authsvc/client/grpc: the token verifier as a grpc-js server interceptor. */
export { createGrpcTokenAuth, accessTokenOf, type GrpcTokenAuthOptions } from './token-auth.interceptor.js';
