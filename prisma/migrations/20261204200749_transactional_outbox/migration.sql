-- AlterTable
ALTER TABLE "Notification" ADD COLUMN "sourceEventId" INTEGER;

-- CreateTable
CREATE TABLE "OutboxEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "type" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "OutboxCursor" (
    "subscriber" TEXT NOT NULL PRIMARY KEY,
    "lastEventId" INTEGER NOT NULL DEFAULT 0,
    "owner" TEXT,
    "leaseUntil" DATETIME,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME,
    "lastError" TEXT NOT NULL DEFAULT '',
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "OutboxDeadLetter" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "subscriber" TEXT NOT NULL,
    "eventId" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "error" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- AlterTable (columns added in place, not by redefining the table: its
-- AUTOINCREMENT sequence must keep counting from where it was, since clients
-- hold live event ids)
ALTER TABLE "LiveEvent" ADD COLUMN "sourceEventId" INTEGER;
ALTER TABLE "LiveEvent" ADD COLUMN "part" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE UNIQUE INDEX "LiveEvent_sourceEventId_part_key" ON "LiveEvent"("sourceEventId", "part");

-- CreateIndex
CREATE INDEX "OutboxEvent_createdAt_idx" ON "OutboxEvent"("createdAt");

-- CreateIndex
CREATE INDEX "OutboxDeadLetter_createdAt_idx" ON "OutboxDeadLetter"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "OutboxDeadLetter_subscriber_eventId_key" ON "OutboxDeadLetter"("subscriber", "eventId");

-- CreateIndex
CREATE UNIQUE INDEX "Notification_userId_sourceEventId_kind_key" ON "Notification"("userId", "sourceEventId", "kind");
