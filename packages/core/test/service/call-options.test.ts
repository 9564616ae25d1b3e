import { describe, expect, it } from 'vitest';
import { isDomainError, type AuthServiceDependencies } from '../../src/index.js';
import { Harness, ObservedHasher, PASSWORD, sharedHasher } from '../use-cases/support/service-harness.support.js';

const timedOut = (): AbortSignal => AbortSignal.abort(new DOMException('deadline', 'TimeoutError'));

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected the call to fail'),
    (error: unknown) => error,
  );
}

/** A unit of work that fires `controller` as the transaction starts, so the work inside sees a fired signal. */
function abortingUnitOfWork(controller: AbortController) {
  return (deps: AuthServiceDependencies): Partial<AuthServiceDependencies> => ({
    unitOfWork: {
      run: (work) => {
        controller.abort();
        return deps.unitOfWork.run(work);
      },
    },
  });
}

describe('call options: a caller that gave up stops the work', () => {
  const bcrypt = sharedHasher();

  it('a call whose signal already fired does not start: DEADLINE_EXCEEDED for a TimeoutError, CANCELLED otherwise', async () => {
    const hasher = new ObservedHasher(bcrypt);
    let hashes = 0;
    hasher.onHash = () => (hashes += 1);
    const h = await Harness.create({ hasher });
    const input = h.userInput();

    expect(isDomainError(await failureOf(h.service.registerUser(input, { signal: timedOut() })), 'DEADLINE_EXCEEDED')).toBe(true);
    expect(isDomainError(await failureOf(h.service.registerUser(input, { signal: AbortSignal.abort() })), 'CANCELLED')).toBe(true);
    expect(hashes).toBe(0);
    // Nothing was stored: the same names are still free.
    await expect(h.service.registerUser(input, { signal: new AbortController().signal })).resolves.toMatchObject({ username: input.username });
  });

  it('a registration whose caller gives up during the hash stores neither the account nor its event', async () => {
    const hasher = new ObservedHasher(bcrypt);
    const controller = new AbortController();
    hasher.onHash = () => controller.abort(); // the hash itself is already running and completes
    const h = await Harness.create({ hasher });
    const input = h.userInput();

    expect(isDomainError(await failureOf(h.service.registerUser(input, { signal: controller.signal })), 'CANCELLED')).toBe(true);
    hasher.onHash = () => undefined;
    const profile = await h.service.registerUser(input);
    expect((await h.events(profile.id)).map((event) => event.type)).toEqual(['user.created']);
  });

  it('a login whose caller gives up during the password check opens no session', async () => {
    const hasher = new ObservedHasher(bcrypt);
    const h = await Harness.create({ hasher });
    const input = h.userInput();
    const profile = await h.service.registerUser(input);
    const controller = new AbortController();
    hasher.onVerify = () => controller.abort(new DOMException('deadline', 'TimeoutError'));

    const failure = await failureOf(h.service.login({ login: input.username, password: PASSWORD }, { signal: controller.signal }));
    expect(isDomainError(failure, 'DEADLINE_EXCEEDED')).toBe(true);
    expect(await h.sessions.listForAccount(profile.id, h.clock.now())).toEqual([]);
  });

  it('a profile update whose caller gives up before the commit is rolled back, with no event', async () => {
    const controller = new AbortController();
    const h = await Harness.create({ hasher: bcrypt, override: abortingUnitOfWork(controller) });
    const { profile, caller } = await h.signedInUser();
    const before = await h.events(profile.id);

    const failure = await failureOf(h.service.updateUser(caller, { id: profile.id, country: 'NO' }, { signal: controller.signal }));
    expect(isDomainError(failure, 'CANCELLED')).toBe(true);
    expect(await h.service.getUser(caller, { id: profile.id })).toMatchObject({ country: profile.country });
    expect(await h.events(profile.id)).toEqual(before);
  });

  it('a password change whose caller gives up during the new hash keeps the old password and every session', async () => {
    const hasher = new ObservedHasher(bcrypt);
    const h = await Harness.create({ hasher });
    const { profile, caller, tokens } = await h.signedInUser();
    const controller = new AbortController();
    hasher.onHash = () => controller.abort();

    const failure = await failureOf(
      h.service.changePassword(caller, { id: profile.id, oldPassword: PASSWORD, newPassword: 'a brand new secret' }, { signal: controller.signal }),
    );
    expect(isDomainError(failure, 'CANCELLED')).toBe(true);
    await expect(h.service.validateToken({ accessToken: tokens.accessToken })).resolves.toMatchObject({ accountId: profile.id });
    await expect(h.service.login({ login: profile.username, password: PASSWORD })).resolves.toMatchObject({ accountId: profile.id });
  });

  it('an error that is not the signal reason passes through unchanged', async () => {
    const h = await Harness.create({ hasher: bcrypt });
    const failure = await failureOf(h.service.login({ login: 'nobody_here', password: 'wrong one' }, { signal: new AbortController().signal }));
    expect(isDomainError(failure, 'INVALID_CREDENTIALS')).toBe(true);
  });
});
