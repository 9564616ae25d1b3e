import type { PublicProfile } from '../domain/account.model.js';
import { toPublicProfile } from '../domain/account.model.js';
import { authorize } from '../auth/authorization.rules.js';
import type { Caller } from '../auth/principal.model.js';
import type { AuthServiceDependencies } from '../service/auth-service.config.js';
import { requireAccount } from './account-lookup.service.js';

export interface GetUserInput {
  id: string;
}
export type GetUserOutput = PublicProfile;

/** A user's profile, for the user itself or an admin. An artist's id is not found here. */
export class GetUser {
  constructor(private readonly deps: Pick<AuthServiceDependencies, 'accounts'>) {}

  async execute(caller: Caller, input: GetUserInput): Promise<GetUserOutput> {
    authorize('GetUser', caller, input.id);
    return toPublicProfile(requireAccount(await this.deps.accounts.findById(input.id), 'user'));
  }
}
