const UNITS: [number, string][] = [
  [86_400_000, 'd'],
  [3_600_000, 'h'],
  [60_000, 'm'],
  [1_000, 's'],
];

/** Milliseconds in the largest unit that divides them exactly, in the syntax duration settings accept (15m, 7d). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0';
  const unit = UNITS.find(([size]) => ms % size === 0);
  return unit ? `${ms / unit[0]}${unit[1]}` : `${ms}ms`;
}
