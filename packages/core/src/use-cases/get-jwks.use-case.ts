import type { JsonWebKeySet } from '../ports/access-tokens.port.js';
import type { AuthServiceDependencies } from '../service/auth-service.config.js';

export type GetJwksOutput = JsonWebKeySet;

/** The public keys that verify access tokens, for services that verify them locally. Anyone may call it. */
export class GetJwks {
  constructor(private readonly deps: Pick<AuthServiceDependencies, 'publicKeys'>) {}

  execute(): Promise<GetJwksOutput> {
    return this.deps.publicKeys.jwks();
  }
}
