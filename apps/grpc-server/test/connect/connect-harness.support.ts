import { Code, ConnectError, createClient, type CallOptions, type Transport } from '@connectrpc/connect';
import { createConnectTransport, createGrpcWebTransport } from '@connectrpc/connect-node';
import type { DescService } from '@bufbuild/protobuf';
import { BadRequest, ErrorInfo } from '@authsvc/proto/google/rpc/error_details';
import { authServiceSchema } from '../../src/connect/auth-service-schema.codec.js';
import { createConnectServer, type ConnectServerHandle } from '../../src/connect/connect.server.js';
import type { ClientAddressOptions } from '../../src/grpc/index.js';
import { CapturedLogger } from '../grpc/support/captured-logger.support.js';
import { inMemoryAuthService, type InMemoryService } from '../grpc/support/in-memory-auth-service.support.js';

export const PROTOCOLS = ['connect', 'grpc-web'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/** A response message as @bufbuild/protobuf decodes it (fields by their camelCase names). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Message = Record<string, any>;
/** A client of the service built from its descriptors: one method per RPC, by its camelCase name. */
export type DynamicClient = Record<string, (request: object, options?: CallOptions) => Promise<Message>>;

export interface ConnectHarness {
  baseUrl: string;
  schema: DescService;
  logger: CapturedLogger;
  core: InMemoryService;
  completed: { method: string; code: string }[];
  /** A @connectrpc/connect-node client speaking this protocol (binary protobuf unless `json`). */
  client(protocol: Protocol, options?: { json?: boolean }): DynamicClient;
  close(): Promise<void>;
}

/** createConnectServer on 127.0.0.1:0 over core's in-memory service (the grpc suites' service). */
export async function startConnectHarness(options: { allowedOrigins?: string[]; clientAddress?: ClientAddressOptions } = {}): Promise<ConnectHarness> {
  const core = await inMemoryAuthService();
  const logger = new CapturedLogger();
  const completed: ConnectHarness['completed'] = [];
  const server: ConnectServerHandle = createConnectServer({
    service: core.service,
    logger,
    onRpcCompleted: (method, code) => completed.push({ method, code }),
    ...(options.clientAddress ? { clientAddress: options.clientAddress } : {}),
    allowedOrigins: options.allowedOrigins ?? [],
    maxMessageBytes: 65_536,
  });
  const port = await server.listen('127.0.0.1', 0);
  const baseUrl = `http://127.0.0.1:${port}`;
  const schema = authServiceSchema();
  return {
    baseUrl,
    schema,
    logger,
    core,
    completed,
    client: (protocol, { json = false } = {}) => {
      const transport: Transport =
        protocol === 'connect'
          ? createConnectTransport({ baseUrl, httpVersion: '1.1', useBinaryFormat: !json })
          : createGrpcWebTransport({ baseUrl, httpVersion: '1.1', useBinaryFormat: !json });
      return createClient(schema, transport) as unknown as DynamicClient;
    },
    close: async () => {
      await server.shutdown(1_000);
      await core.close();
    },
  };
}

/** The ConnectError a call fails with. */
export async function connectFailure(call: Promise<unknown>): Promise<ConnectError> {
  try {
    await call;
  } catch (error) {
    return ConnectError.from(error);
  }
  throw new Error('the call was expected to fail but succeeded');
}

/** The google.rpc details of a ConnectError, decoded. */
export function detailsOf(error: ConnectError): { reason: string | undefined; fields: string[] } {
  let reason: string | undefined;
  const fields: string[] = [];
  for (const detail of error.details) {
    if ('desc' in detail) continue;
    if (detail.type === 'google.rpc.ErrorInfo') reason = ErrorInfo.decode(detail.value).reason;
    if (detail.type === 'google.rpc.BadRequest') fields.push(...BadRequest.decode(detail.value).fieldViolations.map((v) => v.field));
  }
  return { reason, fields };
}

export { Code };
