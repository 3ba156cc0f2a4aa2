/**
 * The syslog input's options (an entry of `inputs:` with `type: syslog`). The keys of the current
 * core schema keep their meaning; the rest bound what one sender can cost (message size,
 * connections, idle time) and configure TLS (RFC 5425).
 */
import { z } from 'zod';
import { byteSize, durationMs } from '../../config-types.ts';

export const tlsConfigSchema = z.strictObject({
  cert_file: z.string().min(1),
  key_file: z.string().min(1),
  /** CA bundle to verify client certificates against. */
  ca_file: z.string().min(1).optional(),
  /** `required`: clients must present a certificate the CA signed; `optional`: verified when presented. */
  client_auth: z.enum(['none', 'optional', 'required']).default('none'),
});

export const syslogInputConfigSchema = z
  .strictObject({
    type: z.literal('syslog'),
    id: z.string().min(1).optional(),
    protocol: z.enum(['udp', 'tcp', 'tls']),
    host: z.string().min(1).default('127.0.0.1'),
    port: z.int().min(0).max(65535),
    pipeline: z.string().min(1).default('syslog'),
    /** Passed on as `event.timezone`, for pipelines reading RFC 3164 timestamps that carry no zone. */
    timezone: z.string().min(1).default('UTC'),
    labels: z.record(z.string(), z.string()).default({}),
    /** Longer messages are cut to this and tagged `_truncated`. */
    max_message_bytes: byteSize.default(64 * 1024),
    /** TCP and TLS: connections beyond this are refused. */
    max_connections: z.int().positive().default(1000),
    /** TCP and TLS: a connection silent this long is closed. */
    idle_timeout: durationMs.default(600_000),
    /** TCP and TLS: `auto` detects octet counting or newlines per connection from its first byte. */
    framing: z.enum(['auto', 'newline', 'octet_counting']).default('auto'),
    tls: tlsConfigSchema.optional(),
  })
  .refine((config) => config.protocol !== 'tls' || config.tls !== undefined, {
    message: "protocol 'tls' needs tls.cert_file and tls.key_file",
    path: ['tls'],
  });

export type SyslogInputConfig = z.output<typeof syslogInputConfigSchema>;
export type SyslogInputConfigInput = z.input<typeof syslogInputConfigSchema>;
