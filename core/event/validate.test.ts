import { describe, expect, it } from 'vitest';
import { validateEvent } from './validate.ts';
import { generateEvents } from '../../store/testing/dataset.ts';

const base = { '@timestamp': '2026-11-23T12:00:00.000Z', event: { id: 'e1' } };

describe('validateEvent', () => {
  it('accepts a minimal event unchanged', () => {
    expect(validateEvent({ ...base, message: 'hello' })).toEqual({ ok: true, event: { ...base, message: 'hello' } });
  });

  it('expands dotted keys into objects', () => {
    const result = validateEvent({ '@timestamp': base['@timestamp'], 'event.id': 'e2', 'host.name': 'web-1', host: { ip: '10.0.0.1' } });
    expect(result).toEqual({ ok: true, event: { '@timestamp': base['@timestamp'], event: { id: 'e2' }, host: { name: 'web-1', ip: '10.0.0.1' } } });
  });

  it('coerces values the way Elasticsearch does', () => {
    const result = validateEvent({ ...base, process: { pid: '4242', name: 7 }, http: { response: { status_code: 500 } }, labels: { build: 12 } });
    expect(result).toEqual({ ok: true, event: { ...base, process: { pid: 4242, name: '7' }, http: { response: { status_code: 500 } }, labels: { build: '12' } } });
  });

  it.each([
    [{ event: { id: 'x' } }, "field '@timestamp' is required (ISO 8601 date)"],
    [{ '@timestamp': '2026-11-23T12:00:00Z' }, "field 'event.id' is required (non-empty string)"],
    [{ ...base, '@timestamp': 'yesterday' }, `field '@timestamp': expected an ISO 8601 date such as 2026-11-23T12:00:00.000Z (date), got "yesterday"`],
    [{ ...base, process: { pid: 'abc' } }, `field 'process.pid': expected an integer (long), got "abc"`],
    [{ ...base, process: { pid: 1.5 } }, "field 'process.pid': expected an integer (long), got 1.5"],
    [{ ...base, source: { ip: '999.1.1.1' } }, `field 'source.ip': expected an IPv4 or IPv6 address (ip), got "999.1.1.1"`],
    [{ ...base, host: 'web-1' }, `field 'host' holds fields (such as 'host.name'), not a value; got "web-1"`],
    [{ ...base, message: { text: 'x' } }, "field 'message': expected a string (text), got an object"],
    [{ ...base, event: { id: 'x'.repeat(600) } }, "field 'event.id' is longer than 512 characters"],
  ])('refuses %j: %s', (input, reason) => {
    expect(validateEvent(input)).toEqual({ ok: false, reason });
  });

  it('refuses what is not an object', () => {
    expect(validateEvent([base])).toEqual({ ok: false, reason: 'an event must be a JSON object, got an array' });
  });

  it('keeps arrays of the field type, and checks each element', () => {
    expect(validateEvent({ ...base, tags: ['a', 'b'] })).toMatchObject({ ok: true });
    expect(validateEvent({ ...base, host: { ip: ['10.0.0.1', 'nope'] } })).toEqual({
      ok: false,
      reason: `field 'host.ip': expected an IPv4 or IPv6 address (ip), got "nope"`,
    });
  });
});

describe('validateEvent on events already normal', () => {
  // An input with an undefined member is never taken as it is, so it takes the copying walk:
  // both walks must give the same answer for every input.
  const copied = (input: Record<string, unknown>) => validateEvent({ ...input, unset: undefined });
  const samples: Record<string, unknown>[] = [
    ...generateEvents(2000, 7),
    { ...base, labels: { team: 'a', build: 12 } },
    { ...base, labels: { tags: ['a', 'b'] } },
    { ...base, tags: ['a', 'b'], host: { name: ['web-1', 'web-2'] } },
    { ...base, host: { name: [null] } },
    { ...base, log: { syslog: { structured_data: [{ a: 1 }] } } },
    { ...base, custom: { nested: [[1], [2]] } },
    { ...base, custom: { deep: { value: true, list: [1, 'a'] } } },
    { ...base, 'host.name': 'dotted' },
    { ...base, process: { pid: '12' } },
    { ...base, source: { ip: 'not an ip' } },
  ];

  it('give the same answer as the copying walk', () => {
    samples.forEach((sample, i) => expect(validateEvent(sample), `sample ${i}`).toEqual(copied(sample)));
  });

  it('hands a normal event back as it is, without copying it', () => {
    const event = { ...base, host: { name: 'web-1' }, message: 'hello' };
    const result = validateEvent(event);
    expect(result.ok && result.event).toBe(event);
  });
});
