import { isSpanContextValid, trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Logger } from 'pino';
import { BatchedLines } from './batched-lines.util.js';
import { isoTimeEachSecond } from './iso-time.util.js';
import { redactSecrets } from './secret-redaction.util.js';

export type AppLogger = Logger;

export interface LoggerOptions {
  level: string;
  /** Where JSON lines go; stdout by default (tests pass a capturing stream). */
  destination?: DestinationStream;
}

/**
 * Lines gathered before a write (~70 access-log lines), and the longest a line waits when fewer come. A write costs
 * ~45 µs of CPU (the string's copy, the hand-off to libuv's pool, the system call) for 4 KiB and ~60 µs for 16 KiB:
 * ~2.5 µs per line in 4 KiB batches, under 1 µs in 16 KiB ones.
 */
const WRITE_BATCH_BYTES = 16_384;
const WRITE_BATCH_MAX_WAIT_MS = 100;

/**
 * stdout, written asynchronously and in batches: a line is appended to a buffer and the event loop goes on; the buffer
 * is written once it holds WRITE_BATCH_BYTES, or after WRITE_BATCH_MAX_WAIT_MS. One write per call used to cost the
 * event loop 20-25 µs per GetUser or RefreshToken call and 8 % of its time during a login storm; batched, ~9 µs and
 * 2 % (docs/PERFORMANCE.md). What is still buffered is written synchronously when the process exits (BatchedLines' exit
 * hook, then pino's for its asynchronous destination), which every way out of the server goes through: the graceful shutdown ends with
 * process.exit, and so does a fatal error. What a SIGKILL or a V8 abort leaves in the buffer (at most 100 ms of
 * lines) is lost.
 */
function stdoutDestination(): DestinationStream {
  // The batching is BatchedLines' (cheaper per line than sonic-boom's minLength); sonic-boom writes each batch as it comes.
  return new BatchedLines(pino.destination({ dest: 1, sync: false, minLength: 0 }), WRITE_BATCH_BYTES, WRITE_BATCH_MAX_WAIT_MS);
}

/** What traceFields gives a line outside any span: nothing to add (frozen: shared by every such line). */
const NO_TRACE: Record<string, string> = Object.freeze({});

/**
 * The trace and span of the line's call, when tracing is on and a span is active (the OpenTelemetry API's no-op
 * tracer, the default, has none, so lines stay as they were without tracing).
 */
function traceFields(): Record<string, string> {
  const span = trace.getActiveSpan();
  if (!span) return NO_TRACE;
  const context = span.spanContext();
  return isSpanContextValid(context) ? { trace_id: context.traceId, span_id: context.spanId } : NO_TRACE;
}

/**
 * pino's merge of the mixin's fields into the line (its default: `Object.assign(mixinFields, line)`, trace fields
 * first), minus the copy of the whole line when there is nothing to add, as on every line without tracing.
 */
function withTraceFields(line: object, fields: object): object {
  return fields === NO_TRACE ? line : Object.assign(fields, line);
}

/**
 * JSON logs, one object per line, with every secret-looking field replaced by "[redacted]" at any depth, in the
 * object of the call and in a child logger's bindings alike (secret-redaction.util.ts).
 */
export function createLogger(options: LoggerOptions): AppLogger {
  const logger = pino(
    {
      level: options.level,
      base: { service: 'authsvc' },
      timestamp: isoTimeEachSecond(),
      mixin: traceFields,
      mixinMergeStrategy: withTraceFields,
      formatters: {
        level: (label) => ({ level: label }),
        bindings: (bindings) => redactSecrets(bindings),
        log: (object) => redactSecrets(object),
      },
    },
    options.destination ?? stdoutDestination(),
  );
  // pino applies the bindings formatter to the root logger only, so a child's bindings are redacted here, once per
  // child; children inherit this method, so grandchildren are covered too.
  const child = logger.child;
  logger.child = function (this: AppLogger, bindings, childOptions) {
    return child.call(this, redactSecrets(bindings), childOptions);
  } as AppLogger['child'];
  return logger;
}
