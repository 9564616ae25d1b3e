import { canonicalAccountId, normalizeLogin, type Account, type AccountPatch } from '../domain/account.model.js';
import type { OutboxEvent } from '../domain/account-event.model.js';
import type { AccountImportStore, ImportOutcome } from '../ports/account-import-store.port.js';
import { comparePositions, matchesQuery, positionOf, searchOrderOf, type AccountQuery } from '../domain/account-search.model.js';
import type { AccountReader } from '../ports/account-reader.port.js';
import { isDomainError } from '../errors/domain.errors.js';
import type { AccountWriter } from '../ports/account-writer.port.js';
import type { Clock } from '../ports/clock.port.js';
import type { BatchOutcome, OutboxRelayStore, OutboxStats, PendingEvent } from '../ports/outbox-relay-store.port.js';
import type { TransactionScope, UnitOfWork } from '../ports/unit-of-work.port.js';
import { AccountTable, StagedAccounts } from './account-table.util.js';
import { Mutex } from './mutex.util.js';
import { OutboxTable } from './outbox-table.util.js';
import type { OutgoingMail } from '../domain/outgoing-mail.model.js';
import type { MailBatchOutcome, MailOutboxStore, PendingMail } from '../ports/mail-outbox-store.port.js';
import { MailTable } from './mail-table.util.js';
import { TokenTable } from './token-table.util.js';
import { KnownDeviceTable } from './known-device-table.util.js';
import type { SecurityEvent } from '../domain/security-event.model.js';
import type { SecurityEventStore } from '../ports/security-event-store.port.js';
import { SecurityEventTable } from './security-event-table.util.js';

const SYSTEM_CLOCK: Clock = { now: () => new Date() };

/** Ids are kept in their canonical spelling, as a uuid column does: any letter case finds them, lower case comes back. */
const rowKey = canonicalAccountId;

/** Copies a stored account so callers can never mutate the store through a returned object. */
const copy = (account: Account | undefined): Account | null => (account === undefined ? null : structuredClone(account));

const COMMON_FIELDS = ['username', 'email', 'passwordHash', 'emailVerifiedAt', 'role', 'country', 'disabled', 'deletedAt'] as const;
const PATCHABLE: Record<Account['kind'], readonly (keyof AccountPatch)[]> = {
  user: [...COMMON_FIELDS, 'gender', 'age'],
  artist: [...COMMON_FIELDS, 'author', 'producer', 'description'],
};

/** Applies a patch: only the fields present (`producer: null` is present), and only those of the account's kind. */
function applyPatch(account: Account, patch: AccountPatch, updatedAt: Date): Account {
  const changes: Partial<Record<keyof AccountPatch, unknown>> = {};
  for (const field of PATCHABLE[account.kind]) {
    if (patch[field] !== undefined) changes[field] = patch[field];
  }
  return { ...account, ...changes, updatedAt } as Account;
}

/** The store's search: a scan, sorted by the query's order (the SQL store has indexes for this). */
function searchRows(rows: Iterable<Account>, query: AccountQuery, limit: number): Account[] {
  const order = searchOrderOf(query);
  return [...rows]
    .filter((account) => matchesQuery(account, query))
    .sort((a, b) => comparePositions(positionOf(a, order), positionOf(b, order)))
    .slice(0, limit)
    .map((account) => structuredClone(account));
}

/** The ids of accounts deleted at or before `cutoff`, the longest deleted first. */
function deletedRows(rows: Iterable<Account>, cutoff: Date, limit: number): string[] {
  return [...rows]
    .filter((account) => account.deletedAt !== null && account.deletedAt.getTime() <= cutoff.getTime())
    .sort((a, b) => a.deletedAt!.getTime() - b.deletedAt!.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, Math.max(0, limit))
    .map((account) => account.id);
}

/**
 * Accounts and the transactional outbox in process memory, for unit tests and the embedded single-process mode.
 * Units of work run one at a time (a mutex) and stage their writes, applying them only on commit; readers outside
 * a unit of work see committed state only, as with READ COMMITTED. `accounts`, `unitOfWork` and `relayStore`
 * share one state.
 */
export class InMemoryAccountStore {
  readonly accounts: AccountReader;
  readonly unitOfWork: UnitOfWork;
  readonly relayStore: OutboxRelayStore;
  readonly accountImport: AccountImportStore;
  readonly mailStore: MailOutboxStore;
  readonly securityEvents: SecurityEventStore;

