/**
 * Every processor type by the name pipelines use. Names and option types derive from here: the
 * loader validates against these schemas and lists these names when one is unknown.
 */
import type { ProcessorDefinition } from '../engine/contract.ts';
import { append } from './append.ts';
import { convert } from './convert.ts';
import { copy } from './copy.ts';
import { csv } from './csv.ts';
import { date } from './date/index.ts';
import { dissect } from './dissect/index.ts';
import { drop } from './drop.ts';
import { fingerprint } from './fingerprint.ts';
import { geoip } from './geoip/index.ts';
import { grok } from './grok/index.ts';
import { group } from './group.ts';
import { gsub } from './gsub.ts';
import { join } from './join.ts';
import { json } from './json.ts';
import { kv } from './kv.ts';
import { level } from './level.ts';
import { lowercase } from './lowercase.ts';
import { nest } from './nest.ts';
import { pipeline } from './pipeline.ts';
import { regex } from './regex.ts';
import { remove } from './remove.ts';
import { rename } from './rename.ts';
import { set } from './set.ts';
import { split } from './split.ts';
import { syslog } from './syslog/index.ts';
import { trim } from './trim.ts';
import { truncate } from './truncate.ts';
import { uppercase } from './uppercase.ts';
import { url } from './url.ts';
import { userAgent } from './user-agent/index.ts';

export const processors = {
  append,
  convert,
  copy,
  csv,
  date,
  dissect,
  drop,
  fingerprint,
  geoip,
  grok,
  group,
  gsub,
  join,
  json,
  kv,
  level,
  lowercase,
  nest,
  pipeline,
  regex,
  remove,
  rename,
  set,
  split,
  syslog,
  trim,
  truncate,
  uppercase,
  url,
  user_agent: userAgent,
} satisfies Record<string, ProcessorDefinition>;

export type ProcessorName = keyof typeof processors;
