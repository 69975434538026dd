// Types of schema.mjs (service schema + shared fragments).
export interface SchemaFile {
  path: string;
  content: string;
}
export interface Fragment extends SchemaFile {
  /** Repository-relative path as written in the directive: libs/<lib>/prisma/<name>.prisma. */
  ref: string;
}
export declare function findRepoRoot(from: string): string;
export declare function parseIncludes(content: string, file?: string): string[];
export declare function resolveIncludes(schemaPath: string, options?: { root?: string }): Fragment[];
export declare function rebaseGeneratorOutput(content: string, fromDir: string, toDir: string): string;
export declare function writeSchemaFolder(schemaPath: string, outDir: string, options?: { root?: string }): string[];
/** The service's own .prisma file(s), then the fragments they include (real paths). */
export declare function readSchemaFiles(schemaPath: string, options?: { root?: string }): SchemaFile[];