  readonly #tokens = new TokenTable();
  readonly #mail = new MailTable();
  readonly #devices = new KnownDeviceTable();
  readonly #table = new AccountTable();
  readonly #audit = new SecurityEventTable();
  readonly #outbox = new OutboxTable();
  readonly #mutex = new Mutex();
  readonly #listeners = new Set<() => void>();
  readonly #clock: Clock;

  constructor(options: { clock?: Clock } = {}) {
    this.#clock = options.clock ?? SYSTEM_CLOCK;
    const table = this.#table;
    this.accounts = {
      findById: async (id) => {
        const key = rowKey(id);
        return key === null ? null : copy(table.get(key));
      },
      findByLogin: async (login) => {
        const name = normalizeLogin(login);
        const id = table.ownerOfNormalized('username', name) ?? table.ownerOfNormalized('email', name);
        return id === undefined ? null : copy(table.get(id));
      },
      search: async (query, limit) => searchRows(table.rows(), query, limit),
      deletedBefore: async (cutoff, limit) => deletedRows(table.rows(), cutoff, limit),
    };
    this.unitOfWork = { run: (work) => this.#run(work) };
    // One unit of work per batch; an account that clashes is refused before anything of it is staged.
    this.accountImport = {
      insertNew: (batch) =>
        this.#run(async (scope) => {
          const outcomes: ImportOutcome[] = [];
          for (const { account, events } of batch) {
            const key = rowKey(account.id);
            // An erased account's id is never given again: it counts as stored.
            if ((await scope.accounts.findById(account.id)) !== null || (key !== null && this.#table.isTombstone(key))) {
              outcomes.push('exists');
              continue;
            }
            try {
              await scope.accounts.insert(account);
            } catch (error) {
              if (isDomainError(error) && (error.code === 'USERNAME_TAKEN' || error.code === 'EMAIL_TAKEN' || error.code === 'AUTHOR_TAKEN')) {
                outcomes.push(error.code);
                continue;
              }
              throw error;
            }
            await scope.outbox.append(events);
            outcomes.push('inserted');
          }
          return outcomes;
        }),
    };
    this.securityEvents = {
      list: async (query) => this.#audit.list(query),
      prune: async (olderThan, batchSize) => this.#audit.prune(olderThan.getTime(), batchSize),
    };
    this.relayStore = {
      processBatch: (limit, publish) => this.#processBatch(limit, publish),
      stats: async (now: Date): Promise<OutboxStats> => this.#outbox.stats(now),
      prunePublished: async (olderThan, batchSize) => this.#outbox.prunePublished(olderThan.getTime(), batchSize),
      onAppended: async (listener) => {
        // Wrap so the same function subscribed twice is two subscriptions.
        const entry = () => listener();
        this.#listeners.add(entry);
        return async () => {
          this.#listeners.delete(entry);
        };
      },
    };
    this.mailStore = {
      processBatch: (limit, deliver, now) => this.#processMailBatch(limit, deliver, now),
      stats: async (now) => this.#mail.stats(now),
      list: async (limit) => this.#mail.list(limit),
      pruneSent: async (olderThan, batchSize) => this.#mail.pruneSent(olderThan.getTime(), batchSize),
    };
  }

