-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_InboundMail" (
    "messageId" TEXT NOT NULL PRIMARY KEY,
    "fromAddress" TEXT NOT NULL,
    "userId" INTEGER,
    "replyId" INTEGER,
    "status" TEXT NOT NULL,
    "code" TEXT NOT NULL DEFAULT '',
    "reason" TEXT NOT NULL DEFAULT '',
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_InboundMail" ("fromAddress", "messageId", "reason", "receivedAt", "replyId", "status", "userId") SELECT "fromAddress", "messageId", "reason", "receivedAt", "replyId", "status", "userId" FROM "InboundMail";
DROP TABLE "InboundMail";
ALTER TABLE "new_InboundMail" RENAME TO "InboundMail";
CREATE INDEX "InboundMail_receivedAt_idx" ON "InboundMail"("receivedAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
