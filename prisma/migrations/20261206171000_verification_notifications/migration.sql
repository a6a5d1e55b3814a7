-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Notification" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "userId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "threadId" INTEGER,
    "replyId" INTEGER,
    "resourceId" INTEGER,
    "verificationId" INTEGER,
    "actorId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "readAt" DATETIME,
    "mailedAt" DATETIME,
    "sourceEventId" INTEGER,
    CONSTRAINT "Notification_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Notification_threadId_fkey" FOREIGN KEY ("threadId") REFERENCES "Thread" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Notification_resourceId_fkey" FOREIGN KEY ("resourceId") REFERENCES "Resource" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Notification_verificationId_fkey" FOREIGN KEY ("verificationId") REFERENCES "Verification" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Notification_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Notification" ("actorId", "createdAt", "id", "kind", "mailedAt", "readAt", "replyId", "resourceId", "sourceEventId", "threadId", "userId") SELECT "actorId", "createdAt", "id", "kind", "mailedAt", "readAt", "replyId", "resourceId", "sourceEventId", "threadId", "userId" FROM "Notification";
DROP TABLE "Notification";
ALTER TABLE "new_Notification" RENAME TO "Notification";
CREATE INDEX "Notification_userId_readAt_idx" ON "Notification"("userId", "readAt");
CREATE INDEX "Notification_userId_id_idx" ON "Notification"("userId", "id");
CREATE UNIQUE INDEX "Notification_userId_sourceEventId_kind_key" ON "Notification"("userId", "sourceEventId", "kind");
CREATE TABLE "new_Verification" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "entryId" INTEGER NOT NULL,
    "verifierId" INTEGER,
    "verifierEmail" TEXT NOT NULL DEFAULT '',
    "verifierName" TEXT NOT NULL DEFAULT '',
    "tokenHash" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "message" TEXT NOT NULL DEFAULT '',
    "note" TEXT NOT NULL DEFAULT '',
    "decidedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Verification_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "PortfolioEntry" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Verification_verifierId_fkey" FOREIGN KEY ("verifierId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Verification" ("createdAt", "decidedAt", "entryId", "expiresAt", "id", "note", "status", "tokenHash", "verifierEmail", "verifierId", "verifierName") SELECT "createdAt", "decidedAt", "entryId", "expiresAt", "id", "note", "status", "tokenHash", "verifierEmail", "verifierId", "verifierName" FROM "Verification";
DROP TABLE "Verification";
ALTER TABLE "new_Verification" RENAME TO "Verification";
CREATE UNIQUE INDEX "Verification_tokenHash_key" ON "Verification"("tokenHash");
CREATE INDEX "Verification_entryId_idx" ON "Verification"("entryId");
CREATE INDEX "Verification_verifierId_status_idx" ON "Verification"("verifierId", "status");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
