import type { DeviceSighting } from '../domain/known-device.model.js';

/** The committed known devices in memory: fingerprints by account. A unit of work stages its own (`stage`). */
export class KnownDeviceTable {
  readonly #byAccount = new Map<string, Set<string>>();

  /** A view for one unit of work: reads the committed rows and its own, writes only its own until `commit`. */
  stage(): { remember(accountId: string, fingerprint: string): DeviceSighting; commit(): void } {
    const added = new Map<string, Set<string>>();
    return {
      remember: (accountId, fingerprint) => {
        const committed = this.#byAccount.get(accountId);
        const mine = added.get(accountId) ?? new Set<string>();
        if (committed?.has(fingerprint) || mine.has(fingerprint)) return 'known';
        const first = (committed?.size ?? 0) + mine.size === 0;
        mine.add(fingerprint);
        added.set(accountId, mine);
        return first ? 'first' : 'new';
      },
      commit: () => {
        for (const [accountId, fingerprints] of added) {
          const committed = this.#byAccount.get(accountId) ?? new Set<string>();
          for (const fingerprint of fingerprints) committed.add(fingerprint);
          this.#byAccount.set(accountId, committed);
        }
      },
    };
  }
}
