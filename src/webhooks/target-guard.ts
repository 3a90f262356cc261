import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** A webhook target longrun will not call: the message says which and why. */
export class TargetRefused extends Error {}

/** An address to connect to, checked against the private ranges. */
export interface CheckedAddress {
  address: string;
  family: 4 | 6;
}

const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local (cloud metadata)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['64:ff9b::', 96], // NAT64 (embeds IPv4)
  ['100::', 64], // discard
  ['2002::', 16], // 6to4 (embeds IPv4)
  ['fc00::', 7], // unique-local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  PRIVATE.addSubnet(network, prefix, 'ipv6');
}

/** IPv4-mapped (`::ffff:a.b.c.d` or `::ffff:7f00:1`) and IPv4-compatible IPv6 as the IPv4 inside. */
function embeddedIPv4(address: string): string | undefined {
  const lower = address.toLowerCase();
  const dotted = /^::(?:ffff:(?:0:)?)?(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1];
  const hex = /^::(?:ffff:(?:0:)?)?([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (!hex) return undefined;
  const high = Number.parseInt(hex[1]!, 16);
  const low = Number.parseInt(hex[2]!, 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return PRIVATE.check(address, 'ipv4');
  if (family !== 6) return true;
  const inner = embeddedIPv4(address);
  if (inner) return PRIVATE.check(inner, 'ipv4');
  return PRIVATE.check(address, 'ipv6');
}

/** Parses a target URL: absolute http(s), no credentials. */
export function parseTargetUrl(value: unknown): URL {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new TargetRefused(`Webhook URL ${JSON.stringify(value)} is not an absolute URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TargetRefused(`Webhook URL ${url.href} must use http or https.`);
  }
  if (url.username || url.password) {
    throw new TargetRefused(`Webhook URL ${url.origin} must not carry credentials.`);
  }
  return url;
}

/**
 * Resolves the target's host (every address) and refuses it when any address is private, loopback,
 * link-local, unique-local, CGNAT, multicast or unspecified, unless `allowPrivate`. Returns the
 * address to connect to, so a second resolution (DNS rebinding) cannot change it.
 */
export async function checkTarget(url: URL, allowPrivate: boolean): Promise<CheckedAddress> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: { address: string; family: number }[];
  try {
    addresses = isIP(host)
      ? [{ address: host, family: isIP(host) }]
      : await lookup(host, { all: true, verbatim: true });
  } catch {
    throw new TargetRefused(`Webhook host ${host} does not resolve; check the URL.`);
  }
  if (addresses.length === 0) throw new TargetRefused(`Webhook host ${host} has no address.`);
  if (!allowPrivate) {
    const bad = addresses.find((entry) => isPrivateAddress(entry.address));
    if (bad) {
      throw new TargetRefused(
        `Webhook host ${host} resolves to ${bad.address}, a private, loopback or otherwise internal address; use a public URL.`,
      );
    }
  }
  const first = addresses[0]!;
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}
