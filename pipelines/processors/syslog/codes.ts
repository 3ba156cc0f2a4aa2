/** Syslog facility and severity codes (RFC 5424 section 6.2.1) and how severities map to log levels. */
import type { Level } from '../level.ts';

/** Facility names by code, as rsyslog and ECS examples spell them. */
export const facilityNames: readonly string[] = [
  'kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp', 'ntp', 'security', 'console', 'solaris-cron',
  'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7',
];

/** Severity keywords by code (RFC 5424 table 2). */
export const severityNames: readonly string[] = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'];

/** `log.level` by severity code. */
export const severityLevels: readonly Level[] = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'info', 'debug'];

/** The highest PRI: facility 23 (local7), severity 7. */
export const MAX_PRIORITY = 191;
