import { createKafkaClient, type KafkaConnectionOptions } from './kafka-client.factory.js';

export interface EnsureTopicsRequest extends KafkaConnectionOptions {
  topics: readonly string[];
  /** Partitions of a created topic; more partitions, more consumers in parallel (order holds per key). */
  partitions: number;
  /** Replicas of a created topic; 3 in production, 1 on a single test broker. */
  replicationFactor: number;
  /** Per-topic configs of created topics, e.g. { 'min.insync.replicas': '2' }. */
  configs?: Record<string, string>;
}

export interface EnsureTopicsResult {
  created: string[];
  existing: string[];
}

/** Creates the topics that are missing (existing ones are left as they are) and waits for their leaders. */
export async function ensureTopics(request: EnsureTopicsRequest): Promise<EnsureTopicsResult> {
  if (request.topics.length === 0) return { created: [], existing: [] };
  const admin = createKafkaClient(request).admin();
  await admin.connect();
  try {
    const present = new Set(await admin.listTopics());
    const missing = [...new Set(request.topics)].filter((topic) => !present.has(topic));
    const existing = request.topics.filter((topic) => present.has(topic));
    if (missing.length > 0) {
      const configEntries = Object.entries(request.configs ?? {}).map(([name, value]) => ({ name, value }));
      // A topic another instance created meanwhile is not an error: createTopics then reports false for it.
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: request.partitions,
          replicationFactor: request.replicationFactor,
          configEntries,
        })),
      });
    }
    return { created: missing, existing };
  } finally {
    await admin.disconnect();
  }
}
