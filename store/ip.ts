/**
 * IP addresses as order-preserving keys: 16 bytes in hex, IPv4 as IPv4-mapped IPv6
 * (`::ffff:a.b.c.d`), the way Elasticsearch's `ip` type stores them. Equal addresses written
 * differently (`::1`, `0:0:0:0:0:0:0:1`) get the same key, and keys sort in address order.
 */

/** The key of an address, or undefined when the text is not one. A zone (`%eth0`) is ignored. */
export function ipKey(text: string): string | undefined {
  const address = text.includes('%') ? text.slice(0, text.indexOf('%')) : text;
  if (!address.includes(':')) {
    const v4 = ipv4Bytes(address);
    return v4 && `00000000000000000000ffff${toHex(v4)}`;
  }
  const v6 = ipv6Groups(address);
  return v6 && v6.map((group) => group.toString(16).padStart(4, '0')).join('');
}

function ipv4Bytes(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return undefined;
    bytes.push(Number(part));
  }
  return bytes;
}

function ipv6Groups(text: string): number[] | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0] as string);
  const tail = halves.length === 2 ? parseGroups(halves[1] as string) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

/** Colon-separated groups; the last may be a dotted IPv4 address (two groups). */
function parseGroups(half: string): number[] | undefined {
  if (half === '') return [];
  const out: number[] = [];
  const groups = half.split(':');
  for (let i = 0; i < groups.length; i++) {
    const group = groups[i] as string;
    if (i === groups.length - 1 && group.includes('.')) {
      const v4 = ipv4Bytes(group);
      if (!v4) return undefined;
      out.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number));
    } else if (/^[0-9a-fA-F]{1,4}$/.test(group)) {
      out.push(Number.parseInt(group, 16));
    } else {
      return undefined;
    }
  }
  return out;
}

function toHex(bytes: number[]): string {
  return bytes.map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * The first and last address of a CIDR block (`10.0.0.0/8`, `2001:db8::/32`), as address text, or
 * undefined when the text is not one. A search for a block is a range over these two.
 */
export function cidrBounds(text: string): { first: string; last: string } | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = text.slice(0, slash);
  const prefix = text.slice(slash + 1);
  const v4 = !address.includes(':');
  const width = v4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > width) return undefined;
  const key = ipKey(address);
  if (key === undefined) return undefined;
  const value = BigInt(`0x${key}`);
  const hostMask = (1n << BigInt(width - Number(prefix))) - 1n;
  const first = value & ~hostMask;
  return { first: addressText(first, v4), last: addressText(first | hostMask, v4) };
}

/** An address from its 128-bit value: dotted for IPv4 (the low 32 bits), eight hex groups otherwise. */
function addressText(value: bigint, v4: boolean): string {
  if (v4) return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
  return Array.from({ length: 8 }, (_, i) => ((value >> BigInt(112 - 16 * i)) & 0xffffn).toString(16)).join(':');
}
