// @authsvc/grpc-server as a library: the composition every entry point uses, for Node apps that embed the whole
// service (settings as the server reads them, any part replaceable) or start the gRPC server in process.
export { createApp, type App, type AdapterChoice, type CreateAppOptions } from './composition/app.factory.js';
export type { AppParts, AppOverrides, PartName, AccessTokens } from './composition/app-parts.types.js';
export { loadConfig, type LoadedConfig } from './config/config-loading.config.js';
export type { AppConfig } from './config/config.types.js';
export { createLogger, type AppLogger } from './logging/logger.factory.js';
export { startServer, type RunningServer } from './cli/serve.command.js';
// The Connect and gRPC-Web transport (browsers, mobile apps) and the service's descriptors for Connect clients.
export { createConnectServer, type ConnectServerDependencies, type ConnectServerHandle } from './connect/connect.server.js';
export { authFileDescriptorSet, authServiceSchema } from './connect/auth-service-schema.codec.js';
