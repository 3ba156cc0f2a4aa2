import { describe, expect, it } from 'vitest';
import { AckTracker } from './ack-tracker.ts';

describe('AckTracker', () => {
  it('advances over the acknowledged prefix only', () => {
    const advanced: number[] = [];
    const tracker = new AckTracker(100, (offset) => advanced.push(offset));
    const first = tracker.track(110);
    const second = tracker.track(125);
    const third = tracker.track(130);
    second();
    expect(tracker.committed).toBe(100);
    first();
    expect(tracker.committed).toBe(125);
    first();
    third();
    expect(tracker.committed).toBe(130);
    expect(advanced).toEqual([125, 130]);
    expect(tracker.pending).toBe(0);
  });

  it('stays O(1) per record over many records', () => {
    const tracker = new AckTracker(0);
    for (let n = 1; n <= 100_000; n++) tracker.track(n)();
    expect(tracker.committed).toBe(100_000);
  });
});
