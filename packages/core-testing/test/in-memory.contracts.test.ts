// The in-memory implementations run the same contract suites as the PostgreSQL, Redis and Kafka adapters,
// which is what makes unit tests on them meaningful.
import {
  accountImportStoreContract,
  accountStoreContract,
  eventPublisherContract,
  rateLimiterContract,
  outboxStoreContract,
  sessionStoreContract,
  secondFactorStoreContract,
  testUuidV7,
  accountTokenStoreContract,
  mailOutboxContract,
  knownDeviceStoreContract,
  securityEventStoreContract,
  type PublishedMessage,
} from '@authsvc/core-testing';
import { InMemoryAccountStore, InMemoryRateLimiter, InMemorySecondFactorStore, InMemorySessionStore, RecordingEventPublisher } from '@authsvc/core';

accountStoreContract('InMemoryAccountStore', { create: () => new InMemoryAccountStore() });
accountImportStoreContract('InMemoryAccountStore', { create: () => new InMemoryAccountStore() });

outboxStoreContract('InMemoryAccountStore', {
  create: () => {
    const store = new InMemoryAccountStore();
    return { unitOfWork: store.unitOfWork, relayStore: store.relayStore, lastErrorOf: async (id: string) => store.lastOutboxError(id) };
  },
});

accountTokenStoreContract('InMemoryAccountStore', { create: () => new InMemoryAccountStore() });
mailOutboxContract('InMemoryAccountStore', { create: () => new InMemoryAccountStore() });
knownDeviceStoreContract('InMemoryAccountStore', { create: () => new InMemoryAccountStore() });

sessionStoreContract('InMemorySessionStore', { create: () => new InMemorySessionStore() });

securityEventStoreContract('InMemoryAccountStore', { create: () => new InMemoryAccountStore() });


rateLimiterContract('InMemoryRateLimiter', { create: () => new InMemoryRateLimiter() });

eventPublisherContract('RecordingEventPublisher', {
  create: () => {
    const publisher = new RecordingEventPublisher();
    return {
      publisher,
      topics: { userCreated: 'test.user.created', artistCreated: 'test.artist.created' },
      // What a consumer would read: the recorder keeps events, a broker keeps key, serialized value and headers.
      readBack: async (topic: string): Promise<PublishedMessage[]> =>
        publisher.published
          .filter((event) => event.topic === topic)
          .map((event) => ({ topic, key: event.key, value: JSON.stringify(event.payload), headers: { ...event.headers } })),
    };
  },
});

secondFactorStoreContract('InMemorySecondFactorStore', {
  create: () => ({ factors: new InMemorySecondFactorStore(), anAccount: async () => testUuidV7() }),
});
