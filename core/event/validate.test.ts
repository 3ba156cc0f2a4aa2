import { describe, expect, it } from 'vitest';
import { parseIsoDate, validateEvent } from './validate.ts';
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

describe('parseIsoDate', () => {
  const reference = (value: string) =>
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/.test(value) ? Date.parse(value) : Number.NaN;

  it('reads the canonical shapes as Date.parse does, edge values included', () => {
    for (const value of [
      '2026-11-23T12:00:00.000Z',
      '2026-11-23T12:00:00Z',
      '2026-02-30T00:00:00.000Z',
      '2024-02-29T24:00:00Z',
      '2026-01-01T24:00:00.001Z',
      '2026-01-01T23:59:60Z',
      '2026-13-01T00:00:00Z',
      '2026-01-00T00:00:00Z',
      '2026-01-01T00:60:00Z',
      '0099-01-01T00:00:00Z',
      '0999-12-31T23:59:59.999Z',
      '2026-01-01t00:00:00Z',
      '2026-01-01T00:00:00.00Z',
      '2026-01-01T00:00:00+02:00',
      '2026-01-01T00:00Z',
      '2026-1a-01T00:00:00.000Z',
      '1900-02-29T00:00:00Z',
      '2000-02-29T12:00:00Z',
      '2100-02-29T00:00:00Z',
      '1000-01-01T00:00:00.000Z',
      '1969-12-31T23:59:59.999Z',
      '9999-12-31T24:00:00Z',
    ]) {
      expect([value, parseIsoDate(value)]).toEqual([value, reference(value)]);
    }
  });

  it('agrees with Date.parse on 20,000 generated dates of the canonical shapes', () => {
    let seed = 42;
    const next = (below: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % below;
    };
    const pad = (value: number, width: number) => String(value).padStart(width, '0');
    for (let k = 0; k < 20_000; k++) {
      const fraction = next(2) === 0 ? '' : `.${pad(next(1000), 3)}`;
      const value = `${pad(next(10_000), 4)}-${pad(next(14), 2)}-${pad(next(33), 2)}T${pad(next(26), 2)}:${pad(next(62), 2)}:${pad(next(62), 2)}${fraction}Z`;
      expect([value, parseIsoDate(value)]).toEqual([value, reference(value)]);
    }
  });
});
