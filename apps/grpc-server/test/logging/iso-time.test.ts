import { afterEach, describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import { isoTimeEachSecond } from '../../src/logging/iso-time.util.js';

describe('isoTimeEachSecond', () => {
  afterEach(() => vi.restoreAllMocks());

  it("writes what pino's isoTime writes, within a second, across seconds and for millisecond values of every width", () => {
    const time = isoTimeEachSecond();
    const instants = [0, 5, 42, 999, 1_000, 1_001, 1_733_492_238_007, 1_733_492_238_070, 1_733_492_238_700, 1_733_492_239_000, 1_733_492_238_123, 253_402_300_799_999, 253_402_300_800_000];
    for (const at of instants) {
      vi.spyOn(Date, 'now').mockReturnValue(at);
      expect(time()).toBe(pino.stdTimeFunctions.isoTime());
    }
  });
});
