// Types of the parts of engine.mjs that TypeScript code (tests) uses.
export declare const SERVICES: readonly string[];
export declare const DEFAULT_SERVER_URL: string;
export declare function withDatabase(databaseUrl: string, database: string): string;
export declare function databaseName(databaseUrl: string): string;
export declare function serviceDatabaseUrl(svc: string, env?: Record<string, string | undefined>): string;
export declare function redact(url: string): string;
/** Creates the database if it does not exist; true if it was created. */
export declare function ensureDatabase(databaseUrl: string): Promise<boolean>;
export declare function dropDatabase(databaseUrl: string): Promise<void>;
/** A service's schema files: its own, then the fragments it includes (see schema.mjs). */
export declare function loadSchemaFiles(schemaPath: string): Promise<{ path: string; content: string }[]>;
export declare function applyMigrations(options: {
  databaseUrl: string;
  migrationsDir: string;
  schemaPath?: string;
  log?: (line: string) => void;
}): Promise<{ applied: string[] }>;
/** SQL of the next migration ('' when the schema and its fragments match the migrations). */
export declare function diffMigration(options: {
  databaseUrl?: string;
  schemaPath: string;
  migrationsDir: string;
  log?: (line: string) => void;
}): Promise<string>;
export declare function isEmptyMigrationSql(sql: string): boolean;
export declare function engineVersion(): Promise<string>;
