// The gRPC transport of the service: the composition root builds it with createGrpcServer.
export { createGrpcServer, DEFAULT_GRPC_LIMITS } from './grpc.server.js';
export type { GrpcServerDependencies, GrpcServerHandle, GrpcServerLimits, GrpcTlsOptions } from './grpc.server.js';
export type { GrpcLogger } from './grpc-logger.types.js';
export { ManualHealthReporter } from './health-reporter.port.js';
export type { HealthReporter, ServingStatus } from './health-reporter.port.js';
export type { RpcCompletedHook } from './access-log.interceptor.js';
export { ERROR_DOMAIN } from './error-mapping.interceptor.js';
export type { ClientAddressOptions } from './client-address.interceptor.js';
