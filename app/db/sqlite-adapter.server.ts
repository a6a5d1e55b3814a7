// The better-sqlite3 driver adapter uses ONE connection, and serializes only
// transactions against each other. A plain query from another request that
// arrives while an interactive transaction is open would run inside it: it
// would see uncommitted data, and a rollback would silently undo its write.
// This wrapper closes that gap: while a transaction is open, top-level
// queries wait for it to finish; the transaction's own queries (made through
// the Transaction object) go straight through.
import type Database from "better-sqlite3";
import type {
  ConnectionInfo,
  IsolationLevel,
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
  SqlQuery,
  Transaction,
} from "@prisma/driver-adapter-utils";

class TransactionGate {
  private open: Promise<void> | null = null;

  /** Resolves once no transaction is open. */
  async idle(): Promise<void> {
    while (this.open) await this.open;
  }

  /** Waits for the gate, then holds it until the returned release is called. */
  async hold(): Promise<() => void> {
    await this.idle();
    let release!: () => void;
    this.open = new Promise<void>((resolve) => (release = resolve));
    return () => {
      this.open = null;
      release();
    };
  }
}

/** A write that changes nothing: SQLite takes the write lock for any UPDATE, whatever it matches. */
const TAKE_WRITE_LOCK: SqlQuery = { sql: `UPDATE "_prisma_migrations" SET "id" = "id" WHERE 0`, args: [], argTypes: [] };

class SerializedAdapter implements SqlDriverAdapter {
  readonly provider;
  readonly adapterName;
  private readonly gate = new TransactionGate();

  readonly getConnectionInfo?: () => ConnectionInfo;

  constructor(private readonly inner: SqlDriverAdapter) {
    this.provider = inner.provider;
    this.adapterName = inner.adapterName;
    if (inner.getConnectionInfo) this.getConnectionInfo = () => inner.getConnectionInfo!();
  }

  // better-sqlite3 runs the statement synchronously inside the call, so
  // nothing can open a transaction between idle() resolving and the query.
  async queryRaw(query: SqlQuery) {
    await this.gate.idle();
    return this.inner.queryRaw(query);
  }

  async executeRaw(query: SqlQuery) {
    await this.gate.idle();
    return this.inner.executeRaw(query);
  }

  async executeScript(script: string) {
    await this.gate.idle();
    return this.inner.executeScript(script);
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    const release = await this.gate.hold();
    let tx: Transaction;
    try {
      tx = await this.inner.startTransaction(isolationLevel);
    } catch (e) {
      release();
      throw e;
    }
    try {
      // Take the write lock now, as BEGIN IMMEDIATE would (the adapter says
      // BEGIN). A deferred transaction that reads and then writes while another
      // process writes the same file fails at once with "database is locked":
      // the busy timeout cannot help a reader that must upgrade. Taken first,
      // the lock waits out the other writer (busy timeout) like a plain write.
      await tx.executeRaw(TAKE_WRITE_LOCK);
    } catch (e) {
      await tx.rollback().finally(release);
      throw e;
    }
    const finish = (end: () => Promise<void>) => async () => {
      try {
        await end();
      } finally {
        release();
      }
    };
    return {
      provider: tx.provider,
      adapterName: tx.adapterName,
      options: tx.options,
      queryRaw: (q) => tx.queryRaw(q),
      executeRaw: (q) => tx.executeRaw(q),
      commit: finish(() => tx.commit()),
      rollback: finish(() => tx.rollback()),
    };
  }

  dispose() {
    return this.inner.dispose();
  }
}

/**
 * The adapter prepares every statement again on every call, which was about
 * a sixth of the server's database time. Cache them by SQL text. The adapter
 * binds arguments with `prepare(sql).bind(args)`, and `bind()` would fix them
 * on a shared statement for good, so it gets a view that passes the
 * arguments at each run instead. Returns the cache, for tests.
 */
export function cacheStatements(connection: Database.Database, size = 500): Map<string, Database.Statement> {
  const prepare = connection.prepare.bind(connection);
  const cache = new Map<string, Database.Statement>();
  const withArgs = (statement: Database.Statement, args: unknown[]) => ({
    reader: statement.reader,
    columns: () => statement.columns(),
    run: () => statement.run(...args),
    raw: () => ({ all: () => statement.raw(true).all(...args) }),
  });
  connection.prepare = ((sql: string) => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = prepare(sql);
      if (cache.size >= size) cache.delete(cache.keys().next().value!);
      cache.set(sql, statement);
    }
    const shared = statement;
    return { ...withArgs(shared, []), bind: (...args: unknown[]) => withArgs(shared, args.length === 1 && Array.isArray(args[0]) ? args[0] : args) };
  }) as unknown as typeof connection.prepare;
  return cache;
}

const connected = new Set<Map<string, unknown>>();
/** The SQL texts cached on the adapters' connections (tests check that the cache is in place). */
export function cachedStatementTexts(): string[] {
  return [...connected].flatMap((cache) => [...cache.keys()]);
}

/** The adapter's better-sqlite3 connection (a field of the adapter, not part of its interface: checked, so an upgrade that moves it fails loudly). */
function connectionOf(adapter: SqlDriverAdapter): Database.Database {
  const client = (adapter as unknown as { client?: Database.Database }).client;
  if (!client || typeof client.prepare !== "function")
    throw new Error("@prisma/adapter-better-sqlite3 no longer exposes its connection as `client`: update app/db/sqlite-adapter.server.ts");
  return client;
}

export function serializedAdapter(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => {
      const adapter = await factory.connect();
      connected.add(cacheStatements(connectionOf(adapter)));
      return new SerializedAdapter(adapter);
    },
    connectToShadowDb: () => factory.connectToShadowDb(),
  };
}
