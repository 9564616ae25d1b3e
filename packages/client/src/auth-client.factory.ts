import { Client, Metadata, credentials, type ChannelCredentials, type ChannelOptions, type ServiceError } from '@grpc/grpc-js';
import { AuthServiceService } from '@authsvc/proto/auth/v1/auth';
import { AuthServiceError } from './auth-service.errors.js';
import { DEFAULT_DEADLINES_MS, DEFAULT_RETRY_POLICY, type RetryPolicy } from './call-defaults.config.js';
import { retriesMethod, retryDelay } from './retry.rules.js';
import type { RequestOf, ResponseOf, RpcName } from './rpc-methods.types.js';

export interface AuthClientOptions {
  /** host:port of the service, e.g. `127.0.0.1:50051`. */
  address: string;
  /** Default: plaintext (credentials.createInsecure()); pass credentials.createSsl(...) for TLS. */
  credentials?: ChannelCredentials;
  /**
   * Deadline of each RPC in milliseconds, retries included: overrides of DEFAULT_DEADLINES_MS by RPC, one number for
   * every RPC, or 'none' (calls without a deadline unless a call names one).
   */
  deadlines?: Partial<Record<RpcName, number>> | number | 'none';
  /** Changes to DEFAULT_RETRY_POLICY, e.g. `{ methods: 'all' }` or `{ maxAttempts: 1 }` (no retries). */
  retry?: Partial<RetryPolicy>;
  /** grpc-js channel options (keepalive, max message sizes, ...). */
  channelOptions?: Partial<ChannelOptions>;
}

export interface CallOptions {
  /** Sent as `authorization: Bearer <token>` (the RPCs marked signed-in need it). */
  token?: string;
  /** Further request metadata, e.g. `{ 'x-request-id': '...' }`. */
  metadata?: Record<string, string>;
  /** A point in time, or milliseconds from now; default the client's deadline of this RPC. */
  deadline?: Date | number;
  /** Cancels the call (and any wait before a retry): it then fails with CANCELLED. */
  signal?: AbortSignal;
  /** true: retry this call after UNAVAILABLE whatever the policy's list; false: never. Default: the policy. */
  retry?: boolean;
}

/** A response with the server's response headers (initial metadata), e.g. `x-request-id`. */
export interface CallResult<K extends RpcName> {
  response: ResponseOf<K>;
  headers: Metadata;
}

type RpcMethods = { [K in RpcName]: (request: RequestOf<K>, options?: CallOptions) => Promise<ResponseOf<K>> };

// The methods are made from the service definition in the constructor; this declaration gives them their types.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface AuthClient extends RpcMethods {}

/**
 * A client of auth.v1.AuthService: one promise method per RPC (`login`, `getUser`, ...), each with a default deadline,
 * retried after UNAVAILABLE when the retry policy says the RPC is safe to repeat; failures reject with an
 * AuthServiceError carrying the decoded rich error details. One client holds one channel: share it, close() at the end.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class AuthClient {
  readonly #channel: Client;
  readonly #deadlines: Partial<Record<RpcName, number>>;
  readonly #retry: RetryPolicy;

  constructor(options: AuthClientOptions) {
    this.#channel = new Client(options.address, options.credentials ?? credentials.createInsecure(), options.channelOptions ?? {});
    const { deadlines = {} } = options;
    this.#deadlines =
      deadlines === 'none' ? {} : typeof deadlines === 'number' ? Object.fromEntries(RPC_NAMES.map((name) => [name, deadlines])) : { ...DEFAULT_DEADLINES_MS, ...deadlines };
    this.#retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    for (const name of RPC_NAMES) {
      Object.defineProperty(this, name, { value: (request: never, callOptions?: CallOptions) => this.call(name, request, callOptions) });
    }
  }

  /** The RPC named by `method`: `client.call('login', request)` is `client.login(request)`. */
  async call<K extends RpcName>(method: K, request: RequestOf<K>, options: CallOptions = {}): Promise<ResponseOf<K>> {
    return (await this.callWithHeaders(method, request, options)).response;
  }

  /** The response with the server's response headers. */
  async callWithHeaders<K extends RpcName>(method: K, request: RequestOf<K>, options: CallOptions = {}): Promise<CallResult<K>> {
    const deadline = this.#deadlineOf(method, options.deadline);
    const retried = options.retry ?? retriesMethod(this.#retry, method);
    for (let attempts = 1; ; attempts += 1) {
      try {
        return await this.#attempt(method, request, options, deadline);
      } catch (error) {
        const failure = new AuthServiceError(error as ServiceError, attempts);
        const msLeft = deadline === undefined ? Infinity : deadline.getTime() - Date.now();
        const wait = retried ? retryDelay(this.#retry, { code: failure.code, retryDelayMs: failure.retryDelayMs, attempts, msLeft }) : null;
        if (wait === null || options.signal?.aborted) throw failure;
        await sleep(wait, options.signal);
      }
    }
  }

  /** Closes the channel; calls still running fail with CANCELLED. */
  close(): void {
    this.#channel.close();
  }

  #attempt<K extends RpcName>(method: K, request: RequestOf<K>, options: CallOptions, deadline: Date | undefined): Promise<CallResult<K>> {
    const definition = AuthServiceService[method];
    const metadata = new Metadata();
    if (options.token !== undefined) metadata.set('authorization', `Bearer ${options.token}`);
    for (const [key, value] of Object.entries(options.metadata ?? {})) metadata.set(key, value);
    return new Promise((resolve, reject) => {
      let headers = new Metadata();
      const call = this.#channel.makeUnaryRequest(
        definition.path,
        definition.requestSerialize as (value: RequestOf<K>) => Buffer,
        definition.responseDeserialize as (value: Buffer) => ResponseOf<K>,
        request,
        metadata,
        deadline ? { deadline } : {},
        (error, response) => {
          options.signal?.removeEventListener('abort', cancel);
          if (error) reject(error);
          else resolve({ response: response!, headers });
        },
      );
      const cancel = (): void => call.cancel();
      if (options.signal?.aborted) call.cancel();
      else options.signal?.addEventListener('abort', cancel, { once: true });
      call.on('metadata', (received: Metadata) => {
        headers = received;
      });
    });
  }

  #deadlineOf(method: RpcName, given: Date | number | undefined): Date | undefined {
    if (given instanceof Date) return given;
    const ms = given ?? this.#deadlines[method];
    return ms === undefined ? undefined : new Date(Date.now() + ms);
  }
}

/** Every RPC of the service, by client name, in the order of the proto. */
export const RPC_NAMES = Object.keys(AuthServiceService) as RpcName[];

/** A client of the service at `options.address` (see AuthClientOptions for deadlines and retries). */
export function createAuthClient(options: AuthClientOptions): AuthClient {
  return new AuthClient(options);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
