import type { ArtistAccount, PublicProfile } from '../domain/account.model.js';
import { toPublicProfile } from '../domain/account.model.js';
import type { AccountEventFactory } from '../events/account-event.factory.js';
import type { AuthServiceDependencies } from '../service/auth-service.config.js';
import type { RegisterArtistInput } from '../service/auth-service.types.js';
import { validateArtistRegistration } from '../validation/account-input.rules.js';
import { insertAccountWithEvent } from './account-registration.service.js';
import type { AttemptLimiter } from './attempt-limiter.service.js';

export type { RegisterArtistInput };
export type RegisterArtistOutput = PublicProfile;

/** Creates an artist account (role ARTIST) and its `artist.created` event. Anyone may call it, as often as RegisterUser allows. */
export class RegisterArtist {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'unitOfWork' | 'passwordHasher' | 'clock' | 'ids'>,
    private readonly events: AccountEventFactory,
    private readonly attempts: AttemptLimiter,
  ) {}

  async execute(input: RegisterArtistInput, signal?: AbortSignal, clientAddress?: string): Promise<RegisterArtistOutput> {
    const valid = validateArtistRegistration(input, this.deps.passwordHasher.maxPasswordBytes);
    const registration = await this.attempts.registration(clientAddress, this.deps.clock.now());
    const passwordHash = await registration.during(() => this.deps.passwordHasher.hash(valid.password, signal));
    // Read after the hash: the account (and its event's ce_time) dates from its commit, not from a hash tens of ms earlier.
    const now = this.deps.clock.now();
    const account: ArtistAccount = {
      id: this.deps.ids.uuid(),
      kind: 'artist',
      role: 'ARTIST',
      username: valid.username,
      email: valid.email,
      passwordHash,
      emailVerifiedAt: null,
      createdAt: now,
      updatedAt: now,
      disabled: null,
      deletedAt: null,
      author: valid.author,
      producer: valid.producer,
      country: valid.country,
      description: valid.description,
    };
    await insertAccountWithEvent(this.deps.unitOfWork, this.events, account, signal);
    return toPublicProfile(account);
  }
}
