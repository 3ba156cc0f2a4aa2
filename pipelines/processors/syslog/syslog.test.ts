import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../core/event/types.ts';
import { optionErrorOf, runProcessor, stored } from '../../testing/harness.ts';

// The harness's "now" is 2026-11-23T12:00:00Z: RFC 3164 dates up to a day after it are this year's.
const parse = (line: string, options: JsonObject = {}, extra: JsonObject = {}) => stored(runProcessor('syslog', options, { message: line, ...extra }));

describe('syslog: RFC 3164', () => {
  it('parses a /var/log line without PRI: host, TAG with pid, year inferred, trailing spaces and CR cut', () => {
    expect(parse('Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; rhost=218.188.2.4 \r')).toEqual({
      '@timestamp': '2026-06-14T15:16:01.000Z',
      message: 'authentication failure; rhost=218.188.2.4',
      host: { name: 'combo' },
      process: { name: 'sshd(pam_unix)', pid: 19939 },
      log: { syslog: { hostname: 'combo', appname: 'sshd(pam_unix)', procid: '19939' } },
    });
  });

  it('takes a date after "now" for last year, and a fixed year when configured', () => {
    expect(parse('Dec 24 10:00:00 h cron: x')?.['@timestamp']).toBe('2025-12-24T10:00:00.000Z');
    expect(parse('Nov 24 11:59:59 h cron: x')?.['@timestamp']).toBe('2026-11-24T11:59:59.000Z');
    expect(parse('Dec 24 10:00:00 h cron: x', { year: 2005 })?.['@timestamp']).toBe('2005-12-24T10:00:00.000Z');
  });

  it('reads PRI into facility, severity, log.level and event.severity', () => {
    expect(parse("<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8")).toEqual({
      '@timestamp': '2026-10-11T22:14:15.000Z',
      message: "'su root' failed for lonvick on /dev/pts/8",
      host: { name: 'mymachine' },
      process: { name: 'su' },
      log: { level: 'critical', syslog: { priority: 34, facility: { code: 4, name: 'auth' }, severity: { code: 2, name: 'crit' }, hostname: 'mymachine', appname: 'su' } },
      event: { severity: 2 },
    });
  });

  it('handles single-digit days, fractions, RFC 3339 stamps, TAGs with a space and no hostname', () => {
    expect(parse('Jul  3 04:08:03 combo syslogd 1.4.1: restart.')).toMatchObject({ '@timestamp': '2026-07-03T04:08:03.000Z', process: { name: 'syslogd 1.4.1' }, message: 'restart.' });
    expect(parse('Jul  7 08:06:15 combo  -- root[2421]: ROOT LOGIN ON tty2')).toMatchObject({ host: { name: 'combo' }, process: { name: '-- root', pid: 2421 }, message: 'ROOT LOGIN ON tty2' });
    expect(parse('Mar  1 18:48:50.483 router1 sshd[7]: ok')).toMatchObject({ '@timestamp': '2026-03-01T18:48:50.483Z' });
    expect(parse('2026-01-15T10:00:00.123456+01:00 web-1 CRON[99]: (root) CMD (true)')).toMatchObject({
      '@timestamp': '2026-01-15T09:00:00.123Z',
      host: { name: 'web-1' },
      process: { name: 'CRON', pid: 99 },
      message: '(root) CMD (true)',
    });
    expect(parse('<13>Feb  5 17:32:18 kernel: [ 12.5] eth0: link up')).toMatchObject({ process: { name: 'kernel' }, message: '[ 12.5] eth0: link up' });
    expect(parse('<13>Feb  5 17:32:18 host Connection closed: by peer')).toEqual(expect.objectContaining({ message: 'Connection closed: by peer' }));
    expect(parse('<13>Feb  5 17:32:18 host Connection closed: by peer')?.['process']).toBeUndefined();
  });

  it('takes the zone from event.timezone (the syslog input sets it), else the timezone option', () => {
    expect(parse('Jun 14 15:16:01 h a: b', {}, { event: { timezone: 'Europe/Paris' } })?.['@timestamp']).toBe('2026-06-14T13:16:01.000Z');
    expect(parse('Jun 14 15:16:01 h a: b', { timezone: '+02:00' })?.['@timestamp']).toBe('2026-06-14T13:16:01.000Z');
    expect(parse('Jun 14 15:16:01 h a: b', {}, { event: { timezone: 'Nowhere/Else' } })?.['@timestamp']).toBe('2026-06-14T15:16:01.000Z');
  });

  it('keeps PRI-only messages: the rest is the message, after a TAG if there is one', () => {
    expect(parse('<14>myapp[5]: no timestamp here')).toMatchObject({ process: { name: 'myapp', pid: 5 }, message: 'no timestamp here', log: { level: 'info' } });
    expect(parse('<14>just text')).toMatchObject({ message: 'just text', log: { syslog: { priority: 14 } } });
  });
});