  async #processMailBatch(limit: number, deliver: (mails: readonly PendingMail[]) => Promise<MailBatchOutcome>, now: Date): Promise<number> {
    const { rows, mails } = this.#mail.claim(limit, now.getTime());
    if (rows.length === 0) return 0;
    let outcome: MailBatchOutcome;
    try {
      outcome = await deliver(mails);
    } catch (error) {
      this.#mail.settle(rows, null, this.#clock.now().getTime());
      throw error;
    }
    this.#mail.settle(rows, outcome, this.#clock.now().getTime());
    return rows.length;
  }

  /** The last publish error recorded for an outbox event (diagnostics; not part of any port). */
  lastOutboxError(eventId: string): string | null | undefined {
    return this.#outbox.lastErrorOf(eventId);
  }

  async #run<T>(work: (scope: TransactionScope) => Promise<T>): Promise<T> {
    let appended = false;
    const result = await this.#mutex.runExclusive(async () => {
      const staged = new StagedAccounts(this.#table);
      const events: OutboxEvent[] = [];
      const mails: OutgoingMail[] = [];
      const tokenFork = this.#tokens.fork();
      const audited: SecurityEvent[] = [];
      const stagedDevices = this.#devices.stage();
      /** Deletions and scrubs of committed rows, applied only if the unit of work commits. */
      const onCommit: (() => void)[] = [];
      let open = true;
      const guard = () => {
        if (!open) throw new Error('unit of work scope used after its unit of work ended');
      };
      const accounts: AccountReader & AccountWriter = {
        findById: async (id) => {
          const key = rowKey(id);
          return key === null ? null : copy(staged.get(key));
        },
        findByLogin: async (login) => {
          const name = normalizeLogin(login);
          const id = staged.ownerOfNormalized('username', name) ?? staged.ownerOfNormalized('email', name);
          return id === undefined ? null : copy(staged.get(id));
        },
        search: async (query, limit) => searchRows(staged.rows(), query, limit),
        deletedBefore: async (cutoff, limit) => deletedRows(staged.rows(), cutoff, limit),
        insert: async (account) => {
          guard();
          const id = rowKey(account.id);
          if (id === null) throw new Error(`account id ${account.id} is not a UUID`);
          if (staged.isTaken(id)) throw new Error(`account ${id} already exists or was erased`);
          const row = { ...account, id };
          staged.assertUnique(row);
          staged.put(row);
        },
        update: async (id, patch, updatedAt) => {
          guard();
          const key = rowKey(id);
          const current = key === null ? undefined : staged.get(key);
          if (!current) return null;
          const next = applyPatch(current, patch, updatedAt);
          staged.assertUnique(next);
          staged.put(next);
          return copy(next);
        },
        // Units of work run one at a time here, so every row is as good as locked already.
        lockAdmins: async () => {
          guard();
          return staged.idsWithRole('ADMIN');
        },
        erase: async (id, deletedBefore) => {
          guard();
          const key = rowKey(id);
          const current = key === null ? undefined : staged.get(key);
          if (key === null || current === undefined || current.deletedAt === null || current.deletedAt.getTime() > deletedBefore.getTime()) return null;
          staged.erase(key);
          tokenFork.removeAccount(key);
          onCommit.push(() => this.#mail.removeAccount(key));
          return copy(current);
        },
      };
      const outbox = {
        append: async (more: readonly OutboxEvent[]) => {
          guard();
          events.push(...more.map((event) => structuredClone(event)));
        },
        forgetPublished: async (key: string) => {
          guard();
          onCommit.push(() => this.#outbox.forgetPublished(key));
          return this.#outbox.publishedWithKey(key);
        },
      };
      const tokens = {
        issue: async (token: Parameters<TokenTable['issue']>[0]) => {
          guard();
          tokenFork.issue(token);
        },
        redeem: async (...args: Parameters<TokenTable['redeem']>) => {
          guard();
          return tokenFork.redeem(...args);
        },
        voidAll: async (...args: Parameters<TokenTable['voidAll']>) => {
          guard();
          return tokenFork.voidAll(...args);
        },
      };
      const mail = {
        enqueue: async (more: readonly OutgoingMail[]) => {
          guard();
          mails.push(...more.map((entry) => structuredClone(entry)));
        },
      };
      const securityEvents = {
        append: async (more: readonly SecurityEvent[]) => {
          guard();
          audited.push(...more.map((event) => structuredClone(event)));
        },
        anonymize: async (accountId: string, loginHashes: readonly string[]) => {
          guard();
          onCommit.push(() => this.#audit.anonymize(accountId, loginHashes));
        },
      };
      const devices = {
        remember: async (accountId: string, fingerprint: string) => {
          guard();
          return stagedDevices.remember(accountId, fingerprint);
        },
      };
      try {
        const value = await work({ accounts, outbox, tokens, mail, securityEvents, devices });
        staged.commit();
        stagedDevices.commit();
        this.#tokens.adopt(tokenFork);
        this.#mail.append(mails);
        this.#outbox.append(events);
        this.#audit.append(audited);
        // After the appends: an erasure scrubs the events written with it too.
        for (const apply of onCommit) apply();
        appended = events.length > 0;
        return value;
      } finally {
        open = false;
      }
    });
    if (appended) this.#notifyAppended();
    return result;
  }

  async #processBatch(limit: number, publish: (events: readonly PendingEvent[]) => Promise<BatchOutcome>): Promise<number> {
    const { rows, events } = this.#outbox.claim(limit, this.#clock.now().getTime());
    if (rows.length === 0) return 0;
    let outcome: BatchOutcome;
    try {
      outcome = await publish(events);
    } catch (error) {
      this.#outbox.settle(rows, null, this.#clock.now().getTime());
      throw error;
    }
    this.#outbox.settle(rows, outcome, this.#clock.now().getTime());
    return rows.length;
  }

  #notifyAppended(): void {
    for (const listener of this.#listeners) {
      // Best effort, and a throwing listener must not fail the committed unit of work or starve the others.
      queueMicrotask(() => {
        try {
          listener();
        } catch {
          // ignored: the relay's poll covers a lost wake-up
        }
      });
    }
  }
}
