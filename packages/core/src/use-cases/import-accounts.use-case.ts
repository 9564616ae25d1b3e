import type { FieldViolation } from '../errors/domain.errors.js';
import type { AccountEventFactory } from '../events/account-event.factory.js';
import type { AccountImportStore, ImportedAccount, ImportOutcome } from '../ports/account-import-store.port.js';
import type { Clock } from '../ports/clock.port.js';
import { throwIfAborted } from '../service/call-options.util.js';
import { validateImportedAccount, type ImportFields } from '../validation/account-import.rules.js';
import { FieldViolations } from '../validation/field-violations.errors.js';

/** One record of the input, with the line it starts on (for the report). */
export interface ImportRecord {
  line: number;
  /** The record's fields, or why the line could not be read at all. */
  fields: ImportFields | { unreadable: string };
}

/** A line that was not imported, and why (never the hash). */
export interface RejectedLine {
  line: number;
  /** The broken rules, or the clash with a stored account (`username`, `email` or `author` taken). */
  violations: readonly FieldViolation[];
}

export interface ImportAccountsInput {
  records: AsyncIterable<ImportRecord> | Iterable<ImportRecord>;
  /** Write `user.created` / `artist.created` for each inserted account, through the outbox; default false. */
  events?: boolean;
  /** Accounts per transaction; default 1000. */
  batchSize?: number;
  /** Told of each rejected line as soon as it is known. */
  onRejected?: (rejected: RejectedLine) => void;
}

export interface ImportAccountsOutput {
  read: number;
  inserted: number;
  /** Already stored under their id (a re-run): left unchanged. */
  existing: number;
  rejected: number;
}

const CLASH_FIELD: Record<Exclude<ImportOutcome, 'inserted' | 'exists'>, string> = {
  USERNAME_TAKEN: 'username',
  EMAIL_TAKEN: 'email',
  AUTHOR_TAKEN: 'author',
};

/**
 * Imports accounts with their existing password hashes (no hashing: the hashes are stored as they are, and a login
 * replaces one made otherwise than configured). Each record is validated like a registration; a record that fails, or
 * clashes with a stored account, is reported with its line and nothing of it is written. Batches of `batchSize`
 * accounts are written in one transaction each (AccountImportStore), with their events when asked. Idempotent by
 * id: a re-run skips the accounts already stored.
 */
export class ImportAccounts {
  constructor(
    private readonly deps: { store: AccountImportStore; clock: Clock },
    private readonly events: AccountEventFactory,
  ) {}

  async execute(input: ImportAccountsInput, signal?: AbortSignal): Promise<ImportAccountsOutput> {
    const batchSize = input.batchSize ?? 1000;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 5000) throw new RangeError(`batchSize must be 1..5000, got ${batchSize}`);
    const output: ImportAccountsOutput = { read: 0, inserted: 0, existing: 0, rejected: 0 };
    const reject = (line: number, violations: readonly FieldViolation[]): void => {
      output.rejected += 1;
      input.onRejected?.({ line, violations });
    };
    let batch: { line: number; item: ImportedAccount }[] = [];
    // One batch is written while the next one is read and validated: the store's round trips and the parsing overlap.
    let writing: Promise<void> = Promise.resolve();
    const write = async (lines: typeof batch): Promise<void> => {
      const outcomes = await this.deps.store.insertNew(lines.map(({ item }) => item));
      for (const [at, outcome] of outcomes.entries()) {
        if (outcome === 'inserted') output.inserted += 1;
        else if (outcome === 'exists') output.existing += 1;
        else reject(lines[at]!.line, [{ field: CLASH_FIELD[outcome], description: 'is taken by another account' }]);
      }
    };
    const flush = async (): Promise<void> => {
      await writing;
      if (batch.length === 0) return;
      throwIfAborted(signal);
      const lines = batch;
      batch = [];
      writing = write(lines);
      // Keep a failure from being reported as unhandled before the next flush awaits it.
      writing.catch(() => undefined);
    };

    try {
      for await (const record of input.records) {
        output.read += 1;
        if ('unreadable' in record.fields) {
          reject(record.line, [{ field: 'line', description: String(record.fields.unreadable) }]);
          continue;
        }
        const now = this.deps.clock.now();
        const valid = validateImportedAccount(record.fields, now);
        if (valid instanceof FieldViolations) {
          reject(record.line, valid.all());
          continue;
        }
        batch.push({ line: record.line, item: { account: valid, events: input.events ? [this.events.created(valid, now)] : [] } });
        if (batch.length >= batchSize) await flush();
      }
    } catch (error) {
      // Nothing is left running behind the caller's back (it may close the store next).
      await writing.catch(() => undefined);
      throw error;
    }
    await flush();
    await writing;
    return output;
  }
}
