/**
 * The logging the transport needs: pino's `(object, message)` call shape, so a pino logger
 * satisfies it as is. Never pass a request body, a password, a token or a key.
 */
export interface GrpcLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}
