// The container's HEALTHCHECK: `node dist/admin/healthcheck.js` asks the server's grpc.health.v1 service whether it
// serves and exits 0 (SERVING) or 1 (anything else, or no answer). A script rather than grpc_health_probe: no
// binary to download, and it reads the same configuration (AUTH_* / AUTH_CONFIG) as the server it probes.
import { loadConfig } from '../config/load-config.js';
import { checkServing } from './health-probe.js';

try {
  const { config } = loadConfig({ env: process.env, configFile: undefined });
  const { ok, status } = await checkServing(config);
  process.stdout.write(`${status}\n`);
  process.exitCode = ok ? 0 : 1;
} catch (error) {
  // A configuration problem: the message names the settings, never their values.
  process.stdout.write(`health check failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
