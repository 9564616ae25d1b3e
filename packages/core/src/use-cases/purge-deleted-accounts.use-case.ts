import { normalizeEmail, normalizeUsername } from '../domain/account.model.js';
import type { AccountEventFactory } from '../events/account-event.factory.js';
import type { AuthServiceDependencies, AuthServiceOptions } from '../service/auth-service.config.js';
import { throwIfAborted } from '../service/call-options.util.js';
import type { SecurityEventRecorder } from './security-event-recorder.service.js';

export interface PurgeDeletedAccountsOutput {
  /** The ids erased by this run (each now a tombstone). */
  erased: string[];
}

const BATCH = 100;

/**
 * Housekeeping (not an RPC): erases every account deleted at least `deletionGraceMs` ago, each in its own unit of
 * work: the account and everything stored with it (profile, mailed tokens, second factors, mail) are deleted and a
 * tombstone keeps its id from being given again; its security events lose what identifies a person (client
 * address, user agent, session, login hash), and so do failed logins by its username or email; its events already
 * published leave the outbox; a `*.erased` event tells consumers to erase their copies. Its username, email and
 * stage name are free from then on. Runs from the server's housekeeping loop and `authsvc accounts purge`.
 */
export class PurgeDeletedAccounts {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'accounts' | 'unitOfWork' | 'clock' | 'secondFactors'>,
    private readonly events: AccountEventFactory,
    private readonly securityEvents: SecurityEventRecorder,
    private readonly settings: Pick<AuthServiceOptions, 'deletionGraceMs'>,
  ) {}

  async execute(signal?: AbortSignal): Promise<PurgeDeletedAccountsOutput> {
    const erased: string[] = [];
    for (;;) {
      throwIfAborted(signal);
      const now = this.deps.clock.now();
      const cutoff = new Date(now.getTime() - this.settings.deletionGraceMs);
      const due = await this.deps.accounts.deletedBefore(cutoff, BATCH);
      let progressed = 0;
      for (const id of due) {
        throwIfAborted(signal);
        if (await this.eraseOne(id, cutoff, now)) {
          erased.push(id);
          progressed += 1;
        }
      }
      // A short batch was the last one; a batch where nothing could be erased (all restored meanwhile) ends the run too.
      if (due.length < BATCH || progressed === 0) return { erased };
    }
  }

  private async eraseOne(id: string, cutoff: Date, now: Date): Promise<boolean> {
    const account = await this.deps.unitOfWork.run(async (scope) => {
      const gone = await scope.accounts.erase(id, cutoff, now);
      if (gone === null) return null;
      const hashes = [normalizeUsername(gone.username), normalizeEmail(gone.email)].map((name) => this.securityEvents.loginHash(name));
      await scope.securityEvents.anonymize(gone.id, hashes);
      await scope.outbox.forgetPublished(gone.id);
      await scope.outbox.append([this.events.erased(gone, now)]);
      return gone;
    });
    if (account === null) return false;
    // A store of second factors apart from the accounts (the in-memory one) forgets them here; SQL cascaded already.
    await this.deps.secondFactors.removeTotp(account.id, true);
    for (const passkey of await this.deps.secondFactors.passkeysOf(account.id)) await this.deps.secondFactors.removePasskey(account.id, passkey.credentialId, true);
    return true;
  }
}
