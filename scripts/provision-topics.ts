// Creates every contract topic and its DLQ on the broker (auto-creation is off).
//   node dist/scripts/provision-topics.js     env: KAFKA_BROKERS, TOPIC_PREFIX
import { createKafka, parseBrokers, provisionTopics, TopicNamer } from '@darman/messaging';

const kafka = createKafka({ brokers: parseBrokers(process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'), clientId: 'darman-provision' });
const admin = kafka.admin();
await admin.connect();
try {
  const result = await provisionTopics(admin, new TopicNamer(process.env.TOPIC_PREFIX ?? ''));
  console.log(`topics: ${result.created.length} created, ${result.existing.length} already there`);
} finally {
  await admin.disconnect();
}
