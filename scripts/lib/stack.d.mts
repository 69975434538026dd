import type { ChildProcess } from 'node:child_process';
export type Ports = Record<'gateway' | 'identity' | 'claims' | 'referrals' | 'providers', number>;
export declare const DEFAULT_PORTS: Ports;
export declare function portAnswers(hostPort: string, timeoutMs?: number): Promise<boolean>;
export declare function ensureKafka(brokers: string, env?: Record<string, string>): Promise<boolean>;
export declare function stopKafka(brokers: string): void;
export declare function serviceDatabaseUrl(serverUrl: string, database: string): string;
/** Creates missing databases (`databases`: service → name on the server of `serverUrl`) and applies migrations. */
export declare function migrate(serverUrl: string, databases: Record<string, string>): void;
export declare function provisionTopics(brokers: string, topicPrefix: string): void;
export declare function seed(brokers: string, topicPrefix: string): void;
export declare function startServices(options: {
  ports?: Ports;
  brokers: string;
  topicPrefix?: string;
  databaseUrls: Record<string, string>;
  logDir: string;
  extraEnv?: Record<string, string>;
  /** Start only these (default: the gateway and the four services). */
  only?: (keyof Ports)[];
}): Record<string, ChildProcess>;
export declare function waitReady(ports: Ports, services?: string[], timeoutMs?: number): Promise<void>;
export declare function stopServices(
  children: Record<string, ChildProcess>,
  timeoutMs?: number,
): Promise<Record<string, number | string | null>>;
