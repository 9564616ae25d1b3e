import type { Clock } from '../ports/clock.port.js';

/** A clock that only moves when the test says so. */
export class ManualClock implements Clock {
  #nowMs: number;

  constructor(start: Date = new Date('2026-01-01T00:00:00.000Z')) {
    this.#nowMs = start.getTime();
  }

  now(): Date {
    return new Date(this.#nowMs);
  }

  /** Moves the clock forward by `ms` (negative moves it back, for skew tests). */
  advance(ms: number): Date {
    this.#nowMs += ms;
    return this.now();
  }

  set(date: Date): void {
    this.#nowMs = date.getTime();
  }
}
