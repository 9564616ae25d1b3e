import { startServerProcess } from '@authsvc/test-support/server';
import { temporaryDir } from '@authsvc/test-support';
import { baseEnvironment, createAdminAccount } from './support/server-environment.support.js';
import { describeServerScenarios } from './support/e2e-scenarios.support.js';

// Embedded defaults: PGlite in the data folder, in-memory sessions, events to the log.
const dataDir = temporaryDir('authsvc-e2e-');

describeServerScenarios(
  'embedded',
  async () => {
    const env = baseEnvironment(dataDir.path);
    const admin = await createAdminAccount(env);
    return { admin, server: await startServerProcess({ env }) };
  },
  async () => dataDir.remove(),
);
