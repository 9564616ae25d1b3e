import { authorizeCaller } from '../auth/authorization.rules.js';
import type { Caller } from '../auth/principal.model.js';
import type { AuthServiceDependencies } from '../service/auth-service.config.js';

export interface ListPasskeysInput {
  id: string;
}
/** What ListPasskeys shows of a passkey: never its public key. */
export interface PasskeyInfo {
  credentialId: string;
  name: string | null;
  /** `multiDevice`: synced between devices (amr `swk`); `singleDevice`: bound to one authenticator (amr `hwk`). */
  deviceType: 'singleDevice' | 'multiDevice';
  backedUp: boolean;
  createdAt: Date;
  lastUsedAt: Date | null;
}
export interface ListPasskeysOutput {
  passkeys: PasskeyInfo[];
}

/** The caller's passkeys, oldest first. */
export class ListPasskeys {
  constructor(private readonly deps: Pick<AuthServiceDependencies, 'secondFactors'>) {}

  async execute(caller: Caller, input: ListPasskeysInput): Promise<ListPasskeysOutput> {
    authorizeCaller('ListPasskeys', caller, input.id);
    const passkeys = await this.deps.secondFactors.passkeysOf(input.id);
    return {
      passkeys: passkeys.map((p) => ({ credentialId: p.credentialId, name: p.name, deviceType: p.deviceType, backedUp: p.backedUp, createdAt: p.createdAt, lastUsedAt: p.lastUsedAt })),
    };
  }
}
