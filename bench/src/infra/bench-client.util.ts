import { Client, credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { authMethod } from '../proto.codec.ts';
import { BENCH_PASSWORD, type BenchAccount } from '../loadgen/call-kinds.scenario.ts';

/** The orchestrator's own client: seeding and the correctness checks each scenario runs before its load. */
export class BenchClient {
  readonly #client: Client;

  constructor(address: string) {
    this.#client = new Client(address, credentials.createInsecure());
  }

  call<T>(method: string, request: unknown, token?: string): Promise<T> {
    const codec = authMethod(method);
    const metadata = new Metadata();
    if (token) metadata.set('authorization', `Bearer ${token}`);
    return new Promise((resolve, reject) => {
      this.#client.makeUnaryRequest(codec.path, codec.serialize, codec.deserialize, request, metadata, { deadline: Date.now() + 60_000 }, (error: ServiceError | null, response?: unknown) => {
        if (error) reject(new Error(`${method}: ${status[error.code]}: ${error.details}`));
        else resolve(response as T);
      });
    });
  }

  /** Registers and logs in `count` accounts, `parallel` at a time. */
  async seed(prefix: string, count: number, parallel = 16): Promise<BenchAccount[]> {
    const accounts: BenchAccount[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < count) {
        const username = `${prefix}${(next++).toString(36)}`;
        const { user } = await this.call<{ user: { id: string } }>('RegisterUser', { username, email: `${username}@bench.example`, password: BENCH_PASSWORD, gender: 1, country: 'NL', age: 30 });
        accounts.push({ id: user.id, username, password: BENCH_PASSWORD, ...(await this.login(username, BENCH_PASSWORD)) });
      }
    };
    await Promise.all(Array.from({ length: parallel }, worker));
    return accounts;
  }

  async login(login: string, password: string): Promise<{ accessToken: string; refreshToken: string }> {
    const { tokens } = await this.call<{ tokens: { accessToken: string; refreshToken: string } }>('Login', { login, password });
    return { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken };
  }

  /** A token is valid when the server itself validates it to the expected account. */
  async expectValidToken(accessToken: string, accountId: string): Promise<void> {
    const { subject } = await this.call<{ subject: string }>('ValidateToken', { accessToken });
    if (subject !== accountId) throw new Error(`token validated to ${subject}, expected ${accountId}`);
  }

  close(): void {
    this.#client.close();
  }
}
