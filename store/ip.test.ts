import { describe, expect, it } from 'vitest';
import { cidrBounds, ipKey } from './ip.ts';

describe('ipKey', () => {
  it('maps IPv4 into IPv6 and orders by address', () => {
    expect(ipKey('10.0.0.9')).toBe('00000000000000000000ffff0a000009');
    expect((ipKey('10.0.0.9') as string) < (ipKey('10.0.0.10') as string)).toBe(true);
    expect(ipKey('::ffff:10.0.0.9')).toBe(ipKey('10.0.0.9'));
  });

  it('gives one key to every spelling of an IPv6 address', () => {
    expect(ipKey('::1')).toBe(ipKey('0:0:0:0:0:0:0:1'));
    expect(ipKey('2001:DB8::1')).toBe(ipKey('2001:db8:0:0:0:0:0:1'));
    expect(ipKey('fe80::1%eth0')).toBe(ipKey('fe80::1'));
  });

  it.each(['', '10.0.0', '10.0.0.256', '01.2.3.4', '1::2::3', '1:2:3:4:5:6:7:8:9', 'gggg::1', 'web-1'])('refuses %j', (text) => {
    expect(ipKey(text)).toBeUndefined();
  });
});

describe('cidrBounds', () => {
  it.each([
    ['10.0.0.0/8', { first: '10.0.0.0', last: '10.255.255.255' }],
    ['10.1.2.3/24', { first: '10.1.2.0', last: '10.1.2.255' }],
    ['192.168.1.7/32', { first: '192.168.1.7', last: '192.168.1.7' }],
    ['0.0.0.0/0', { first: '0.0.0.0', last: '255.255.255.255' }],
    ['2001:db8::/32', { first: '2001:db8:0:0:0:0:0:0', last: '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff' }],
  ])('%s', (text, bounds) => {
    expect(cidrBounds(text)).toEqual(bounds);
  });

  it.each(['10.0.0.0', '10.0.0.0/33', '10.0.0/8', 'x/8', '10.0.0.0/', '::/129'])('refuses %s', (text) => {
    expect(cidrBounds(text)).toBeUndefined();
  });
});
