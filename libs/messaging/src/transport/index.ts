// The Kafka transport: the only folder that imports the Kafka client library.
export * from './kafka.js';
export * from './kafkajs-idle-fix.js';
export * from './publisher.js';
export * from './provisioning.js';
export * from './kafka-health.js';
export * from './batch-context.js';
export * from './dlq-writer.js';
export * from './batch-applier.js';
export * from './fetch-loop.js';
export * from './kafka-batch.server.js';
export * from './broadcast.js';
