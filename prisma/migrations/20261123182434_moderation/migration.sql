-- Moderation (issue 7): flags; hidden and held posts; locked, pinned and
-- duplicate threads; suspensions; the guidelines acknowledgement; a fuller,
-- append-only moderation log. Written by hand with ADD COLUMN: Prisma's diff
-- rebuilds these tables, which would silently drop the search triggers.
ALTER TABLE "User" ADD COLUMN "suspendedUntil" DATETIME;
ALTER TABLE "User" ADD COLUMN "suspensionReason" TEXT NOT NULL DEFAULT '';
ALTER TABLE "User" ADD COLUMN "guidelinesAcceptedAt" DATETIME;

ALTER TABLE "Thread" ADD COLUMN "hiddenAt" DATETIME;
ALTER TABLE "Thread" ADD COLUMN "hiddenReason" TEXT NOT NULL DEFAULT '';
ALTER TABLE "Thread" ADD COLUMN "lockedAt" DATETIME;
ALTER TABLE "Thread" ADD COLUMN "pinnedAt" DATETIME;
ALTER TABLE "Thread" ADD COLUMN "duplicateOfId" INTEGER;

ALTER TABLE "Reply" ADD COLUMN "hiddenAt" DATETIME;
ALTER TABLE "Reply" ADD COLUMN "hiddenReason" TEXT NOT NULL DEFAULT '';

ALTER TABLE "AuditEvent" ADD COLUMN "targetType" TEXT NOT NULL DEFAULT '';
ALTER TABLE "AuditEvent" ADD COLUMN "targetId" INTEGER;
ALTER TABLE "AuditEvent" ADD COLUMN "reason" TEXT NOT NULL DEFAULT '';
CREATE INDEX "AuditEvent_actorId_createdAt_idx" ON "AuditEvent"("actorId", "createdAt");
CREATE INDEX "AuditEvent_action_createdAt_idx" ON "AuditEvent"("action", "createdAt");

-- The log is append-only: what was done stays as it was recorded. (Clearing
-- actorId/subjectId stays possible, for ON DELETE SET NULL.)
CREATE TRIGGER "AuditEvent_append_only_update" BEFORE UPDATE OF "action", "detail", "targetType", "targetId", "reason", "createdAt" ON "AuditEvent" BEGIN
  SELECT RAISE(ABORT, 'The moderation log is append-only');
END;
CREATE TRIGGER "AuditEvent_append_only_delete" BEFORE DELETE ON "AuditEvent" BEGIN
  SELECT RAISE(ABORT, 'The moderation log is append-only');
END;

