import { codeName, type TestClient } from '@authsvc/test-support/grpc';
import { aUser } from './clients.support.js';

/** Registrations sent one after another by `concurrency` workers until stopped; every outcome and id recorded. */
export class RegistrationStream {
  readonly outcomes: Record<string, number> = {};
  readonly ids: string[] = [];
  readonly slowest: { ms: number } = { ms: 0 };
  readonly passwords: string[] = [];
  private running = true;
  private readonly workers: Promise<void>[];

  constructor(clients: () => TestClient, concurrency = 3) {
    this.workers = Array.from({ length: concurrency }, async () => {
      while (this.running) {
        const input = aUser();
        this.passwords.push(input.password);
        const began = Date.now();
        let outcome: string;
        try {
          const { user } = await clients().call('registerUser', input, { deadline: 10_000 });
          this.ids.push(user!.id);
          outcome = 'OK';
        } catch (error) {
          outcome = codeName(error);
          // Do not spin on a dead server.
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        this.slowest.ms = Math.max(this.slowest.ms, Date.now() - began);
        this.outcomes[outcome] = (this.outcomes[outcome] ?? 0) + 1;
      }
    });
  }

  get total(): number {
    return Object.values(this.outcomes).reduce((a, b) => a + b, 0);
  }

  async stop(): Promise<this> {
    this.running = false;
    await Promise.all(this.workers);
    return this;
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function count(outcomes: Record<string, number>, into: Record<string, number>): void {
  for (const [code, n] of Object.entries(outcomes)) into[code] = (into[code] ?? 0) + n;
}

