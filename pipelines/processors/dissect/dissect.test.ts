import { describe, expect, it } from 'vitest';
import { optionErrorOf, runProcessor, stored } from '../../testing/harness.ts';

describe('dissect', () => {
  it('splits on literal delimiters into (dotted) fields; the last key takes the rest', () => {
    const event = runProcessor('dissect', { pattern: '%{source.ip} - %{user.name} [%{timestamp}] "%{http.request.method} %{url.original}" %{rest}' }, {
      message: '1.2.3.4 - bob [10/Oct/2000:13:55:36 -0700] "GET /a" 200 12',
    });
    expect(stored(event)).toEqual({
      message: '1.2.3.4 - bob [10/Oct/2000:13:55:36 -0700] "GET /a" 200 12',
      source: { ip: '1.2.3.4' },
      user: { name: 'bob' },
      timestamp: '10/Oct/2000:13:55:36 -0700',
      http: { request: { method: 'GET' } },
      url: { original: '/a' },
      rest: '200 12',
    });
  });

  it('skips keys, appends in order, pads repeated delimiters and takes keys from the text', () => {
    expect(stored(runProcessor('dissect', { field: 'f', pattern: '%{?skip} %{+name/2} %{+name/1}', append_separator: ' ' }, { f: 'x Doe John' }))).toEqual({ f: 'x Doe John', name: 'John Doe' });
    expect(stored(runProcessor('dissect', { field: 'f', pattern: '%{a->} %{b}' }, { f: 'left     right' }))).toEqual({ f: 'left     right', a: 'left', b: 'right' });
    expect(stored(runProcessor('dissect', { field: 'f', pattern: '%{*k}=%{&k}' }, { f: 'color=red' }))).toEqual({ f: 'color=red', color: 'red' });
  });

  it('fails when a delimiter is missing', () => {
    expect(stored(runProcessor('dissect', { field: 'f', pattern: '%{a}|%{b}' }, { f: 'no bar' }))).toEqual({
      f: 'no bar',
      error: { message: `dissect: pattern "%{a}|%{b}" does not match field 'f'` },
      tags: ['_pipeline_error'],
    });
  });

  it('refuses keys without a delimiter between them and dangling references at load', () => {
    expect(optionErrorOf('dissect', { pattern: '%{a}%{b}' })).toContain("processors[0].dissect.pattern: keys '%{a}' and '%{b}' need a delimiter between them");
    expect(optionErrorOf('dissect', { pattern: '%{&v} x' })).toContain("'%{&v}' has no matching '%{*v}'");
  });
});
