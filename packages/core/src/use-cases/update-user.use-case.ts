import type { PublicProfile } from '../domain/account.js';
import { toPublicProfile } from '../domain/account.js';
import { authorize } from '../auth/authorization.policy.js';
import type { Caller } from '../auth/principal.js';
import type { AccountEventFactory } from '../events/account-event.factory.js';
import type { AuthServiceDependencies } from '../service/auth-service.options.js';
import type { UpdateUserInput } from '../service/auth-service.js';
import { validateUserPatch } from '../validation/account-input.validator.js';
import { updateAccountWithEvent } from './profile-update.js';

export type { UpdateUserInput };
export type UpdateUserOutput = PublicProfile;

/** Changes only the fields present, for the user itself or an admin; writes `user.updated` with the change. */
export class UpdateUser {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'unitOfWork' | 'clock'>,
    private readonly events: AccountEventFactory,
  ) {}

  async execute(caller: Caller, input: UpdateUserInput, signal?: AbortSignal): Promise<UpdateUserOutput> {
    authorize('UpdateUser', caller, input.id);
    const patch = validateUserPatch(input);
    const updated = await updateAccountWithEvent(this.deps.unitOfWork, this.events, input.id, 'user', patch, this.deps.clock.now(), signal);
    return toPublicProfile(updated);
  }
}
