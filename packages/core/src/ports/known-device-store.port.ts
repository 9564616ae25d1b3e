import type { DeviceSighting } from '../domain/known-device.model.js';

/** The devices (fingerprints, see deviceFingerprint) each account signed in from; written inside a unit of work. */
export interface KnownDeviceStore {
  /** Records a sign-in of the account from `fingerprint` at `now`: `known` if seen before, else `first` when the account had no device yet, `new` otherwise. */
  remember(accountId: string, fingerprint: string, now: Date): Promise<DeviceSighting>;
}
