/**
 * The catalogue of event fields Faultline knows by name: the ECS fields the pipelines write and the
 * query language types. It is the one source for the Elasticsearch index template, the embedded
 * store's field types, the event validator and docs/events.md.
 */
export const fieldTypes = ['date', 'keyword', 'text', 'long', 'double', 'ip', 'boolean', 'flattened', 'geo_point'] as const;
export type FieldType = (typeof fieldTypes)[number];

export interface FieldDefinition {
  type: FieldType;
  description: string;
  /** False for fields stored but not indexed (ECS `event.original`): queries on them are refused. */
  searchable?: boolean;
}

/** Keyword values longer than this are stored but not indexed (ECS's `ignore_above`). */
export const KEYWORD_IGNORE_ABOVE = 1024;

export const eventFields = {
  '@timestamp': { type: 'date', description: 'When the event happened (ISO 8601, UTC, millisecond precision at least).' },
  message: { type: 'text', description: 'The human message.' },
  tags: { type: 'keyword', description: 'Markers such as `_pipeline_error`, `_syslog_parse_failure`, `_truncated`.' },
  'ecs.version': { type: 'keyword', description: 'The ECS version the event follows.' },

  'event.id': { type: 'keyword', description: 'Unique id, assigned once where the event enters (see docs/events.md).' },
  'event.ingested': { type: 'date', description: 'When Faultline received the event.' },
  'event.created': { type: 'date', description: 'When the event was first read by an agent or pipeline.' },
  'event.dataset': { type: 'keyword', description: 'The kind of log, e.g. `nginx.access`, `system.syslog`.' },
  'event.module': { type: 'keyword', description: 'The module or pipeline family that produced it.' },
  'event.kind': { type: 'keyword', description: 'ECS kind: `event`, `alert`, `metric`, `state`, `pipeline_error`.' },
  'event.category': { type: 'keyword', description: 'ECS category, e.g. `authentication`, `web`.' },
  'event.type': { type: 'keyword', description: 'ECS type, e.g. `start`, `access`, `error`.' },
  'event.action': { type: 'keyword', description: 'The action captured, e.g. `ssh_login`.' },
  'event.outcome': { type: 'keyword', description: '`success`, `failure` or `unknown`.' },
  'event.severity': { type: 'long', description: 'Numeric severity: the syslog severity code (0 emergency .. 7 debug).' },
  'event.duration': { type: 'long', description: 'Duration in nanoseconds.' },
  'event.original': { type: 'keyword', description: 'The raw text as received (opt-in). Stored, not indexed.', searchable: false },

  'log.level': { type: 'keyword', description: 'Normalized lowercase level: trace, debug, info, notice, warning, error, critical, alert, emergency.' },
  'log.logger': { type: 'keyword', description: 'The logger name (Java class, Python module).' },
  'log.file.path': { type: 'keyword', description: 'The file the line was read from.' },
  'log.offset': { type: 'long', description: 'Byte offset of the line in that file.' },
  'log.origin.file.name': { type: 'keyword', description: 'Source file that emitted the log.' },
  'log.origin.file.line': { type: 'long', description: 'Line in that source file.' },
  'log.origin.function': { type: 'keyword', description: 'Function that emitted the log.' },
  'log.syslog.priority': { type: 'long', description: 'Syslog PRI value.' },
  'log.syslog.facility.code': { type: 'long', description: 'Syslog facility number.' },
  'log.syslog.facility.name': { type: 'keyword', description: 'Syslog facility name, e.g. `auth`.' },
  'log.syslog.severity.code': { type: 'long', description: 'Syslog severity number.' },
  'log.syslog.severity.name': { type: 'keyword', description: 'Syslog severity name, e.g. `err`.' },
  'log.syslog.hostname': { type: 'keyword', description: 'HOSTNAME field of the syslog header.' },
  'log.syslog.appname': { type: 'keyword', description: 'APP-NAME (RFC 5424) or TAG (RFC 3164).' },
  'log.syslog.procid': { type: 'keyword', description: 'PROCID.' },
  'log.syslog.msgid': { type: 'keyword', description: 'MSGID (RFC 5424).' },
  'log.syslog.version': { type: 'keyword', description: 'Syslog protocol version (`1` for RFC 5424).' },
  'log.syslog.structured_data': { type: 'flattened', description: 'STRUCTURED-DATA (RFC 5424) as `{sd-id: {param: value}}`.' },
  'log.source.address': { type: 'keyword', description: 'The peer that sent the log over the network, `ip:port` (syslog inputs); `source.*` stays for what the log is about.' },
  'log.source.ip': { type: 'ip', description: 'IP address of that peer.' },
  'observer.hostname': { type: 'keyword', description: 'The host that received the event over the network (where Faultline runs).' },
  'network.transport': { type: 'keyword', description: 'Transport protocol, e.g. `tcp`, `udp`.' },
  'network.protocol': { type: 'keyword', description: 'Application protocol, e.g. `syslog`.' },

  'host.name': { type: 'keyword', description: 'Name of the host the event comes from.' },
  'host.hostname': { type: 'keyword', description: 'Hostname as the host reports it.' },
  'host.ip': { type: 'ip', description: 'IP addresses of the host.' },
  'service.name': { type: 'keyword', description: 'Name of the service.' },
  'service.version': { type: 'keyword', description: 'Version of the service.' },
  'service.environment': { type: 'keyword', description: 'Environment, e.g. `production`.' },
  'process.name': { type: 'keyword', description: 'Process name, e.g. `sshd`.' },
  'process.pid': { type: 'long', description: 'Process id.' },
  'process.thread.id': { type: 'long', description: 'Thread id.' },
  'process.thread.name': { type: 'keyword', description: 'Thread name.' },

  'source.ip': { type: 'ip', description: 'Source address of the connection or request.' },
  'source.port': { type: 'long', description: 'Source port.' },
  'source.address': { type: 'keyword', description: 'Source address as seen, domain or IP.' },
  'source.domain': { type: 'keyword', description: 'Source domain.' },
  'source.geo.continent_name': { type: 'keyword', description: 'Continent of the source address.' },
  'source.geo.country_iso_code': { type: 'keyword', description: 'ISO country code of the source address.' },
  'source.geo.country_name': { type: 'keyword', description: 'Country of the source address.' },
  'source.geo.region_name': { type: 'keyword', description: 'Region of the source address.' },
  'source.geo.city_name': { type: 'keyword', description: 'City of the source address.' },
  'source.geo.location': { type: 'geo_point', description: 'Location of the source address `{lat, lon}`.' },
  'destination.ip': { type: 'ip', description: 'Destination address.' },
  'destination.port': { type: 'long', description: 'Destination port.' },
  'destination.address': { type: 'keyword', description: 'Destination address as seen, domain or IP.' },
  'destination.domain': { type: 'keyword', description: 'Destination domain.' },
  'client.ip': { type: 'ip', description: 'Client address.' },

  'user.name': { type: 'keyword', description: 'User name.' },
  'user.id': { type: 'keyword', description: 'User id.' },

  'http.version': { type: 'keyword', description: 'HTTP version, e.g. `1.1`.' },
  'http.request.method': { type: 'keyword', description: 'HTTP method, upper case.' },
  'http.request.bytes': { type: 'long', description: 'Request size in bytes.' },
  'http.request.referrer': { type: 'keyword', description: 'Referrer.' },
  'http.response.status_code': { type: 'long', description: 'HTTP status code.' },
  'http.response.body.bytes': { type: 'long', description: 'Response body size in bytes.' },
  'url.original': { type: 'keyword', description: 'URL as it appeared in the log.' },
  'url.full': { type: 'keyword', description: 'Full URL.' },
  'url.scheme': { type: 'keyword', description: 'URL scheme.' },
  'url.domain': { type: 'keyword', description: 'URL domain.' },
  'url.port': { type: 'long', description: 'URL port.' },
  'url.path': { type: 'keyword', description: 'URL path.' },
  'url.query': { type: 'keyword', description: 'URL query string, without `?`.' },
  'url.fragment': { type: 'keyword', description: 'URL fragment, without `#`.' },
  'url.extension': { type: 'keyword', description: 'File extension of the path.' },
  'user_agent.original': { type: 'keyword', description: 'User-Agent header as sent.' },
  'user_agent.name': { type: 'keyword', description: 'Browser or client name.' },
  'user_agent.version': { type: 'keyword', description: 'Browser or client version.' },
  'user_agent.device.name': { type: 'keyword', description: 'Device name.' },
  'user_agent.os.name': { type: 'keyword', description: 'Operating system name.' },
  'user_agent.os.version': { type: 'keyword', description: 'Operating system version.' },
  'user_agent.os.full': { type: 'keyword', description: 'Operating system name and version.' },

  'error.message': { type: 'text', description: 'Error message (also set by a failing pipeline processor).' },
  'error.type': { type: 'keyword', description: 'Error class or type.' },
  'error.code': { type: 'keyword', description: 'Error code.' },
  'error.stack_trace': { type: 'text', description: 'Stack trace.' },

  'trace.id': { type: 'keyword', description: 'Distributed trace id.' },
  'span.id': { type: 'keyword', description: 'Span id.' },
  'transaction.id': { type: 'keyword', description: 'Transaction id.' },

  'container.id': { type: 'keyword', description: 'Container id.' },
  'container.name': { type: 'keyword', description: 'Container name.' },
  'container.image.name': { type: 'keyword', description: 'Container image.' },
  'kubernetes.namespace': { type: 'keyword', description: 'Kubernetes namespace.' },
  'kubernetes.pod.name': { type: 'keyword', description: 'Kubernetes pod.' },
  'kubernetes.container.name': { type: 'keyword', description: 'Kubernetes container.' },
} as const satisfies Record<string, FieldDefinition>;

export type KnownField = keyof typeof eventFields;

/** Fields outside the catalogue are typed by their first value, as Elasticsearch's dynamic mapping does. */
export const dynamicFieldRules = {
  /** `labels.*`: free key/values from config, always keyword. */
  labelsPrefix: 'labels.',
} as const;

const catalogue: ReadonlyMap<string, FieldDefinition> = new Map(Object.entries(eventFields));

/** The definition of a catalogue field, or undefined for fields typed dynamically. */
export function knownField(name: string): FieldDefinition | undefined {
  return catalogue.get(name);
}

/** Object paths that the catalogue implies (`host`, `log.syslog`...): they hold fields, never a value. */
export const objectPaths: ReadonlySet<string> = new Set(
  Object.keys(eventFields).flatMap((name) => {
    const parts = name.split('.');
    return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('.'));
  }),
);

/** The type a dynamic (non-catalogue) field gets from a value. */
export function dynamicType(name: string, value: unknown): FieldType | undefined {
  if (name.startsWith(dynamicFieldRules.labelsPrefix)) return 'keyword';
  if (typeof value === 'string') return 'keyword';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'long' : 'double';
  return undefined;
}
