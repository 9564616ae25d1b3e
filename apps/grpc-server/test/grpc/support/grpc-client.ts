import { Metadata, credentials, type ServiceError } from '@grpc/grpc-js';
import { AuthServiceClient } from '@authsvc/proto/auth/v1/auth';

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
  metadata?: Record<string, string>;
  deadline?: Date;
}

/** The ts-proto grpc-js client, promisified: `call('login', {...}, { token })`. */
export class TestClient {
  readonly raw: AuthServiceClient;

  constructor(address: string) {
    this.raw = new AuthServiceClient(address, credentials.createInsecure());
  }

  call<K extends RpcName>(method: K, request: RequestOf<K>, options: CallOptions = {}): Promise<ResponseOf<K>> {
    return this.callWithMetadata(method, request, options).then((result) => result.response);
  }

  /** The response with the server's initial metadata. */
  callWithMetadata<K extends RpcName>(method: K, request: RequestOf<K>, options: CallOptions = {}): Promise<{ response: ResponseOf<K>; metadata: Metadata }> {
    const metadata = new Metadata();
    if (options.token !== undefined) metadata.set('authorization', `Bearer ${options.token}`);
    for (const [key, value] of Object.entries(options.metadata ?? {})) metadata.set(key, value);
    return new Promise((resolve, reject) => {
      let headers = new Metadata();
      const fn = this.raw[method] as unknown as (
        req: unknown,
        md: Metadata,
        opts: { deadline?: Date },
        cb: (error: ServiceError | null, response: ResponseOf<K>) => void,
      ) => { on(event: 'metadata', listener: (md: Metadata) => void): void };
      const call = fn.call(this.raw, request, metadata, options.deadline ? { deadline: options.deadline } : {}, (error, response) =>
        error ? reject(error) : resolve({ response, metadata: headers }),
      );
      call.on('metadata', (md) => {
        headers = md;
      });
    });
  }

  /** The error the call fails with; fails the test if it succeeds. */
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
