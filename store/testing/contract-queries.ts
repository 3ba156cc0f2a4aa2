/**
 * Every query the store contract fixes, by name, over the contract's dataset: each backend must
 * give the reference evaluator's answer (store/contract.test.ts).
 */
import type { JsonObject } from '../../core/event/types.ts';
import { q, type QueryNode } from '../query.ts';
import { DATASET_START } from './dataset.ts';

const HOUR = 3600_000;

export function contractQueryTable(dataset: readonly JsonObject[]): Record<string, QueryNode> {
  const someIp = dataset.map((event) => (event['source'] as JsonObject | undefined)?.['ip']).find((ip) => typeof ip === 'string') as string;
  return {
    'everything': q.all(),
    'bare word': q.term(null, 'failed'),
    'bare word, any case': q.term(null, 'FAILED'),
    'bare word with punctuation: all its tokens': q.term(null, 'db-1:5432'),
    'phrase': q.phrase(null, 'connection refused'),
    'phrase out of order': q.phrase(null, 'refused connection'),
    'phrase with an apostrophe and accents': q.phrase(null, "l'entrepôt"),
    'word with an umlaut': q.term(null, 'Zählerstand'),
    'value without tokens': q.term(null, '!!!'),
    'keyword equality': q.term('host.name', 'web-1'),
    'keyword equality is case-sensitive': q.term('host.name', 'WEB-1'),
    'quoted keyword is equality': q.phrase('user.name', 'root'),
    'long equality': q.term('http.response.status_code', 404),
    'long equality from a string': q.term('http.response.status_code', '500'),
    'ip equality': q.term('source.ip', someIp),
    'dynamic keyword field': q.term('app.region', 'eu-west-1'),
    'labels': q.term('labels.team', 'payments'),
    'array element': q.term('tags', 'deploy'),
    'text field other than message': q.term('error.message', 'heap'),
    'keyword prefix': q.wildcard('host.name', 'web-*'),
    'keyword single-character wildcard': q.wildcard('host.name', 'db-?'),
    'keyword wildcard with an escaped ?': q.wildcard('url.original', '/api/users\\?id=7'),
    'keyword suffix': q.wildcard('event.dataset', '*.app'),
    'text prefix': q.wildcard(null, 'pass*'),
    'text infix': q.wildcard(null, '*wor?'),
    'text wildcard in upper case': q.wildcard(null, 'TIME*'),
    'long keyword values never match by value': q.wildcard('url.original', '/very/long/*'),
    'range on a long': q.range('http.response.status_code', { gte: 500 }),
    'open range on a long': q.range('http.response.status_code', { gt: 200, lt: 404 }),
    'range on a dynamic double': q.range('app.latency_ms', { gte: 1000, lt: 1500.5 }),
    'range on a date (ISO)': q.range('@timestamp', { gte: new Date(DATASET_START + 5 * HOUR).toISOString(), lt: new Date(DATASET_START + 7 * HOUR).toISOString() }),
    'range on a date (epoch ms)': q.range('@timestamp', { gt: DATASET_START + 30 * HOUR, lte: DATASET_START + 31 * HOUR }),
    'range on a keyword': q.range('user.name', { gte: 'b', lt: 'd' }),
    'exists': q.exists('error.message'),
    'exists on an array (empty arrays do not exist)': q.exists('tags'),
    'exists on flattened structured data': q.exists('log.syslog.structured_data'),
    'exists on a long keyword': q.exists('url.original'),
    'not exists': q.not(q.exists('service.name')),
    'and': q.and(q.term('host.name', 'db-1'), q.term(null, 'failed')),
    'or': q.or(q.term('log.level', 'error'), q.term('log.level', 'critical')),
    'nested and/or/not': q.and(
      q.or(q.term('service.name', 'checkout'), q.wildcard('host.name', 'cache*')),
      q.not(q.term('log.level', 'info')),
      q.not(q.and(q.exists('tags'), q.term('tags', 'app'))),
    ),
  };
}
