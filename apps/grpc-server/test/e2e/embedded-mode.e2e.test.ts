import { baseEnvironment, startServerProcess, temporaryDataDir } from './support/server-process.js';
import { describeServerScenarios } from './support/e2e-scenarios.js';

// Embedded defaults: PGlite in the data folder, in-memory sessions, events to the log.
const dataDir = temporaryDataDir();

describeServerScenarios('embedded', () => startServerProcess(baseEnvironment(dataDir.path)), async () => dataDir.remove());
