/* global process, URL */
// Readiness probe for broker.sh: succeeds once the broker answers a metadata request through kafkajs (the client the
// service uses), i.e. the broker is registered with the controller, not merely listening.
// Usage: node probe.mjs <host:port> ; exit 0 ready, 1 not ready, 2 kafkajs not installed.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const broker = process.argv[2] ?? '127.0.0.1:19092';
const require = createRequire(fileURLToPath(new URL('../../packages/adapters-kafka/package.json', import.meta.url)));

let kafkajs;
try {
  kafkajs = require('kafkajs');
} catch {
  process.exit(2);
}

const kafka = new kafkajs.Kafka({
  clientId: 'broker-probe',
  brokers: [broker],
  connectionTimeout: 1_000,
  requestTimeout: 2_000,
  retry: { retries: 0 },
  logLevel: kafkajs.logLevel.NOTHING,
});
const admin = kafka.admin();
try {
  await admin.connect();
  const cluster = await admin.describeCluster();
  if (cluster.brokers.length === 0) process.exit(1);
  await admin.disconnect();
  process.exit(0);
} catch {
  process.exit(1);
}
