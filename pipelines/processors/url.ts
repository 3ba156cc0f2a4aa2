/**
 * `url`: splits a URL, absolute (`https://user@host:8443/a/b.php?q=1#top`) or a request path
 * (`/a/b.php?q=1`), into the ECS `url.*` fields. Hand-written rather than WHATWG URL: log URLs are
 * often relative or not quite valid, and the parts must be kept as written (no normalization).
 */
import { z } from 'zod';
import type { JsonObject } from '../../core/event/types.ts';
import { defineProcessor } from '../engine/contract.ts';
import { fieldPath } from '../engine/field-path.ts';
import { fieldName, missing, sourceOptions, typeName } from './field-options.ts';

const ABSOLUTE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(?:([^/?#@]*)@)?(\[[^\]]*\]|[^/?#:]*)(?::(\d*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/;
const RELATIVE = /^([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/;

export const url = defineProcessor({
  description: 'Splits a URL or request path into scheme, domain, port, path, query, fragment, extension, username and password under target_field.',
  schema: z.strictObject({
    ...sourceOptions('url.original'),
    target_field: fieldName.default('url'),
    /** Keep the password part of user info (off by default: credentials do not belong in logs). */
    keep_password: z.boolean().default(false),
  }),
  compile(options) {
    const source = fieldPath(options.field);
    const target = fieldPath(options.target_field);
    return (event) => {
      const value = source.get(event);
      if (value === undefined || value === null) return options.ignore_missing ? undefined : missing(options.field);
      if (typeof value !== 'string') return `field '${options.field}' is ${typeName(value)}, not a string`;
      const parts: JsonObject = {};
      const absolute = ABSOLUTE.exec(value);
      let path: string | undefined;
      let query: string | undefined;
      let fragment: string | undefined;
      if (absolute !== null) {
        const [, scheme, userInfo, host, port, rawPath, rawQuery, rawFragment] = absolute;
        parts['scheme'] = (scheme as string).toLowerCase();
        if (host !== undefined && host !== '') parts['domain'] = host.startsWith('[') ? host.slice(1, -1) : host;
        if (port !== undefined && port !== '') {
          const number = Number(port);
          if (number > 65535) return `port ${port} is out of range`;
          parts['port'] = number;
        }
        if (userInfo !== undefined) {
          const colon = userInfo.indexOf(':');
          parts['username'] = decodeSafely(colon === -1 ? userInfo : userInfo.slice(0, colon));
          if (colon !== -1 && options.keep_password) parts['password'] = decodeSafely(userInfo.slice(colon + 1));
        }
        [path, query, fragment] = [rawPath, rawQuery, rawFragment];
        parts['full'] = value;
      } else {
        if (value === '' || /\s/.test(value)) return `not a URL: ${JSON.stringify(value.slice(0, 60))}`;
        [, path, query, fragment] = RELATIVE.exec(value) as RegExpExecArray;
      }
      if (path !== undefined && path !== '') {
        parts['path'] = path;
        const lastSegment = path.slice(path.lastIndexOf('/') + 1);
        const dot = lastSegment.lastIndexOf('.');
        if (dot > 0 && dot < lastSegment.length - 1) parts['extension'] = lastSegment.slice(dot + 1).toLowerCase();
      }
      if (query !== undefined && query !== '') parts['query'] = query;
      if (fragment !== undefined && fragment !== '') parts['fragment'] = fragment;
      const existing = target.get(event);
      if (existing !== null && typeof existing === 'object' && !Array.isArray(existing)) Object.assign(existing, parts);
      else target.set(event, parts);
      return undefined;
    };
  },
});

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
