// Loads a CSV of providers by publishing ProviderUpserted events on
// insurer.providers.v1, so every consumer (providers, referrals) sees the
// same data. Bad rows are reported with their line numbers; good rows are
// published anyway. Exit code 0 when every row was good, 2 when some were not.
//   npm run providers:import -- <file.csv>     env: KAFKA_BROKERS, TOPIC_PREFIX, IMPORT_SOURCE
import { readFileSync } from 'node:fs';
import { Topics } from '@darman/contracts';
import { createKafka, EventPublisher, parseBrokers, TopicNamer } from '@darman/messaging';
import { parseProviderCsv } from './provider-csv.js';

const file = process.argv[2];
if (!file) {
  console.error('usage: npm run providers:import -- <file.csv>');
  process.exit(1);
}
const source = process.env.IMPORT_SOURCE ?? 'provider-import';
const { events, problems } = parseProviderCsv(readFileSync(file, 'utf8'), source);
for (const p of problems) console.error(`line ${p.line}: ${p.reason}`);

const kafka = createKafka({ brokers: parseBrokers(process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'), clientId: 'darman-provider-import' });
const publisher = new EventPublisher(kafka, source, new TopicNamer(process.env.TOPIC_PREFIX ?? ''));
try {
  for (let i = 0; i < events.length; i += 1000) await publisher.publishMany(Topics.insurerProviders, events.slice(i, i + 1000));
} finally {
  await publisher.disconnect();
}
console.log(`providers import: ${events.length} published, ${problems.length} rejected`);
process.exit(problems.length > 0 ? 2 : 0);
