// Tell this process when one of its transactions has committed, whichever the
// engine: the event dispatcher then reads the outbox at once, so this
// process's own events reach its guest cache, live readers and subscribers
// without waiting for the next poll. (On SQLite a read waits for an open
// transaction anyway; on PostgreSQL it would run beside it and find nothing.)
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, Transaction } from "@prisma/driver-adapter-utils";
import { nudge } from "~/lib/events.server";

function nudgingTransaction(tx: Transaction): Transaction {
  return {
    provider: tx.provider,
    adapterName: tx.adapterName,
    options: tx.options,
    queryRaw: (q) => tx.queryRaw(q),
    executeRaw: (q) => tx.executeRaw(q),
    commit: async () => {
      await tx.commit();
      nudge({ kind: "transaction.committed" });
    },
    rollback: () => tx.rollback(),
  };
}

function nudgingAdapter(inner: SqlDriverAdapter): SqlDriverAdapter {
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    queryRaw: (q) => inner.queryRaw(q),
    executeRaw: (q) => inner.executeRaw(q),
    executeScript: (s) => inner.executeScript(s),
    startTransaction: async (level) => nudgingTransaction(await inner.startTransaction(level)),
    dispose: () => inner.dispose(),
    ...(inner.getConnectionInfo ? { getConnectionInfo: () => inner.getConnectionInfo!() } : {}),
  };
}

export function nudgeOnCommit(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => nudgingAdapter(await factory.connect()),
    connectToShadowDb: () => factory.connectToShadowDb(),
  };
}
