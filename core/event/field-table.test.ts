import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EVENTS_DOC, renderEventsDoc } from './field-table.ts';

describe('docs/events.md', () => {
  it('lists every catalogue field with its type (run `npm run docs:events` when this fails)', () => {
    const current = readFileSync(EVENTS_DOC, 'utf8');
    expect(current).toBe(renderEventsDoc(current));
  });
});
