import { describe, expect, it } from 'vitest';
import { BatchedLines } from '../../src/logging/batched-lines.util.js';

function sink() {
  const writes: string[] = [];
  let synced = 0;
  return { writes, synced: () => synced, write: (text: string) => writes.push(text), flushSync: () => (synced += 1) };
}

describe('BatchedLines', () => {
  it('hands lines over joined, in order, once they hold minLength characters', () => {
    const out = sink();
    const lines = new BatchedLines(out, 10, 60_000);
    lines.write('abcd\n');
    expect(out.writes).toEqual([]);
    lines.write('efgh\n');
    expect(out.writes).toEqual(['abcd\nefgh\n']);
    lines.write('ij\n');
    expect(out.writes).toEqual(['abcd\nefgh\n']);
  });

  it('writes what it holds, then flushes the sink, on flushSync (the exit path)', () => {
    const out = sink();
    const lines = new BatchedLines(out, 4096, 60_000);
    lines.write('one\n');
    lines.write('two\n');
    lines.flushSync();
    expect(out.writes).toEqual(['one\ntwo\n']);
    expect(out.synced()).toBe(1);
  });

  it('hands a lone line over within maxWaitMs', async () => {
    const out = sink();
    const lines = new BatchedLines(out, 4096, 20);
    lines.write('alone\n');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(out.writes).toEqual(['alone\n']);
  });
});
