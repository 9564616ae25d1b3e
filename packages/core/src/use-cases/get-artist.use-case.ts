import type { PublicProfile } from '../domain/account.model.js';
import { toPublicProfile } from '../domain/account.model.js';
import { authorize } from '../auth/authorization.rules.js';
import type { Caller } from '../auth/principal.model.js';
import type { AuthServiceDependencies } from '../service/auth-service.config.js';
import { requireAccount } from './account-lookup.service.js';

export interface GetArtistInput {
  id: string;
}
export type GetArtistOutput = PublicProfile;

/** An artist's profile, for any signed-in account. A user's id is not found here. */
export class GetArtist {
  constructor(private readonly deps: Pick<AuthServiceDependencies, 'accounts'>) {}

  async execute(caller: Caller, input: GetArtistInput): Promise<GetArtistOutput> {
    authorize('GetArtist', caller, input.id);
    return toPublicProfile(requireAccount(await this.deps.accounts.findById(input.id), 'artist'));
  }
}
