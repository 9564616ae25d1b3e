import { Kafka, logLevel } from 'kafkajs';

/** A kafkajs client of the brokers (comma-separated), silent: a test reports what matters itself. */
export function kafkaClient(brokers: string, clientId = 'authsvc-test'): Kafka {
  return new Kafka({ clientId, brokers: brokers.split(','), logLevel: logLevel.NOTHING });
}

/** Deletes those of `topics` that exist. */
export async function deleteTopics(brokers: string, topics: readonly string[]): Promise<void> {
  const admin = kafkaClient(brokers).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const mine = topics.filter((topic) => existing.has(topic));
    if (mine.length > 0) await admin.deleteTopics({ topics: mine, timeout: 10_000 });
  } finally {
    await admin.disconnect();
  }
}
