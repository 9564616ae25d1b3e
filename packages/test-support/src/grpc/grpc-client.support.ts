import { Metadata, credentials, status, type ChannelOptions, type ServiceError } from '@grpc/grpc-js';
import { AuthServiceClient } from '@authsvc/proto/auth/v1/auth';
import { decodeStatusDetails } from './status-details.codec.js';

type UnaryMethods = {
  [K in keyof AuthServiceClient]: AuthServiceClient[K] extends {
    (request: infer Req, metadata: Metadata, options: infer _O, callback: (error: ServiceError | null, response: infer Res) => void): unknown;
  }
    ? { request: Req; response: Res }
    : never;
};
/** The unary methods of auth.v1.AuthService, by their client names (`registerUser`, `login`, ...). */
export type RpcName = { [K in keyof UnaryMethods]: UnaryMethods[K] extends never ? never : K }[keyof UnaryMethods];
export type RequestOf<K extends RpcName> = UnaryMethods[K]['request'];
export type ResponseOf<K extends RpcName> = UnaryMethods[K]['response'];

export interface CallOptions {
  /** Sent as `authorization: Bearer <token>`. */
  token?: string;
  /** Further request metadata. */
  metadata?: Record<string, string>;
  /** A point in time, or milliseconds from the call; default the client's deadlineMs. */
  deadline?: Date | number;
}

export interface TestClientOptions {
  /** The deadline of a call that names none; default none. */
  deadlineMs?: number;
  channel?: Partial<ChannelOptions>;
}

type UntypedUnary = (
  request: unknown,
  metadata: Metadata,
  options: { deadline?: Date },
  callback: (error: ServiceError | null, response: unknown) => void,
) => { on(event: 'metadata', listener: (metadata: Metadata) => void): void };

/** The generated grpc-js AuthServiceClient, promisified and typed by method: `call('login', {...}, { token })`. */
export class TestClient {
  readonly #raw: AuthServiceClient;
  readonly #deadlineMs: number | undefined;

  constructor(
    readonly address: string,
    options: TestClientOptions = {},
  ) {
    this.#raw = new AuthServiceClient(address, credentials.createInsecure(), options.channel ?? {});
    this.#deadlineMs = options.deadlineMs;
  }

  call<K extends RpcName>(method: K, request: RequestOf<K>, options: CallOptions = {}): Promise<ResponseOf<K>> {
    return this.callWithMetadata(method, request, options).then((result) => result.response);
  }

  /** The response with the server's initial metadata (response headers). */
  callWithMetadata<K extends RpcName>(method: K, request: RequestOf<K>, options: CallOptions = {}): Promise<{ response: ResponseOf<K>; metadata: Metadata }> {
    const metadata = new Metadata();
    if (options.token !== undefined) metadata.set('authorization', `Bearer ${options.token}`);
    for (const [key, value] of Object.entries(options.metadata ?? {})) metadata.set(key, value);
    const deadline = this.#deadline(options.deadline);
    return new Promise((resolve, reject) => {
      let headers = new Metadata();
      const unary = this.#raw[method] as unknown as UntypedUnary;
      const call = unary.call(this.#raw, request, metadata, deadline ? { deadline } : {}, (error, response) =>
        error ? reject(error) : resolve({ response: response as ResponseOf<K>, metadata: headers }),
      );
      call.on('metadata', (received) => {
        headers = received;
      });
    });
  }

  /** 'OK', or the status name the call fails with (codeName). */
  async outcome<K extends RpcName>(method: K, request: RequestOf<K>, options: CallOptions = {}): Promise<string> {
    try {
      await this.call(method, request, options);
      return 'OK';
    } catch (error) {
      return codeName(error);
    }
  }

  /** The error the call fails with; rejects when it succeeds. */
  async failure<K extends RpcName>(method: K, request: RequestOf<K>, options: CallOptions = {}): Promise<ServiceError> {
    try {
      await this.call(method, request, options);
    } catch (error) {
      return error as ServiceError;
    }
    throw new Error(`${String(method)} was expected to fail but succeeded`);
  }

  close(): void {
    this.#raw.close();
  }

  #deadline(given: Date | number | undefined): Date | undefined {
    if (given instanceof Date) return given;
    const ms = given ?? this.#deadlineMs;
    return ms === undefined ? undefined : new Date(Date.now() + ms);
  }
}

/** The status name of a gRPC failure (UNAUTHENTICATED, ...); anything else is named NOT_A_GRPC_ERROR. */
export function codeName(error: unknown): string {
  const code = (error as Partial<ServiceError>).code;
  return code === undefined ? `NOT_A_GRPC_ERROR: ${String(error)}` : (status[code] ?? String(code));
}

/** The ErrorInfo reason of a failure ('' when it has none). */
export function reasonOf(error: ServiceError): string {
  const info = decodeStatusDetails(error.metadata)?.details.find((detail) => detail.kind === 'ErrorInfo');
  return info?.kind === 'ErrorInfo' ? info.value.reason : '';
}
