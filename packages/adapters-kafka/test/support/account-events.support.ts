import { AccountEventFactory, DEFAULT_AUTH_SERVICE_OPTIONS, RandomIdGenerator, toPublicProfile, type PublicProfile, type UnitOfWork } from '@authsvc/core';
import { aUserAccount, anArtistAccount } from '@authsvc/core-testing';
import type { TestTopics } from './kafka-test-env.support.js';

/**
 * Accounts and their events committed together, the way the service writes them (one unit of work: the row and its
 * outbox event), straight through the stores: these suites test the relay and the publisher, not the use cases.
 */
export function accountEvents(unitOfWork: UnitOfWork, topics: TestTopics) {
  const events = new AccountEventFactory({ ids: new RandomIdGenerator(), topics: { ...DEFAULT_AUTH_SERVICE_OPTIONS.topics, ...topics }, eventSource: '/authsvc' });
  const commit = async <A extends Parameters<AccountEventFactory['created']>[0]>(account: A): Promise<PublicProfile> => {
    const now = new Date();
    await unitOfWork.run(async (scope) => {
      await scope.accounts.insert(account);
      await scope.outbox.append([events.created(account, now)]);
    });
    return toPublicProfile(account);
  };
  return {
    registerUser: () => commit(aUserAccount()),
    registerArtist: () => commit(anArtistAccount()),
    /** An update with its `user.updated` event, in one unit of work. */
    setAge: (profile: PublicProfile, age: number) =>
      unitOfWork.run(async (scope) => {
        const now = new Date();
        const updated = await scope.accounts.update(profile.id, { age }, now);
        if (updated === null) throw new Error(`no account ${profile.id}`);
        await scope.outbox.append([events.updated(updated, now)]);
      }),
  };
}
