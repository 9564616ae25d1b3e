import type { ArtistProfile, ArtistPublicProfile } from '../domain/account.model.js';
import { toArtistProfile, toArtistPublicProfile } from '../domain/account.model.js';
import { authorize } from '../auth/authorization.rules.js';
import type { Caller } from '../auth/principal.model.js';
import type { AuthServiceDependencies } from '../service/auth-service.config.js';
import { accountNotFound, requireAccount } from './account-lookup.service.js';

export interface GetArtistInput {
  id: string;
}

/** `full` for the artist itself and admins, `public` for every other signed-in account. */
export type GetArtistOutput = { view: 'full'; artist: ArtistProfile } | { view: 'public'; artist: ArtistPublicProfile };

/**
 * An artist's profile, for any signed-in account: the whole profile for the artist itself and admins, the public
 * view (no username, email, role or last-change time) for everyone else, so signing up as a listener does not
 * collect artists' contact data. A user's id is not found here, nor, for everyone but admins, a deleted artist.
 */
export class GetArtist {
  constructor(private readonly deps: Pick<AuthServiceDependencies, 'accounts'>) {}

  async execute(caller: Caller, input: GetArtistInput): Promise<GetArtistOutput> {
    const principal = authorize('GetArtist', caller, input.id);
    const artist = requireAccount(await this.deps.accounts.findById(input.id), 'artist');
    const entitled = principal !== null && (principal.role === 'ADMIN' || principal.accountId === artist.id);
    // A deleted artist is gone for everyone else already, though it is kept (restorable) until its erasure.
    if (!entitled && artist.deletedAt !== null) throw accountNotFound();
    return entitled ? { view: 'full', artist: toArtistProfile(artist) } : { view: 'public', artist: toArtistPublicProfile(artist) };
  }
}
