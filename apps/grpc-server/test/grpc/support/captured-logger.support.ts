import type { GrpcLogger } from '../../../src/grpc/index.js';

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  message: string;
  fields: Record<string, unknown>;
}

/** A GrpcLogger that keeps every line, serialized the way a JSON logger would write it. */
export class CapturedLogger implements GrpcLogger {
  readonly lines: LogLine[] = [];

  info(fields: Record<string, unknown>, message: string): void {
    this.lines.push({ level: 'info', message, fields });
  }
  warn(fields: Record<string, unknown>, message: string): void {
    this.lines.push({ level: 'warn', message, fields });
  }
  error(fields: Record<string, unknown>, message: string): void {
    this.lines.push({ level: 'error', message, fields });
  }

  /** Everything logged, as text (errors with their message and stack). */
  text(): string {
    return this.lines
      .map((line) =>
        JSON.stringify({ ...line, fields: line.fields }, (_key, value: unknown) =>
          value instanceof Error ? { message: value.message, stack: value.stack } : value,
        ),
      )
      .join('\n');
  }

  /** The access-log lines of one RPC. */
  rpcLines(method: string): LogLine[] {
    return this.lines.filter((line) => line.fields['method'] === method);
  }
}
