import type { Migration, MigrationProvider } from 'kysely/migration';
import * as accounts from './0001-accounts.migration.js';
import * as outbox from './0002-outbox.migration.js';
import * as authorFold from './0003-author-fold.migration.js';
import * as accountTokensAndMail from './0004-account-tokens-and-mail.migration.js';
import * as securityEvents from './0005-security-events.migration.js';
import * as accountLifecycle from './0006-account-lifecycle.migration.js';
import * as secondFactors from './0007-second-factors.migration.js';
import * as accountDeletion from './0008-account-deletion.migration.js';
import * as passkeys from './0009-passkeys.migration.js';
import * as knownDevices from './0010-known-devices.migration.js';

/**
 * The migrations, imported as modules rather than found by scanning a folder, so they run the same from
 * src (tests) and from dist (production). Names sort in the order they must run; never rename one.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001_accounts': accounts,
  '0002_outbox': outbox,
  '0003_author_fold': authorFold,
  '0004_account_tokens_and_mail': accountTokensAndMail,
  '0005_security_events': securityEvents,
  '0006_account_lifecycle': accountLifecycle,
  '0007_second_factors': secondFactors,
  '0008_account_deletion': accountDeletion,
  '0009_passkeys': passkeys,
  '0010_known_devices': knownDevices,
};

export class StaticMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return { ...MIGRATIONS };
  }
}
