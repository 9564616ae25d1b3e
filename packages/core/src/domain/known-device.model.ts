import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import { expandIPv6 } from '../validation/attempt-limits.rules.js';

/** Where a sign-in came from, as a new-device notice shows it. */
export interface SignInDevice {
  /** The client's user agent (cleaned), null when the call had none. */
  userAgent: string | null;
  /** The client's address, null when the call had none. */
  clientAddress: string | null;
}

/** Whether an account had signed in from a device before: `first` is the account's first device ever recorded. */
export type DeviceSighting = 'known' | 'new' | 'first';

/**
 * The network a client address belongs to: an IPv4 address's /24, an IPv6 address's /48 (an IPv4-mapped one as
 * IPv4), `none` without an address, anything else as given. A device moving inside its provider's network (a new
 * DHCP lease, a new IPv6 privacy address) stays the same device; another network is another device.
 */
export function networkPrefix(clientAddress: string | null): string {
  if (clientAddress === null || clientAddress.trim() === '') return 'none';
  const address = clientAddress.trim().replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  if (isIPv4(address)) return `${address.split('.').slice(0, 3).join('.')}.0/24`;
  if (!isIPv6(address)) return `other:${clientAddress}`;
  const groups = expandIPv6(address);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) return `${groups[6]! >> 8}.${groups[6]! & 0xff}.${groups[7]! >> 8}.0/24`;
  return `${groups.slice(0, 3).map((g) => g.toString(16)).join(':')}::/48`;
}

/**
 * The device of a sign-in as the known-device store keeps it: a SHA-256 digest of the user agent and the network
 * prefix (address family included), so the table holds neither, and every key has the same length.
 */
export function deviceFingerprint(device: SignInDevice): string {
  return createHash('sha256').update(JSON.stringify([device.userAgent ?? '', networkPrefix(device.clientAddress)])).digest('base64url');
}
