import { Client as GrpcClient, credentials, Metadata, type ServiceError } from '@grpc/grpc-js';

/** A field value on the wire: a string/bytes field (length-delimited) or a varint. Anything may go in either. */
export type WireValue = { kind: 'bytes'; value: Uint8Array } | { kind: 'varint'; value: bigint } | { kind: 'fixed32'; value: number };
export type WireMessage = [field: number, value: WireValue][];

function varint(value: bigint): number[] {
  // Negative int32/enum values go on the wire as 10-byte two's complement, as protobuf does.
  let v = value < 0n ? value + (1n << 64n) : value;
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return out;
}

/** Encodes fields by hand, so that the fuzzer can send what no generated encoder would: invalid UTF-8, wrong wire types, repeated scalars. */
export function encode(message: WireMessage): Buffer {
  const parts: number[] = [];
  for (const [field, value] of message) {
    if (value.kind === 'bytes') {
      parts.push(...varint(BigInt((field << 3) | 2)), ...varint(BigInt(value.value.length)));
      for (const byte of value.value) parts.push(byte);
    } else if (value.kind === 'varint') {
      parts.push(...varint(BigInt(field << 3)), ...varint(value.value));
    } else {
      parts.push(...varint(BigInt((field << 3) | 5)), value.value & 0xff, (value.value >> 8) & 0xff, (value.value >> 16) & 0xff, (value.value >>> 24) & 0xff);
    }
  }
  return Buffer.from(parts);
}

/** Unary calls with hand-made request bytes; the response is not decoded. */
export class RawClient {
  private readonly client: GrpcClient;
  constructor(address: string) {
    this.client = new GrpcClient(address, credentials.createInsecure());
  }

  call(method: string, body: Buffer, token?: string): Promise<{ code: number; error?: ServiceError }> {
    const metadata = new Metadata();
    if (token) metadata.set('authorization', `Bearer ${token}`);
    return new Promise((resolve) => {
      this.client.makeUnaryRequest(
        `/auth.v1.AuthService/${method}`,
        (value: Buffer) => value,
        (value: Buffer) => value,
        body,
        metadata,
        { deadline: new Date(Date.now() + 15_000) },
        (error) => resolve(error ? { code: error.code, error } : { code: 0 }),
      );
    });
  }

  /** grpc.health.v1.Health/Check for `service`: SERVING, NOT_SERVING, SERVICE_UNKNOWN... or the call's error code. */
  health(service = ''): Promise<string> {
    const names = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'];
    const body = service ? encode([[1, { kind: 'bytes', value: Buffer.from(service) }]]) : Buffer.alloc(0);
    return new Promise((resolve) => {
      this.client.makeUnaryRequest(
        '/grpc.health.v1.Health/Check',
        (value: Buffer) => value,
        (value: Buffer) => value,
        body,
        new Metadata(),
        { deadline: new Date(Date.now() + 3_000) },
        (error, response?: Buffer) => resolve(error ? `error ${error.code}` : (names[response && response.length >= 2 ? response[1]! : 0] ?? 'UNKNOWN')),
      );
    });
  }

  close(): void {
    this.client.close();
  }
}
