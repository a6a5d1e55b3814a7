-- CreateTable
CREATE TABLE "TagFollow" (
    "userId" INTEGER NOT NULL,
    "tagId" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("userId", "tagId"),
    CONSTRAINT "TagFollow_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "TagFollow_tagId_fkey" FOREIGN KEY ("tagId") REFERENCES "Tag" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TagSuggestion" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "scopeNote" TEXT NOT NULL DEFAULT '',
    "suggestedById" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "TagSuggestion_suggestedById_fkey" FOREIGN KEY ("suggestedById") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Thread" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "kind" TEXT NOT NULL DEFAULT 'question',
    "title" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "bodySource" TEXT NOT NULL,
    "bodyHtml" TEXT NOT NULL,
    "rendererVersion" INTEGER NOT NULL,
    "authorId" INTEGER NOT NULL,
    "libraryTypes" TEXT NOT NULL DEFAULT '',
    "jobLocation" TEXT NOT NULL DEFAULT '',
    "jobClosesOn" DATETIME,
    "hitExpectedBy" DATETIME,
    "hitReminderSentAt" DATETIME,
    "sourceThreadId" INTEGER,
    "acceptedReplyId" INTEGER,
    "helpfulTotal" INTEGER NOT NULL DEFAULT 0,
    "publicReplyCount" INTEGER NOT NULL DEFAULT 0,
    "privateReplyCount" INTEGER NOT NULL DEFAULT 0,
    "lastActivityAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "editedAt" DATETIME,
    CONSTRAINT "Thread_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Thread_sourceThreadId_fkey" FOREIGN KEY ("sourceThreadId") REFERENCES "Thread" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Thread_acceptedReplyId_fkey" FOREIGN KEY ("acceptedReplyId") REFERENCES "Reply" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Thread" ("acceptedReplyId", "authorId", "bodyHtml", "bodySource", "createdAt", "editedAt", "hitExpectedBy", "hitReminderSentAt", "id", "jobClosesOn", "jobLocation", "kind", "lastActivityAt", "libraryTypes", "privateReplyCount", "publicReplyCount", "rendererVersion", "slug", "sourceThreadId", "title") SELECT "acceptedReplyId", "authorId", "bodyHtml", "bodySource", "createdAt", "editedAt", "hitExpectedBy", "hitReminderSentAt", "id", "jobClosesOn", "jobLocation", "kind", "lastActivityAt", "libraryTypes", "privateReplyCount", "publicReplyCount", "rendererVersion", "slug", "sourceThreadId", "title" FROM "Thread";
DROP TABLE "Thread";
ALTER TABLE "new_Thread" RENAME TO "Thread";
CREATE UNIQUE INDEX "Thread_acceptedReplyId_key" ON "Thread"("acceptedReplyId");
CREATE INDEX "Thread_lastActivityAt_id_idx" ON "Thread"("lastActivityAt", "id");
CREATE INDEX "Thread_createdAt_id_idx" ON "Thread"("createdAt", "id");
CREATE INDEX "Thread_kind_lastActivityAt_idx" ON "Thread"("kind", "lastActivityAt");
CREATE INDEX "Thread_helpfulTotal_id_idx" ON "Thread"("helpfulTotal", "id");
CREATE INDEX "Thread_authorId_idx" ON "Thread"("authorId");
CREATE INDEX "Thread_sourceThreadId_idx" ON "Thread"("sourceThreadId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "TagFollow_tagId_idx" ON "TagFollow"("tagId");

-- CreateIndex
CREATE INDEX "TagSuggestion_status_idx" ON "TagSuggestion"("status");
