import { describe, expect, it } from 'vitest';
import { runProcessor, stored } from '../../testing/harness.ts';
import { LruCache } from '../lru-cache.ts';

const chrome = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const iphone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1';

describe('user_agent', () => {
  it('parses desktop and mobile agents into ECS fields beside the original', () => {
    expect(stored(runProcessor('user_agent', {}, { user_agent: { original: chrome } }))).toEqual({
      user_agent: { original: chrome, name: 'Chrome', version: '120.0.0.0', os: { name: 'Windows', version: '10', full: 'Windows 10' } },
    });
    expect(stored(runProcessor('user_agent', {}, { user_agent: { original: iphone } }))).toEqual({
      user_agent: { original: iphone, name: 'Mobile Safari', version: '17.1', device: { name: 'iPhone' }, os: { name: 'iOS', version: '17.1', full: 'iOS 17.1' } },
    });
  });

  it('names unknown agents Other', () => {
    expect(stored(runProcessor('user_agent', { field: 'ua', target_field: 'client' }, { ua: 'my-bot' }))).toEqual({ ua: 'my-bot', client: { name: 'Other' } });
  });

  it('gives each event its own objects even from the cache', () => {
    const first = runProcessor('user_agent', { field: 'ua' }, { ua: iphone });
    const second = runProcessor('user_agent', { field: 'ua' }, { ua: iphone });
    expect(first?.['user_agent']).not.toBe(second?.['user_agent']);
  });
});

describe('LruCache', () => {
  it('keeps recently used entries within its capacity', () => {
    const cache = new LruCache<string, number>(4);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    cache.set('d', 4);
    expect(cache.get('a')).toBe(1);
    cache.set('e', 5);
    cache.set('f', 6);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('f')).toBe(6);
    expect(cache.size).toBeLessThanOrEqual(4);
    const none = new LruCache<string, number>(0);
    none.set('a', 1);
    expect(none.get('a')).toBeUndefined();
  });
});
