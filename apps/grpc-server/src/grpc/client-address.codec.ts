import { BlockList, isIP, isIPv4 } from 'node:net';
import type { Metadata } from '@grpc/grpc-js';

/** The forwarded header a trusted proxy sets: `X-Forwarded-For` (most proxies) or RFC 7239 `Forwarded`. */
export type ForwardedHeader = 'x-forwarded-for' | 'forwarded';

/** An IP address in one spelling: IPv4-mapped IPv6 as IPv4, no brackets, no zone. Null when it is none. */
export function canonicalAddress(text: string): string | null {
  const address = text.trim().replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped && isIPv4(mapped[1]!)) return mapped[1]!;
  return isIP(address) === 0 ? null : address.toLowerCase();
}

/** The address of a grpc-js peer string (`1.2.3.4:5678`, `::1:5678`, `::ffff:1.2.3.4:5678`), or null (`unknown`, a unix socket). */
export function peerAddress(peer: string): string | null {
  const withoutPort = /^(.*):\d+$/.exec(peer)?.[1];
  return (withoutPort === undefined ? null : canonicalAddress(withoutPort)) ?? canonicalAddress(peer);
}

/** An address as a proxy writes it in a forwarded header: bare, `[v6]`, `[v6]:port`, `v4:port`, quoted (Forwarded). */
function hopAddress(text: string): string | null {
  const value = text.trim().replace(/^"(.*)"$/, '$1');
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) return canonicalAddress(bracketed[1]!);
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(value);
  return canonicalAddress(v4WithPort ? v4WithPort[1]! : value);
}

/** The hops a header lists, nearest the client first; null for a hop that is no address (`unknown`, an obfuscated name). */
export function forwardedHops(metadata: Metadata, header: ForwardedHeader): (string | null)[] {
  const values = metadata.get(header).filter((v): v is string => typeof v === 'string');
  const elements = values.flatMap((v) => v.split(',')).map((e) => e.trim()).filter((e) => e !== '');
  if (header === 'x-forwarded-for') return elements.map(hopAddress);
  return elements.map((element) => {
    const pair = element.split(';').map((p) => p.trim()).find((p) => p.toLowerCase().startsWith('for='));
    return pair === undefined ? null : hopAddress(pair.slice(4));
  });
}

/** Whether `entry` is an IP address or a CIDR range (`10.0.0.0/8`, `fd00::/8`). */
export function isAddressRange(entry: string): boolean {
  const [address, prefix, ...rest] = entry.trim().split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/** The trusted proxies as a set of ranges; every entry must pass isAddressRange. */
export function addressRanges(entries: readonly string[]): BlockList {
  const ranges = new BlockList();
  for (const entry of entries) {
    const [address, prefix] = entry.trim().split('/') as [string, string | undefined];
    const type = isIPv4(address) ? 'ipv4' : 'ipv6';
    const canonical = canonicalAddress(address) ?? address;
    if (prefix === undefined) ranges.addAddress(canonical, type);
    else ranges.addSubnet(canonical, Number(prefix), type);
  }
  return ranges;
}

/**
 * The client's address: the peer's, unless the peer is a trusted proxy. Then the forwarded header is read from the
 * right (the hop the trusted peer saw) leftwards, past every trusted proxy, and the first address that is not one is
 * the client. Anything left of it was written by the client itself and could be anything, so it is never read. A hop
 * that is no address stops the walk at the last trusted proxy: clients behind it share its count rather than choose
 * their own.
 */
export function clientAddressOf(peer: string, metadata: Metadata, trusted: BlockList, header: ForwardedHeader): string | undefined {
  const direct = peerAddress(peer);
  if (direct === null) return undefined;
  const isTrusted = (address: string) => trusted.check(address, isIPv4(address) ? 'ipv4' : 'ipv6');
  let client = direct;
  if (!isTrusted(client)) return client;
  const hops = forwardedHops(metadata, header);
  for (let i = hops.length - 1; i >= 0; i -= 1) {
    const hop = hops[i];
    if (hop === null || hop === undefined) return client;
    client = hop;
    if (!isTrusted(hop)) return hop;
  }
  return client;
}
