import type { Account } from '../domain/account.model.js';
import { deviceFingerprint, type SignInDevice } from '../domain/known-device.model.js';
import type { AuthServiceDependencies } from '../service/auth-service.config.js';

/**
 * Remembers the devices each account signs in from (user agent and network prefix, see deviceFingerprint) and, when
 * a sign-in comes from one never seen for the account, queues a `new-device` mail to the account's address through
 * the mail outbox, in the same unit of work as the device's row: a device is mailed about once.
 *
 * Not mailed: the account's first device (every account has one; turning the setting on does not mail every
 * account at its next sign-in), and an address that is not verified (it may not be the account holder's: an
 * attacker could register a victim's address and sign in from many devices to mail them).
 *
 * A sign-in never fails for its notice: the session exists already, and a mail that could not be queued is worth
 * less than the sign-in. The failure goes to `onFailure` (a log line).
 */
export class NewDeviceNotifier {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'unitOfWork' | 'ids'>,
    private readonly onFailure: (error: unknown) => void = () => undefined,
  ) {}

  async signedIn(account: Account, device: SignInDevice, now: Date): Promise<void> {
    try {
      await this.deps.unitOfWork.run(async (scope) => {
        const sighting = await scope.devices.remember(account.id, deviceFingerprint(device), now);
        if (sighting !== 'new' || account.emailVerifiedAt === null) return;
        await scope.mail.enqueue([
          {
            id: this.deps.ids.uuid(),
            kind: 'new-device',
            to: account.email,
            accountId: account.id,
            username: account.username,
            sealedToken: null,
            newEmail: null,
            device: { userAgent: device.userAgent, clientAddress: device.clientAddress },
            createdAt: now,
          },
        ]);
      });
    } catch (error) {
      this.onFailure(error);
    }
  }
}
