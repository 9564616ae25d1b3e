import type { PublicProfile } from '../domain/account.model.js';
import { toPublicProfile } from '../domain/account.model.js';
import { authorize } from '../auth/authorization.rules.js';
import type { Caller } from '../auth/principal.model.js';
import type { AccountEventFactory } from '../events/account-event.factory.js';
import type { AuthServiceDependencies } from '../service/auth-service.config.js';
import type { UpdateArtistInput } from '../service/auth-service.types.js';
import { validateArtistPatch } from '../validation/account-input.rules.js';
import type { AttemptLimiter } from './attempt-limiter.service.js';
import { updateAccountWithEvent } from './profile-update.service.js';

export type { UpdateArtistInput };
export type UpdateArtistOutput = PublicProfile;

/** Changes only the fields present, for the artist itself or an admin; writes `artist.updated` with the change. */
export class UpdateArtist {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'unitOfWork' | 'clock'>,
    private readonly events: AccountEventFactory,
    private readonly attempts: AttemptLimiter,
  ) {}

  async execute(caller: Caller, input: UpdateArtistInput, signal?: AbortSignal): Promise<UpdateArtistOutput> {
    authorize('UpdateArtist', caller, input.id);
    const patch = validateArtistPatch(input);
    const updated = await updateAccountWithEvent(this.deps.unitOfWork, this.events, this.attempts, input.id, 'artist', patch, this.deps.clock.now(), signal);
    return toPublicProfile(updated);
  }
}
