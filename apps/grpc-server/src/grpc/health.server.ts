import type { Server } from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import type { HealthReporter, ServingStatus } from './health-reporter.port.js';

/** The names grpc.health.v1 answers for: the whole server ("") and the API service. */
export const HEALTH_SERVICE_NAMES = ['', 'auth.v1.AuthService'] as const;

/**
 * Adds grpc.health.v1.Health (Check and Watch) to the server, driven by the reporter.
 * Returns a function that marks everything NOT_SERVING and stops following the reporter (shutdown).
 */
export function addHealthService(server: Server, reporter: HealthReporter): () => void {
  const health = new HealthImplementation();
  const apply = (status: ServingStatus): void => {
    for (const name of HEALTH_SERVICE_NAMES) health.setStatus(name, status);
  };
  apply(reporter.getStatus());
  const unsubscribe = reporter.onChange(apply);
  health.addToServer(server);
  return () => {
    unsubscribe();
    apply('NOT_SERVING');
  };
}
