import type { Metadata } from '@grpc/grpc-js';
import type { Interceptor } from './call-context.types.js';
import { addressRanges, clientAddressOf, peerAddress, type ForwardedHeader } from './client-address.codec.js';

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
  const addressOf = options.trustedProxies.length === 0 ? peerAddresses() : (peer: string, metadata: Metadata) => clientAddressOf(peer, metadata, trusted, options.header);
  // Not async: it passes the inner steps' promise on as it is (see echoRequestId).
  return (next) => (call) => {
    const userAgent = call.metadata.get('user-agent')[0];
    return next({
      ...call,
      clientAddress: addressOf(call.transport.getPeer(), call.metadata),
      userAgent: typeof userAgent === 'string' ? userAgent : undefined,
    });
  };
}

/** Peers remembered at most; past it the table starts again (a peer is one connection, its calls come together). */
const MAX_PEERS = 1024;

/**
 * With no trusted proxy the client's address is the peer's (what clientAddressOf answers then), the same for every
 * call of a connection: parsed once per peer rather than by a handful of regular expressions on every call.
 */
function peerAddresses(): (peer: string) => string | undefined {
  const known = new Map<string, string | undefined>();
  return (peer) => {
    if (known.has(peer)) return known.get(peer);
    const address = peerAddress(peer) ?? undefined;
    if (known.size >= MAX_PEERS) known.clear();
    known.set(peer, address);
    return address;
  };
}
