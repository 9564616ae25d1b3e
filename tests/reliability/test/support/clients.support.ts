import type { RegisterUserRequest } from '@authsvc/proto/auth/v1/auth';
import { TestClient } from '@authsvc/test-support/grpc';

/** The suite's client of `address`: every call has a deadline (15 s unless it names one), so a hung server fails a call, not the file. */
export function clientFor(address: string): TestClient {
  return new TestClient(address, { deadlineMs: 15_000 });
}

/** Several clients over several addresses, one call each in turn (client-side round robin). */
export class RoundRobin {
  private next = 0;
  constructor(readonly clients: TestClient[]) {}
  pick(): TestClient {
    const client = this.clients[this.next % this.clients.length]!;
    this.next += 1;
    return client;
  }
  close(): void {
    for (const client of this.clients) client.close();
  }
}

let counter = 0;
const runTag = Math.random().toString(36).slice(2, 7);
export function aUser(overrides: Partial<RegisterUserRequest> = {}): RegisterUserRequest {
  counter += 1;
  const name = `rel${runTag}${counter}`;
  return { username: name, email: `${name}@example.com`, password: `pw-${name}-${Math.random().toString(36).slice(2)}`, gender: 1, country: 'FR', age: 30, ...overrides };
}