describe('syslog: RFC 5424', () => {
  it('parses the RFC example with structured data and a BOM', () => {
    const line = '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"] \uFEFFAn application event log entry...';
    expect(parse(line)).toEqual({
      '@timestamp': '2003-10-11T22:14:15.003Z',
      message: 'An application event log entry...',
      host: { name: 'mymachine.example.com' },
      process: { name: 'evntslog' },
      log: {
        level: 'notice',
        syslog: {
          priority: 165,
          version: '1',
          facility: { code: 20, name: 'local4' },
          severity: { code: 5, name: 'notice' },
          hostname: 'mymachine.example.com',
          appname: 'evntslog',
          msgid: 'ID47',
          structured_data: { 'exampleSDID@32473': { iut: '3', eventSource: 'Application', eventID: '1011' } },
        },
      },
      event: { severity: 5 },
    });
  });

  it('unescapes \\" \\\\ and \\] in values, keeps other backslashes, reads several elements and nil fields', () => {
    const line = String.raw`<14>1 - - - - - [a x="q\"uote" y="back\\slash" z="br\]acket" w="c:\temp"][b@1] hi`;
    expect(parse(line)).toMatchObject({
      message: 'hi',
      log: { syslog: { structured_data: { a: { x: 'q"uote', y: 'back\\slash', z: 'br]acket', w: 'c:\\temp' }, 'b@1': {} } } },
    });
    expect(parse(line)?.['@timestamp']).toBeUndefined();
    expect(parse('<14>1 2026-01-01T00:00:00+02:00 h app 12ab - -')).toMatchObject({ '@timestamp': '2025-12-31T22:00:00.000Z', message: '', log: { syslog: { procid: '12ab' } } });
    expect(parse('<14>1 2026-01-01T00:00:00+02:00 h app 12ab - -')?.['process']).toEqual({ name: 'app' });
  });

  it('tags broken headers instead of guessing', () => {
    for (const line of ['<14>1 2026-01-01T00:00:00Z h app - - [unterminated x="1"', '<14>1 yesterday h app - - - m', '<14>1 2026-01-01T00:00:00Z h app - - oops m']) {
      expect(parse(line), line).toEqual({ message: line, tags: ['_syslog_parse_failure'] });
    }
  });
});

describe('syslog: not syslog', () => {
  it('keeps the text in message with the tag, without a failure', () => {
    for (const line of ['hello world', '2015-07-29 17:41:44,747 - INFO  [main] - x', '<999>Oct 11 22:14:15 h a: b', '<x>Oct 11', '']) {
      expect(parse(line), line).toEqual({ message: line, tags: ['_syslog_parse_failure'] });
    }
    expect(parse('nope', { failure_tag: 'not_syslog' }, { tags: ['x'] })).toEqual({ message: 'nope', tags: ['x', 'not_syslog'] });
  });

  it('refuses an unknown time zone at load', () => {
    expect(optionErrorOf('syslog', { timezone: 'Europe/Pari' })).toContain("processors[0].syslog.timezone: unknown time zone 'Europe/Pari' (did you mean 'Europe/Paris'?)");
  });
});
