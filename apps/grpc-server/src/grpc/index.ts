// The gRPC transport of the service: the composition root builds it with createGrpcServer.
export { createGrpcServer, DEFAULT_GRPC_LIMITS } from './grpc-server.factory.js';
export type { GrpcServerDependencies, GrpcServerHandle, GrpcServerLimits, GrpcTlsOptions } from './grpc-server.factory.js';
export type { GrpcLogger } from './grpc-logger.js';
export { ManualHealthReporter } from './health-reporter.js';
export type { HealthReporter, ServingStatus } from './health-reporter.js';
export type { RpcCompletedHook } from './access-log.interceptor.js';
export { ERROR_DOMAIN } from './error-mapping.interceptor.js';
export { decodeStatusDetails } from './error-details.js';
