/**
 * The slice of a Prisma client the messaging library needs. Services pass
 * their own generated client; the library never imports one.
 */
export interface SqlExecutor {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
}

export interface TransactionOptions {
  timeout?: number;
  maxWait?: number;
}

export interface TransactionalDb<Tx extends SqlExecutor = SqlExecutor> extends SqlExecutor {
  $transaction<R>(fn: (tx: Tx) => Promise<R>, options?: TransactionOptions): Promise<R>;
}
