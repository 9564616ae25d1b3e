/** The time source; tests substitute a controllable one. */
export interface Clock {
  /** The current instant. */
  now(): Date;
}
