import { describe, expect, it } from 'vitest';
import { planAppend } from '../../src/domain/log-cap.js';

describe('planAppend', () => {
  it('keeps every line while under the cap', () => {
    expect(planAppend(0, 5, 10)).toEqual({ keep: 5, marker: false, stored: 5 });
    expect(planAppend(5, 5, 10)).toEqual({ keep: 5, marker: false, stored: 10 });
  });

  it('keeps what fits and marks the crossing once', () => {
    expect(planAppend(8, 5, 10)).toEqual({ keep: 2, marker: true, stored: 11 });
    expect(planAppend(10, 1, 10)).toEqual({ keep: 0, marker: true, stored: 11 });
  });

  it('drops everything after the crossing without a second marker', () => {
    expect(planAppend(11, 50, 10)).toEqual({ keep: 0, marker: false, stored: 11 });
  });

  it('never counts past one beyond the cap', () => {
    let stored = 0;
    let markers = 0;
    for (let i = 0; i < 100; i++) {
      const p = planAppend(stored, 7, 30);
      markers += p.marker ? 1 : 0;
      stored = p.stored;
    }
    expect(stored).toBe(31);
    expect(markers).toBe(1);
  });
});
