// Publishes the demo data as insurer events (never by writing tables), through
// the validating publisher. Event ids are stable, so a second run changes nothing.
//   node dist/scripts/seed/seed-demo.js      env: KAFKA_BROKERS, TOPIC_PREFIX
import { createKafka, EventPublisher, parseBrokers, TopicNamer } from '@darman/messaging';
import { DEMO_EVENTS } from './demo-data.js';

const kafka = createKafka({ brokers: parseBrokers(process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'), clientId: 'darman-seed' });
const publisher = new EventPublisher(kafka, 'asmari-core', new TopicNamer(process.env.TOPIC_PREFIX ?? ''));
try {
  for (const { topic, event } of DEMO_EVENTS) await publisher.publish(topic, event);
  console.log(`seed: published ${DEMO_EVENTS.length} insurer events`);
} finally {
  await publisher.disconnect();
}
