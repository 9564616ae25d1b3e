/**
 * A FIFO async mutex. The in-memory unit of work holds it for the whole transaction, which is what makes
 * "check uniqueness, then insert" atomic across concurrent units of work (the role a unique index plays in SQL).
 */
export class Mutex {
  #tail: Promise<void> = Promise.resolve();

  /** Runs `work` once every earlier holder has finished. */
  async runExclusive<T>(work: () => Promise<T>): Promise<T> {
    const previous = this.#tail;
    let release!: () => void;
    this.#tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    try {
      return await work();
    } finally {
      release();
    }
  }
}
