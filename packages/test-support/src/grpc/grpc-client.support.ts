import { status, type ChannelOptions, type Metadata, type ServiceError } from '@grpc/grpc-js';
import { AuthClient, AuthServiceError, isAuthServiceError, type RequestOf, type ResponseOf, type RpcName } from '@authsvc/client';

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

/**
 * @authsvc/client's AuthClient as the tests want it: no retries and no deadline unless asked, so every test sees
 * exactly what one call to the server does; plus `outcome` and `failure` for asserting on failures.
 */
export class TestClient {
  readonly #client: AuthClient;

  constructor(
    readonly address: string,
    options: TestClientOptions = {},
  ) {
    this.#client = new AuthClient({ address, deadlines: options.deadlineMs ?? 'none', retry: { maxAttempts: 1 }, channelOptions: options.channel ?? {} });
  }

  call<K extends RpcName>(method: K, request: RequestOf<K>, options: CallOptions = {}): Promise<ResponseOf<K>> {
    return this.#client.call(method, request, options);
  }

  /** The response with the server's initial metadata (response headers). */
  async callWithMetadata<K extends RpcName>(method: K, request: RequestOf<K>, options: CallOptions = {}): Promise<{ response: ResponseOf<K>; metadata: Metadata }> {
    const { response, headers } = await this.#client.callWithHeaders(method, request, options);
    return { response, metadata: headers };
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

  /** The error the call fails with, its rich details decoded; rejects when it succeeds. */
  async failure<K extends RpcName>(method: K, request: RequestOf<K>, options: CallOptions = {}): Promise<AuthServiceError> {
    try {
      await this.call(method, request, options);
    } catch (error) {
      if (isAuthServiceError(error)) return error;
      throw error;
    }
    throw new Error(`${String(method)} was expected to fail but succeeded`);
  }

  close(): void {
    this.#client.close();
  }
}

/** The status name of a gRPC failure (UNAUTHENTICATED, ...); anything else is named NOT_A_GRPC_ERROR. */
export function codeName(error: unknown): string {
  const code = (error as Partial<ServiceError>).code;
  return code === undefined ? `NOT_A_GRPC_ERROR: ${String(error)}` : (status[code] ?? String(code));
}

/** The ErrorInfo reason of a failure ('' when it has none). */
export function reasonOf(error: ServiceError): string {
  return (isAuthServiceError(error) ? error : new AuthServiceError(error)).reason ?? '';
}
