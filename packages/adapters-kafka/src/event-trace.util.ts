import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { OutboxEvent } from '@authsvc/core';

const tracer = trace.getTracer('@authsvc/adapters-kafka');

/** A send span per event, and the W3C `traceparent` header that continues its trace in the consumer. */
export interface EventSend {
  span: Span;
  /** The event's headers plus `traceparent`/`tracestate` of the send span when tracing is on; unchanged otherwise. */
  headers: Record<string, string>;
}

/**
 * Starts the PRODUCER span of one event, as a child of the call that wrote it: the trace context stored with the
 * outbox row (`ce_traceparent`, the CloudEvents distributed-tracing extension) when there is one, else the current
 * context. Its context goes into the message as the W3C `traceparent` header, so a consumer's OpenTelemetry
 * instrumentation continues the same trace. With tracing off (the API's no-op tracer and propagator) nothing is added.
 */
export function startEventSend(event: OutboxEvent): EventSend {
  const stored = event.headers['ce_traceparent'];
  const parent = stored
    ? propagation.extract(ROOT_CONTEXT, { traceparent: stored, ...(event.headers['ce_tracestate'] ? { tracestate: event.headers['ce_tracestate'] } : {}) })
    : context.active();
  const span = tracer.startSpan(
    `send ${event.topic}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'send',
        'messaging.operation.name': 'send',
        'messaging.destination.name': event.topic,
        'messaging.message.id': event.id,
        'cloudevents.event_id': event.id,
        'cloudevents.event_type': event.type,
      },
    },
    parent,
  );
  const carrier: Record<string, string> = {};
  propagation.inject(trace.setSpan(parent, span), carrier);
  return { span, headers: { ...event.headers, ...carrier } };
}

/** Ends the send spans of a batch: OK when the broker acknowledged it, ERROR with the failure otherwise. */
export function endEventSends(sends: readonly EventSend[], error?: unknown): void {
  for (const { span } of sends) {
    if (error !== undefined) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    }
    span.end();
  }
}
