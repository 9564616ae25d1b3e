import type { Interceptor } from './call-context.types.js';
import { addressRanges, clientAddressOf, type ForwardedHeader } from './client-address.codec.js';

/** Where the client address of a call comes from (grpc.trustedProxies, grpc.clientAddressHeader). */
export interface ClientAddressOptions {
  /** IP addresses or CIDR ranges of the proxies whose forwarded header is believed; none by default. */
  trustedProxies: readonly string[];
  /** The header those proxies set. */
  header: ForwardedHeader;
}

export const DEFAULT_CLIENT_ADDRESS_OPTIONS: ClientAddressOptions = { trustedProxies: [], header: 'x-forwarded-for' };

/**
 * Puts the client's address into the call (core limits logins and registrations per address): the peer's, or, when
 * the peer is a trusted proxy, the one its forwarded header names. With no trusted proxy (the default) a forwarded
 * header is ignored, so a client cannot choose the address it is counted under. The user agent comes along (shown in
 * ListSessions; the client chooses it freely, so it is only ever displayed, never trusted).
 */
export function clientAddress(options: ClientAddressOptions = DEFAULT_CLIENT_ADDRESS_OPTIONS): Interceptor {
  const trusted = addressRanges(options.trustedProxies);
  return (next) => async (call) => {
    const userAgent = call.metadata.get('user-agent')[0];
    return next({
      ...call,
      clientAddress: clientAddressOf(call.transport.getPeer(), call.metadata, trusted, options.header),
      userAgent: typeof userAgent === 'string' ? userAgent : undefined,
    });
  };
}
