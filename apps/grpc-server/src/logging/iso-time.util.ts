/**
 * pino's `timestamp` option, writing what `pino.stdTimeFunctions.isoTime` writes (`,"time":"2026-01-02T03:04:05.678Z"`)
 * for less: the date and time up to the second are formatted once per second and only the milliseconds per line.
 * A `new Date()` and its `toISOString()` on every access-log line were garbage and work for nothing.
 */
export function isoTimeEachSecond(): () => string {
  let second = Number.NaN;
  let prefix = '';
  return () => {
    // Date.now(), as pino's own does, so fake timers in tests move it.
    const now = Math.floor(Date.now());
    const ms = ((now % 1000) + 1000) % 1000;
    const start = now - ms;
    if (start !== second) {
      second = start;
      // "2026-01-02T03:04:05." of "2026-01-02T03:04:05.000Z" (also right for the six-digit years toISOString writes).
      prefix = `,"time":"${new Date(start).toISOString().slice(0, -4)}`;
    }
    return `${prefix}${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z"`;
  };
}