CREATE TABLE "Flag" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "target" TEXT NOT NULL,
    "threadId" INTEGER,
    "replyId" INTEGER,
    "resourceId" INTEGER,
    "reporterId" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" DATETIME,
    "resolvedById" INTEGER,
    "resolution" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "Flag_reporterId_fkey" FOREIGN KEY ("reporterId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Flag_resolvedById_fkey" FOREIGN KEY ("resolvedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE INDEX "Flag_resolvedAt_createdAt_idx" ON "Flag"("resolvedAt", "createdAt");
CREATE INDEX "Flag_target_idx" ON "Flag"("target");
CREATE UNIQUE INDEX "Flag_reporterId_target_key" ON "Flag"("reporterId", "target");

-- Search: a hidden post (held, flagged, hidden or deleted by a moderator) is
-- out of the index, and so are the replies of a hidden thread. A reply moved
-- to another thread is re-indexed under it.
DROP TRIGGER "SearchIndex_thread_insert";
DROP TRIGGER "SearchIndex_thread_update";
DROP TRIGGER "SearchIndex_reply_insert";
DROP TRIGGER "SearchIndex_reply_update";

CREATE TRIGGER "SearchIndex_thread_insert" AFTER INSERT ON "Thread" WHEN NEW."hiddenAt" IS NULL BEGIN
  INSERT INTO "SearchIndex" ("rowid", "title", "body", "kind", "refId", "threadId", "isPrivate", "askerId", "authorId", "createdAt")
  VALUES (((COALESCE(CAST(strftime('%s', NEW."createdAt") AS INTEGER), 0) * 1048576 + NEW."id" % 1048576) * 4 + 1), NEW."title", NEW."bodySource", 'thread', NEW."id", NEW."id", 0, NEW."authorId", NEW."authorId", NEW."createdAt");
END;

CREATE TRIGGER "SearchIndex_thread_update" AFTER UPDATE OF "title", "bodySource", "hiddenAt" ON "Thread" BEGIN
  DELETE FROM "SearchIndex" WHERE "rowid" = ((COALESCE(CAST(strftime('%s', OLD."createdAt") AS INTEGER), 0) * 1048576 + OLD."id" % 1048576) * 4 + 1);
  INSERT INTO "SearchIndex" ("rowid", "title", "body", "kind", "refId", "threadId", "isPrivate", "askerId", "authorId", "createdAt")
  SELECT ((COALESCE(CAST(strftime('%s', NEW."createdAt") AS INTEGER), 0) * 1048576 + NEW."id" % 1048576) * 4 + 1), NEW."title", NEW."bodySource", 'thread', NEW."id", NEW."id", 0, NEW."authorId", NEW."authorId", NEW."createdAt"
  WHERE NEW."hiddenAt" IS NULL;
END;

CREATE TRIGGER "SearchIndex_thread_visibility" AFTER UPDATE OF "hiddenAt" ON "Thread" WHEN (OLD."hiddenAt" IS NULL) <> (NEW."hiddenAt" IS NULL) BEGIN
  DELETE FROM "SearchIndex" WHERE "rowid" IN (
    SELECT ((COALESCE(CAST(strftime('%s', r."createdAt") AS INTEGER), 0) * 1048576 + r."id" % 1048576) * 4 + 2) FROM "Reply" r WHERE r."threadId" = NEW."id");
  INSERT INTO "SearchIndex" ("rowid", "title", "body", "kind", "refId", "threadId", "isPrivate", "askerId", "authorId", "createdAt")
  SELECT ((COALESCE(CAST(strftime('%s', r."createdAt") AS INTEGER), 0) * 1048576 + r."id" % 1048576) * 4 + 2), '', r."bodySource", 'reply', r."id", r."threadId", 0, NEW."authorId", r."authorId", r."createdAt"
  FROM "Reply" r WHERE r."threadId" = NEW."id" AND NEW."hiddenAt" IS NULL AND r."deletedAt" IS NULL AND r."hiddenAt" IS NULL AND r."isPrivate" = 0;
END;

CREATE TRIGGER "SearchIndex_reply_insert" AFTER INSERT ON "Reply" WHEN NEW."deletedAt" IS NULL AND NEW."isPrivate" = 0 AND NEW."hiddenAt" IS NULL BEGIN
  INSERT INTO "SearchIndex" ("rowid", "title", "body", "kind", "refId", "threadId", "isPrivate", "askerId", "authorId", "createdAt")
  SELECT ((COALESCE(CAST(strftime('%s', NEW."createdAt") AS INTEGER), 0) * 1048576 + NEW."id" % 1048576) * 4 + 2), '', NEW."bodySource", 'reply', NEW."id", NEW."threadId", NEW."isPrivate", t."authorId", NEW."authorId", NEW."createdAt"
  FROM "Thread" t WHERE t."id" = NEW."threadId" AND t."hiddenAt" IS NULL;
END;

CREATE TRIGGER "SearchIndex_reply_update" AFTER UPDATE OF "bodySource", "deletedAt", "hiddenAt", "threadId", "isPrivate" ON "Reply" BEGIN
  DELETE FROM "SearchIndex" WHERE "rowid" = ((COALESCE(CAST(strftime('%s', OLD."createdAt") AS INTEGER), 0) * 1048576 + OLD."id" % 1048576) * 4 + 2);
  INSERT INTO "SearchIndex" ("rowid", "title", "body", "kind", "refId", "threadId", "isPrivate", "askerId", "authorId", "createdAt")
  SELECT ((COALESCE(CAST(strftime('%s', NEW."createdAt") AS INTEGER), 0) * 1048576 + NEW."id" % 1048576) * 4 + 2), '', NEW."bodySource", 'reply', NEW."id", NEW."threadId", NEW."isPrivate", t."authorId", NEW."authorId", NEW."createdAt"
  FROM "Thread" t WHERE t."id" = NEW."threadId" AND t."hiddenAt" IS NULL AND NEW."deletedAt" IS NULL AND NEW."isPrivate" = 0 AND NEW."hiddenAt" IS NULL;
END;
