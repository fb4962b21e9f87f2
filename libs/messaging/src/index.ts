export * from './message-bus';
export * from './errors';
export { InMemoryMessageBus, type InMemoryMessageBusOptions } from './in-memory-message-bus';
export { KafkaMessageBus, type KafkaMessageBusOptions } from './kafka-message-bus';
export {
  createMessageBus,
  assertMessagingConfig,
  BUS_ADAPTERS,
  type MessagingConfig,
} from './create-message-bus';
export { MessagingModule, MessagingExplorer } from './messaging.module';
export {
  OnEvent,
  OnRequest,
  MESSAGE_HANDLERS,
  type MessageHandlerMetadata,
} from './message-handler.decorators';
export { type BusLogger, silentBusLogger, newEnvelope, UNCORRELATED_WARNING } from './bus-support';
/** The records on Kafka, for tools that use the topics without a bus (bench:request-reply). */
export { HEADER, envelopeRecord } from './kafka-records';
