// @authsvc/adapters-kafka: the event publisher port on Kafka (kafkajs), and topic administration.
export { KafkaEventPublisher, compressionOf, groupByTopic, toKafkaMessage, type KafkaEventPublisherOptions } from './kafka-event-publisher.adapter.js';
export { translateKafkaError } from './kafka.errors.js';
export { createKafkaClient, type KafkaConnectionOptions, type KafkaLogLevel, type KafkaLogLine, type KafkaLogSink } from './kafka-client.factory.js';
export { ensureTopics, type EnsureTopicsRequest, type EnsureTopicsResult } from './ensure-topics.util.js';
export { DEFAULT_EVENT_TOPICS } from './topic-names.config.js';
export { consumeEvents, decodeMessage, formatEventLine, type ConsumeRequest, type ConsumedEvent } from './event-consumer.adapter.js';
