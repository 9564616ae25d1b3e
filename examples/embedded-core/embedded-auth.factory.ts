// The whole authentication service inside another Node application, built by the same composition as the gRPC
// server (`createApp`): settings exactly as the server reads them, and any part replaced where the host application
// brings its own. Here the accounts live in process memory, so nothing but a folder for the signing keys is needed.
import { InMemoryAccountStore, type AuthService } from '@authsvc/core';
import { createApp, createLogger, loadConfig } from '@authsvc/grpc-server';

export async function startEmbeddedAuth(options: { dataDir: string; bcryptCost?: number }): Promise<{ auth: AuthService; close(): Promise<void> }> {
  // The AUTH_* variables of the server (see its README); unset ones keep the embedded defaults.
  const { config } = loadConfig({ env: { AUTH_DATA_DIR: options.dataDir, AUTH_PASSWORD_BCRYPT_COST: String(options.bcryptCost ?? 10) } });
  const store = new InMemoryAccountStore();
  const app = createApp(config, {
    logger: createLogger({ level: 'warn' }),
    overrides: { accounts: store.accounts, unitOfWork: store.unitOfWork, relayStore: store.relayStore, securityEvents: store.securityEvents },
  });
  return { auth: await app.get('service'), close: () => app.close() };
}
