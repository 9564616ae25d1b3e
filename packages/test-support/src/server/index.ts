/**
 * @authsvc/test-support/server: the gRPC app (apps/grpc-server) as a real process, from its sources or its build,
 * for the end-to-end suites, the reliability suite and the bench.
 */
export { startServerProcess, type ServerProcess, type ServerProcessOptions } from './server-process.support.js';
export { runServerCommand, serverCommandOutput, type CommandResult, type ServerCommandOptions } from './server-command.support.js';
export { appScriptArgs, defaultAppEntry, sourceNodeFlags, type AppEntry } from './app-entry.util.js';
