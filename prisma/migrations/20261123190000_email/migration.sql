-- Email (issue 8): delivery preferences and verification on members, a
-- durable outgoing queue, verification links, and the record of inbound
-- replies. Hand-written with ADD COLUMN (Prisma's diff would rebuild User).
ALTER TABLE "User" ADD COLUMN "emailVerifiedAt" DATETIME;
ALTER TABLE "User" ADD COLUMN "emailMode" TEXT NOT NULL DEFAULT 'daily';
ALTER TABLE "User" ADD COLUMN "emailNotifications" BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE "User" ADD COLUMN "vacationFrom" DATETIME;
ALTER TABLE "User" ADD COLUMN "vacationUntil" DATETIME;
ALTER TABLE "User" ADD COLUMN "lastDigestAt" DATETIME;

-- Notifications that exist already are not mailed now, long after the fact.
ALTER TABLE "Notification" ADD COLUMN "mailedAt" DATETIME;
UPDATE "Notification" SET "mailedAt" = "createdAt";

CREATE TABLE "EmailToken" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" INTEGER NOT NULL,
    "email" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    CONSTRAINT "EmailToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "EmailToken_userId_idx" ON "EmailToken"("userId");

CREATE TABLE "MailJob" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "userId" INTEGER,
    "toAddress" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedUntil" DATETIME,
    "lastError" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" DATETIME
);
CREATE UNIQUE INDEX "MailJob_key_key" ON "MailJob"("key");
CREATE INDEX "MailJob_status_nextAttemptAt_idx" ON "MailJob"("status", "nextAttemptAt");
CREATE INDEX "MailJob_createdAt_idx" ON "MailJob"("createdAt");

CREATE TABLE "InboundMail" (
    "messageId" TEXT NOT NULL PRIMARY KEY,
    "fromAddress" TEXT NOT NULL,
    "userId" INTEGER,
    "replyId" INTEGER,
    "status" TEXT NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX "InboundMail_receivedAt_idx" ON "InboundMail"("receivedAt");
