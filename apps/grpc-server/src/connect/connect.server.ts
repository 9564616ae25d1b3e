import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fromBinary, toBinary, type DescMethodUnary, type DescService } from '@bufbuild/protobuf';
import { createContextKey, createContextValues, cors, type ConnectRouter, type HandlerContext } from '@connectrpc/connect';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import { AuthServiceService } from '@authsvc/proto/auth/v1/auth';
import { AUTH_SERVICE_HANDLERS } from '../grpc/auth-service.rpc.js';
import { callContext, pipelined, type PipelineDependencies } from '../grpc/call-pipeline.factory.js';
import { mapError } from '../grpc/error-mapping.interceptor.js';
import { REQUEST_ID_HEADER } from '../grpc/request-id.interceptor.js';
import type { RpcHandler } from '../grpc/rpc-handler.types.js';
import { authServiceSchema } from './auth-service-schema.codec.js';
import { connectErrorOf, connectTransport, metadataOf } from './connect-call.codec.js';

export interface ConnectServerDependencies extends PipelineDependencies {
  /** Origins (scheme://host[:port]) whose pages may call; a request from any other origin is refused (403). */
  allowedOrigins: readonly string[];
  /** Largest request or response message, as grpc.maxMessageBytes. */
  maxMessageBytes: number;
}

export interface ConnectServerHandle {
  /** Binds and starts serving; resolves with the bound port (useful with port 0). */
  listen(host: string, port: number): Promise<number>;
  /** Stops accepting, lets in-flight calls finish, and closes what is left after `deadlineMs`. */
  shutdown(deadlineMs: number): Promise<void>;
}

/** The socket's peer as `address:port`, grpc-js's spelling, for the client-address step. */
const PEER = createContextKey('unknown', { description: 'peer address' });

type MethodName = keyof typeof AUTH_SERVICE_HANDLERS;

/**
 * One RPC on the Connect router: the request crosses to the ts-proto message the handler takes (through its
 * protobuf bytes: one message, two generated representations), runs through the same pipeline as a grpc-js call,
 * and the response crosses back.
 */
function route(router: ConnectRouter, method: DescMethodUnary, run: (call: ReturnType<typeof callContext>) => Promise<unknown>, handler: RpcHandler<never, unknown>): void {
  const wire = AuthServiceService[method.localName as MethodName];
  router.rpc(method, async (request, context: HandlerContext) => {
    const decoded = wire.requestDeserialize(Buffer.from(toBinary(method.input, request)));
    const call = callContext(connectTransport(context, context.values.get(PEER)), handler.operation, decoded, metadataOf(context.requestHeader));
    let response: unknown;
    try {
      response = await run(call);
    } catch (error) {
      throw connectErrorOf(mapError(error, call.requestId), context.responseHeader);
    }
    return fromBinary(method.output, (wire.responseSerialize as (value: unknown) => Buffer)(response));
  });
}

function routes(deps: PipelineDependencies, schema: DescService): (router: ConnectRouter) => void {
  const through = pipelined(deps);
  return (router) => {
    for (const method of schema.methods) {
      const handler = AUTH_SERVICE_HANDLERS[method.localName as MethodName] as RpcHandler<never, unknown> | undefined;
      if (handler === undefined || method.methodKind !== 'unary') throw new Error(`auth.v1.AuthService/${method.name} has no unary handler`);
      route(router, method as DescMethodUnary, through(handler), handler);
    }
  };
}

const ALLOWED_HEADERS = [...cors.allowedHeaders, 'authorization', REQUEST_ID_HEADER].join(', ');
const EXPOSED_HEADERS = [...cors.exposedHeaders, REQUEST_ID_HEADER].join(', ');

/**
 * CORS by an allow-list of origins: a preflight from an allowed origin is answered with what Connect and gRPC-Web
 * send and read (plus `authorization` and `x-request-id`); a request from any other origin is refused before it
 * reaches a handler. A request with no Origin (a server-side client, curl) is served.
 */
function withCors(allowedOrigins: readonly string[], next: (request: IncomingMessage, response: ServerResponse) => void) {
  const allowed = new Set(allowedOrigins);
  return (request: IncomingMessage, response: ServerResponse): void => {
    const origin = request.headers.origin;
    if (origin !== undefined) {
      if (!allowed.has(origin)) {
        response.writeHead(403, { 'content-type': 'text/plain; charset=utf-8', vary: 'Origin' }).end('origin not allowed\n');
        return;
      }
      response.setHeader('access-control-allow-origin', origin);
      response.setHeader('vary', 'Origin');
      response.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
      if (request.method === 'OPTIONS') {
        response
          .writeHead(204, { 'access-control-allow-methods': cors.allowedMethods.join(', '), 'access-control-allow-headers': ALLOWED_HEADERS, 'access-control-max-age': '7200' })
          .end();
        return;
      }
    }
    next(request, response);
  };
}

/**
 * AuthService for browsers and mobile apps: the Connect protocol and gRPC-Web over HTTP/1.1 (and h2c), on a port of
 * its own, with the grpc-js server's handlers and call pipeline (request id, client address, access log, error
 * mapping, deadline, authentication), so every RPC has one implementation whatever the protocol.
 */
export function createConnectServer(deps: ConnectServerDependencies): ConnectServerHandle {
  const adapter = connectNodeAdapter({
    routes: routes(deps, authServiceSchema()),
    connect: true,
    grpcWeb: true,
    grpc: false,
    readMaxBytes: deps.maxMessageBytes,
    writeMaxBytes: deps.maxMessageBytes,
    contextValues: (request) => createContextValues().set(PEER, `${request.socket.remoteAddress ?? 'unknown'}:${request.socket.remotePort ?? 0}`),
  });
  const server = createServer(withCors(deps.allowedOrigins, adapter));
  return {
    listen: (host, port) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      }),
    shutdown: (deadlineMs) =>
      new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        const timer = setTimeout(() => {
          deps.logger.warn({ deadlineMs }, 'in-flight browser calls did not finish before the shutdown deadline; closing them');
          server.closeAllConnections();
        }, deadlineMs);
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
