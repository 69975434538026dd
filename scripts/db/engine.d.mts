// Types of the parts of engine.mjs that TypeScript code (tests) uses.
export declare const SERVICES: readonly string[];
export declare function ensureDatabase(databaseUrl: string): Promise<void>;
export declare function dropDatabase(databaseUrl: string): Promise<void>;
export declare function applyMigrations(options: {
  databaseUrl: string;
  migrationsDir: string;
  schemaPath?: string;
}): Promise<{ applied: string[] }>;
