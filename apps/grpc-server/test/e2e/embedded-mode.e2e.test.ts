import { baseEnvironment, createAdminAccount, startServerProcess, temporaryDataDir } from './support/server-process.js';
import { describeServerScenarios } from './support/e2e-scenarios.js';

// Embedded defaults: PGlite in the data folder, in-memory sessions, events to the log.
const dataDir = temporaryDataDir();

describeServerScenarios(
  'embedded',
  async () => {
    const env = baseEnvironment(dataDir.path);
    const admin = await createAdminAccount(env);
    return { admin, server: await startServerProcess(env) };
  },
  async () => dataDir.remove(),
);
