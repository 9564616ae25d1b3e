import { Metadata, Server, ServerCredentials, status, type sendUnaryData, type ServerUnaryCall, type ServiceError, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { AuthServiceService } from '@authsvc/proto/auth/v1/auth';
import { Any } from '@authsvc/proto/google/protobuf/any';
import { BadRequest, ErrorInfo, RequestInfo, RetryInfo } from '@authsvc/proto/google/rpc/error_details';
import { Status } from '@authsvc/proto/google/rpc/status';
import type { RequestOf, ResponseOf, RpcName } from '../../src/index.js';

type Handler<K extends RpcName> = (request: RequestOf<K>, metadata: Metadata) => ResponseOf<K> | Promise<ResponseOf<K>>;
export type FakeHandlers = { [K in RpcName]?: Handler<K> };

/** A scripted auth.v1 server on 127.0.0.1: each RPC answers with its handler, an unscripted one with UNIMPLEMENTED. */
export interface FakeAuthServer {
  address: string;
  /** The time (Date.now()) of every call received, by RPC. */
  received: Partial<Record<RpcName, number[]>>;
  calls(method: RpcName): number;
  close(): Promise<void>;
}

export async function startFakeAuthServer(handlers: FakeHandlers): Promise<FakeAuthServer> {
  const server = new Server();
  const received: FakeAuthServer['received'] = {};
  const implementation: UntypedServiceImplementation = {};
  for (const name of Object.keys(AuthServiceService) as RpcName[]) {
    implementation[name] = (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => {
      (received[name] ??= []).push(Date.now());
      const handler = handlers[name] as Handler<RpcName> | undefined;
      if (!handler) return callback({ code: status.UNIMPLEMENTED, details: `${name} is not scripted` });
      Promise.resolve()
        .then(() => handler(call.request as never, call.metadata))
        .then(
          (response) => callback(null, response),
          (error: Partial<ServiceError>) => callback(error),
        );
    };
  }
  server.addService(AuthServiceService, implementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return {
    address: `127.0.0.1:${port}`,
    received,
    calls: (method) => received[method]?.length ?? 0,
    close: () => new Promise((resolve) => server.tryShutdown(() => resolve())),
  };
}

/** What a scripted failure carries in its google.rpc.Status. */
export interface FailureDetails {
  reason?: string;
  fieldViolations?: { field: string; description: string }[];
  retryDelayMs?: number;
  requestId?: string;
  /** Extra trailers, e.g. x-request-id. */
  trailers?: Record<string, string>;
  /** A detail of a type the client does not know. */
  unknownType?: string;
}

/** A failure as the real server sends it: the status, plus google.rpc details in `grpc-status-details-bin`. */
export function rpcFailure(code: status, message: string, details: FailureDetails = {}): Partial<ServiceError> {
  const any = (type: string, value: Uint8Array): Any => ({ typeUrl: `type.googleapis.com/${type}`, value: Buffer.from(value) });
  const packed: Any[] = [];
  if (details.reason) packed.push(any('google.rpc.ErrorInfo', ErrorInfo.encode({ reason: details.reason, domain: 'auth.v1', metadata: {} }).finish()));
  if (details.fieldViolations) packed.push(any('google.rpc.BadRequest', BadRequest.encode({ fieldViolations: details.fieldViolations.map((v) => ({ ...v, reason: '' })) }).finish()));
  if (details.retryDelayMs !== undefined) {
    const ms = details.retryDelayMs;
    packed.push(any('google.rpc.RetryInfo', RetryInfo.encode({ retryDelay: { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 } }).finish()));
  }
  if (details.requestId) packed.push(any('google.rpc.RequestInfo', RequestInfo.encode({ requestId: details.requestId, servingData: '' }).finish()));
  if (details.unknownType) packed.push(any(details.unknownType, new Uint8Array([8, 1])));
  const metadata = new Metadata();
  metadata.set('grpc-status-details-bin', Buffer.from(Status.encode({ code, message, details: packed }).finish()));
  for (const [key, value] of Object.entries(details.trailers ?? {})) metadata.set(key, value);
  return { code, details: message, metadata };
}
