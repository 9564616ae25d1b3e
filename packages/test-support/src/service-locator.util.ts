import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/** Where an integration suite finds its service, and how it got there. */
export interface LocatedService {
  /** Connection string (postgres://..., redis://...) or broker list (host:port,...). */
  url: string;
  /** 'env' when taken from the environment, 'container' when Testcontainers started it. */
  source: 'env' | 'container';
  /** Stops what was started for the suite (no-op for 'env'). */
  stop(): Promise<void>;
}

export interface ServiceRequest {
  /** Human name, e.g. "PostgreSQL". */
  name: string;
  /** Environment variable holding the URL, e.g. DATABASE_URL. */
  envVar: string;
  /** Starts a container when a Docker engine is reachable; resolves to its URL and a stopper. */
  startContainer: () => Promise<{ url: string; stop: () => Promise<void> }>;
}

const execFileAsync = promisify(execFile);

/** True when a Docker engine (not only the client) answers. */
export async function dockerEngineReachable(): Promise<boolean> {
  try {
    await execFileAsync('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds the service for an integration suite: the URL in `envVar`, else a Testcontainers container when a
 * Docker engine is reachable, else null after printing one line that says how to enable the suite.
 * Under CI=true a missing service throws instead: CI must never skip an integration suite.
 */
export async function locateService(request: ServiceRequest): Promise<LocatedService | null> {
  const fromEnv = process.env[request.envVar];
  if (fromEnv) return { url: fromEnv, source: 'env', stop: async () => {} };
  if (await dockerEngineReachable()) {
    const started = await request.startContainer();
    return { url: started.url, source: 'container', stop: started.stop };
  }
  const line = `${request.name} integration suite skipped: set ${request.envVar} (or start a Docker engine for Testcontainers) to run it.`;
  if (process.env.CI === 'true') throw new Error(`${line} Under CI=true a skipped integration suite is a failure.`);
  console.warn(line);
  return null;
}
