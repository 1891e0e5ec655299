export { createKafka, type KafkaOptions, type KafkaSecurity, kafkaSecurityFromEnv } from './client.js';
export { decodeEvent, EventValidationError, encodeEvent } from './codec.js';
export {
  type ConsumerOptions,
  DeadLetter,
  DLT_HEADERS,
  type MessageContext,
  type RunningConsumer,
  startConsumer,
} from './consumer.js';
export { ConsumerLagMonitor, consumerLag, type LagAdmin, type LagMonitorOptions } from './lag.js';
export { type EventHeaders, EventPublisher } from './publisher.js';
export {
  GroupActiveError,
  type PartitionPlan,
  type ResetPlan,
  type ResetRequest,
  type ResetTarget,
  resetOffsets,
} from './replay.js';
export { DEAD_LETTER_SUFFIX, deadLetterTopic, ensureTopics } from './topics.js';
