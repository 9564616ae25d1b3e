// @authsvc/adapters-kafka: the event publisher port on Kafka (kafkajs), and topic administration.
export { KafkaEventPublisher, groupByTopic, toKafkaMessage, type KafkaEventPublisherOptions } from './kafka-event-publisher.js';
export { translateKafkaError } from './kafka.errors.js';
export { createKafkaClient, type KafkaConnectionOptions, type KafkaLogLevel } from './kafka-connection.options.js';
export { ensureTopics, type EnsureTopicsRequest, type EnsureTopicsResult } from './ensure-topics.js';
export { DEFAULT_EVENT_TOPICS } from './topic-names.js';
export { consumeEvents, decodeMessage, formatEventLine, type ConsumeRequest, type ConsumedEvent } from './event-consumer.js';
