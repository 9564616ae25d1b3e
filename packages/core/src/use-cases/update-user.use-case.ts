import type { PublicProfile } from '../domain/account.model.js';
import { toPublicProfile } from '../domain/account.model.js';
import { authorize } from '../auth/authorization.rules.js';
import type { Caller } from '../auth/principal.model.js';
import type { AccountEventFactory } from '../events/account-event.factory.js';
import type { AuthServiceDependencies } from '../service/auth-service.config.js';
import type { UpdateUserInput } from '../service/auth-service.types.js';
import { validateUserPatch } from '../validation/account-input.rules.js';
import type { AttemptLimiter } from './attempt-limiter.service.js';
import { updateAccountWithEvent } from './profile-update.service.js';

export type { UpdateUserInput };
export type UpdateUserOutput = PublicProfile;

/** Changes only the fields present, for the user itself or an admin; writes `user.updated` with the change. */
export class UpdateUser {
  constructor(
    private readonly deps: Pick<AuthServiceDependencies, 'unitOfWork' | 'clock'>,
    private readonly events: AccountEventFactory,
    private readonly attempts: AttemptLimiter,
  ) {}

  async execute(caller: Caller, input: UpdateUserInput, signal?: AbortSignal): Promise<UpdateUserOutput> {
    authorize('UpdateUser', caller, input.id);
    const patch = validateUserPatch(input);
    const updated = await updateAccountWithEvent(this.deps.unitOfWork, this.events, this.attempts, input.id, 'user', patch, this.deps.clock.now(), signal);
    return toPublicProfile(updated);
  }
}
