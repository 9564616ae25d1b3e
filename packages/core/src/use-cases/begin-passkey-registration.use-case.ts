import { authorizeCaller } from '../auth/authorization.rules.js';
import type { Caller } from '../auth/principal.model.js';
import type { AuthServiceDependencies } from '../service/auth-service.config.js';
import { requireAccount } from './account-lookup.service.js';
import type { PasskeyCeremonies } from './passkey-ceremonies.service.js';

export interface BeginPasskeyRegistrationInput {
  id: string;
}
export interface BeginPasskeyRegistrationOutput {
  /** JSON of PublicKeyCredentialCreationOptions, for `navigator.credentials.create()` (startRegistration in the browser library). */
  options: string;
}

/**
 * Starts registering a passkey for the caller's own account: creation options with a single-use challenge (lives
 * mfa.ticketTtl), a discoverable credential asked for (so it also signs in without a password), the account's
 * passkeys excluded.
 */
export class BeginPasskeyRegistration {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'accounts' | 'secondFactors' | 'clock'>,
    private readonly passkeys: PasskeyCeremonies,
  ) {}

  async execute(caller: Caller, input: BeginPasskeyRegistrationInput): Promise<BeginPasskeyRegistrationOutput> {
    authorizeCaller('BeginPasskeyRegistration', caller, input.id);
    const account = requireAccount(await this.deps.accounts.findById(input.id));
    const existing = await this.deps.secondFactors.passkeysOf(account.id);
    return { options: await this.passkeys.registrationOptions(account, existing, this.deps.clock.now()) };
  }
}
