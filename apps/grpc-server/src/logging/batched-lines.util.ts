import type { DestinationStream } from 'pino';

/** Where batches go: pino's asynchronous sonic-boom destination. */
export interface LineSink {
  write(text: string): unknown;
  flushSync(): void;
}

/**
 * Gathers log lines in an array and hands them to `sink` joined, once they hold about `minLength` characters
 * (UTF-16 units, near enough bytes for log lines) or every `maxWaitMs`, and synchronously when the process exits.
 *
 * Why not sonic-boom's own `minLength`: it appends each line to its pending string and measures that string's UTF-8
 * length on every write, which flattens (copies) the whole pending batch once per line: up to 16 KiB of copying and
 * garbage per access-log line when a write is in flight. Joining once per batch costs ~1.5 µs less per line.
 */
export class BatchedLines implements DestinationStream {
  #lines: string[] = [];
  #length = 0;

  constructor(
    private readonly sink: LineSink,
    private readonly minLength: number,
    maxWaitMs: number,
  ) {
    // Unref'd: a waiting line never keeps the process alive; what is left at the exit goes out synchronously below.
    setInterval(() => this.#drain(), maxWaitMs).unref();
    process.on('exit', () => this.flushSync());
  }

  write(line: string): void {
    this.#lines.push(line);
    this.#length += line.length;
    if (this.#length >= this.minLength) this.#drain();
  }

  /** Writes everything gathered, and whatever the sink still holds, before returning. */
  flushSync(): void {
    this.#drain();
    this.sink.flushSync();
  }

  #drain(): void {
    if (this.#lines.length === 0) return;
    const text = this.#lines.length === 1 ? this.#lines[0]! : this.#lines.join('');
    this.#lines = [];
    this.#length = 0;
    this.sink.write(text);
  }
}
