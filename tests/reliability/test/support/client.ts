import { Metadata, credentials, status, type ChannelOptions, type ServiceError } from '@grpc/grpc-js';
import { AuthServiceClient } from '@authsvc/proto/auth/v1/auth';
import { decodeStatusDetails } from '../../../../apps/grpc-server/src/grpc/error-details.codec.js';

export { Gender, Role } from '@authsvc/proto/auth/v1/auth';
export type { RegisterUserRequest, RegisterArtistRequest } from '@authsvc/proto/auth/v1/auth';
export { decodeStatusDetails };

type UnaryMethods = {
  [K in keyof AuthServiceClient]: AuthServiceClient[K] extends {
    (request: infer Req, metadata: Metadata, options: infer _O, callback: (error: ServiceError | null, response: infer Res) => void): unknown;
  }
    ? { request: Req; response: Res }
    : never;
};
export type RpcName = { [K in keyof UnaryMethods]: UnaryMethods[K] extends never ? never : K }[keyof UnaryMethods];
export type RequestOf<K extends RpcName> = UnaryMethods[K]['request'];
export type ResponseOf<K extends RpcName> = UnaryMethods[K]['response'];

export interface CallOptions {
  token?: string;
  deadlineMs?: number;
}

/** The generated ts-proto grpc-js client, promisified. */
export class Client {
  readonly raw: AuthServiceClient;

  constructor(readonly address: string, options: Partial<ChannelOptions> = {}) {
    this.raw = new AuthServiceClient(address, credentials.createInsecure(), options);
  }

  call<K extends RpcName>(method: K, request: RequestOf<K>, options: CallOptions = {}): Promise<ResponseOf<K>> {
    const metadata = new Metadata();
    if (options.token !== undefined) metadata.set('authorization', `Bearer ${options.token}`);
    const deadline = new Date(Date.now() + (options.deadlineMs ?? 15_000));
    return new Promise((resolve, reject) => {
      const fn = this.raw[method] as unknown as (req: unknown, md: Metadata, opts: { deadline: Date }, cb: (error: ServiceError | null, response: ResponseOf<K>) => void) => unknown;
      fn.call(this.raw, request, metadata, { deadline }, (error, response) => (error ? reject(error) : resolve(response)));
    });
  }

  /** 'OK' or the status name of the failure. */
  async outcome<K extends RpcName>(method: K, request: RequestOf<K>, options: CallOptions = {}): Promise<string> {
    try {
      await this.call(method, request, options);
      return 'OK';
    } catch (error) {
      return codeName(error);
    }
  }

  async failure<K extends RpcName>(method: K, request: RequestOf<K>, options: CallOptions = {}): Promise<ServiceError> {
    try {
      await this.call(method, request, options);
    } catch (error) {
      return error as ServiceError;
    }
    throw new Error(`${String(method)} was expected to fail but succeeded`);
  }

  close(): void {
    this.raw.close();
  }
}

export function codeName(error: unknown): string {
  const code = (error as Partial<ServiceError>).code;
  return code === undefined ? `NOT_A_GRPC_ERROR: ${String(error)}` : (status[code] ?? String(code));
}

/** The ErrorInfo reason of a failure ('' when absent). */
export function reasonOf(error: ServiceError): string {
  const info = decodeStatusDetails(error.metadata)?.details.find((d) => d.kind === 'ErrorInfo');
  return info?.kind === 'ErrorInfo' ? info.value.reason : '';
}

/** Several clients over several addresses, one call each in turn (client-side round robin). */
export class RoundRobin {
  private next = 0;
  constructor(readonly clients: Client[]) {}
  pick(): Client {
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
export function aUser(overrides: Record<string, unknown> = {}): import('@authsvc/proto/auth/v1/auth').RegisterUserRequest {
  counter += 1;
  const name = `rel${runTag}${counter}`;
  return { username: name, email: `${name}@example.com`, password: `pw-${name}-${Math.random().toString(36).slice(2)}`, gender: 1, country: 'FR', age: 30, ...overrides };
}
