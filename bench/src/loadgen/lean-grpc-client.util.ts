import http2, { constants, type ClientHttp2Session, type IncomingHttpHeaders } from 'node:http2';
import { failureOutcome, type PreparedCall } from './call-kinds.scenario.ts';

/** Sends one prepared call; resolves with null for a real success, else why not. Never rejects. */
export interface CallTransport {
  send(call: PreparedCall): Promise<string | null>;
  close(): void;
}

/** The 5-byte gRPC message prefix (not compressed, big-endian length) and the message. */
function framed(message: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(5 + message.length);
  frame[0] = 0;
  frame.writeUInt32BE(message.length, 1);
  message.copy(frame, 5);
  return frame;
}

/**
 * The lean load generator (issue #22, part 3): gRPC unary calls written straight onto one node:http2 session, with
 * none of grpc-js's channel, call stack, interceptors or retry machinery in between, so that the generator costs less
 * per call than the server it measures. Each call is still verified like grpc-js would: HTTP status 200, the
 * `grpc-status` trailer (or the trailers-only header) 0, exactly one uncompressed message of the announced length,
 * decoded and checked by the scenario's own check. A call past its deadline is cancelled (RST_STREAM CANCEL).
 */
export async function connectLean(target: string, callTimeoutMs: number): Promise<CallTransport> {
  const session: ClientHttp2Session = http2.connect(`http://${target}`);
  let sessionError: Error | undefined;
  session.on('error', (error) => (sessionError = error));
  await new Promise<void>((resolve, reject) => {
    session.once('connect', () => resolve());
    session.once('error', reject);
  });
  const timeout = `${callTimeoutMs}m`;

  const send = (call: PreparedCall): Promise<string | null> =>
    new Promise((resolve) => {
      if (sessionError) return resolve(`connection failed: ${sessionError.message}`);
      const headers: Record<string, string | string[]> = {
        [constants.HTTP2_HEADER_METHOD]: 'POST',
        [constants.HTTP2_HEADER_PATH]: call.codec.path,
        [constants.HTTP2_HEADER_CONTENT_TYPE]: 'application/grpc',
        te: 'trailers',
        'grpc-timeout': timeout,
      };
      for (const [key, value] of Object.entries(call.metadata.getMap())) headers[key] = typeof value === 'string' ? value : value.toString('base64');
      const stream = session.request(headers);
      const chunks: Buffer[] = [];
      let httpStatus = 0;
      let grpcStatus: string | undefined;
      let grpcMessage = '';
      const readStatus = (h: IncomingHttpHeaders): void => {
        if (h['grpc-status'] !== undefined) {
          grpcStatus = String(h['grpc-status']);
          grpcMessage = decodeURIComponent(String(h['grpc-message'] ?? ''));
        }
      };
      stream.on('response', (h) => {
        httpStatus = Number(h[constants.HTTP2_HEADER_STATUS]);
        readStatus(h); // trailers-only response (an error without a message)
      });
      stream.on('trailers', readStatus);
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.setTimeout(callTimeoutMs, () => stream.close(constants.NGHTTP2_CANCEL));
      stream.on('error', () => undefined); // the outcome is read on close
      stream.on('close', () => {
        if (httpStatus !== 200) return resolve(httpStatus === 0 ? `no response (RST_STREAM ${stream.rstCode})` : `HTTP ${httpStatus}`);
        if (grpcStatus === undefined) return resolve('no grpc-status');
        if (grpcStatus !== '0') return resolve(failureOutcome(call, Number(grpcStatus), grpcMessage));
        const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
        if (body.length < 5 || body[0] !== 0 || body.readUInt32BE(1) !== body.length - 5) return resolve('not exactly one uncompressed message');
        try {
          resolve(call.check(call.codec.deserialize(body.subarray(5))));
        } catch (error) {
          resolve(`undecodable response: ${String(error)}`);
        }
      });
      stream.end(framed(call.codec.serialize(call.request)));
    });

  return { send, close: () => session.close() };
}
