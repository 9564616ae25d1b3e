import type { PublicProfile } from '../domain/account.js';
import { toPublicProfile } from '../domain/account.js';
import { authorize } from '../auth/authorization.policy.js';
import type { Caller } from '../auth/principal.js';
import type { AccountEventFactory } from '../events/account-event.factory.js';
import type { AuthServiceDependencies } from '../service/auth-service.options.js';
import type { UpdateArtistInput } from '../service/auth-service.js';
import { validateArtistPatch } from '../validation/account-input.validator.js';
import { updateAccountWithEvent } from './profile-update.js';

export type { UpdateArtistInput };
export type UpdateArtistOutput = PublicProfile;

/** Changes only the fields present, for the artist itself or an admin; writes `artist.updated` with the change. */
export class UpdateArtist {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'unitOfWork' | 'clock'>,
    private readonly events: AccountEventFactory,
  ) {}

  async execute(caller: Caller, input: UpdateArtistInput, signal?: AbortSignal): Promise<UpdateArtistOutput> {
    authorize('UpdateArtist', caller, input.id);
    const patch = validateArtistPatch(input);
    const updated = await updateAccountWithEvent(this.deps.unitOfWork, this.events, input.id, 'artist', patch, this.deps.clock.now(), signal);
    return toPublicProfile(updated);
  }
}
