-- Full-text search (SQLite FTS5), kept by triggers in the same transaction as
-- every write it reflects: a post is findable the moment it is saved, and an
-- edit or removal shows at once. Not modelled in schema.prisma (Prisma has no
-- virtual tables); `npm run search:rebuild` refills it from the tables.
--
-- rowid orders rows by time and encodes what a row is, so a trigger finds it
-- by key (not by scan) and a search can take the newest matches first:
--   ((seconds since 1970 of createdAt) * 2^20 + id mod 2^20) * 4 + kind,
-- kind 1 thread, 2 reply, 3 resource. createdAt never changes.
CREATE VIRTUAL TABLE "SearchIndex" USING fts5(
  "title",
  "body",
  "kind" UNINDEXED,
  "refId" UNINDEXED,
  "threadId" UNINDEXED,
  "isPrivate" UNINDEXED,
  "askerId" UNINDEXED,
  "authorId" UNINDEXED,
  "createdAt" UNINDEXED,
  tokenize = 'porter unicode61 remove_diacritics 2',
  -- Prefix queries (catalog*) use an index of two- and three-letter beginnings.
  prefix = '2 3'
);

CREATE TRIGGER "SearchIndex_thread_insert" AFTER INSERT ON "Thread" BEGIN
  INSERT INTO "SearchIndex" ("rowid", "title", "body", "kind", "refId", "threadId", "isPrivate", "askerId", "authorId", "createdAt")
  VALUES (((COALESCE(CAST(strftime('%s', NEW."createdAt") AS INTEGER), 0) * 1048576 + NEW."id" % 1048576) * 4 + 1), NEW."title", NEW."bodySource", 'thread', NEW."id", NEW."id", 0, NEW."authorId", NEW."authorId", NEW."createdAt");
END;

CREATE TRIGGER "SearchIndex_thread_update" AFTER UPDATE OF "title", "bodySource" ON "Thread" BEGIN
  DELETE FROM "SearchIndex" WHERE "rowid" = ((COALESCE(CAST(strftime('%s', OLD."createdAt") AS INTEGER), 0) * 1048576 + OLD."id" % 1048576) * 4 + 1);
  INSERT INTO "SearchIndex" ("rowid", "title", "body", "kind", "refId", "threadId", "isPrivate", "askerId", "authorId", "createdAt")
  VALUES (((COALESCE(CAST(strftime('%s', NEW."createdAt") AS INTEGER), 0) * 1048576 + NEW."id" % 1048576) * 4 + 1), NEW."title", NEW."bodySource", 'thread', NEW."id", NEW."id", 0, NEW."authorId", NEW."authorId", NEW."createdAt");
END;

CREATE TRIGGER "SearchIndex_thread_delete" AFTER DELETE ON "Thread" BEGIN
  DELETE FROM "SearchIndex" WHERE "rowid" = ((COALESCE(CAST(strftime('%s', OLD."createdAt") AS INTEGER), 0) * 1048576 + OLD."id" % 1048576) * 4 + 1);
END;

-- Private TARGET replies are not in this index at all: its word statistics are
-- shared by every search, so even their ranking effect would tell guests that
-- a word appears in a private reply. Their readers search them separately.
CREATE TRIGGER "SearchIndex_reply_insert" AFTER INSERT ON "Reply" WHEN NEW."deletedAt" IS NULL AND NEW."isPrivate" = 0 BEGIN
  INSERT INTO "SearchIndex" ("rowid", "title", "body", "kind", "refId", "threadId", "isPrivate", "askerId", "authorId", "createdAt")
  SELECT ((COALESCE(CAST(strftime('%s', NEW."createdAt") AS INTEGER), 0) * 1048576 + NEW."id" % 1048576) * 4 + 2), '', NEW."bodySource", 'reply', NEW."id", NEW."threadId", NEW."isPrivate", t."authorId", NEW."authorId", NEW."createdAt"
  FROM "Thread" t WHERE t."id" = NEW."threadId";
END;

CREATE TRIGGER "SearchIndex_reply_update" AFTER UPDATE OF "bodySource", "deletedAt" ON "Reply" BEGIN
  DELETE FROM "SearchIndex" WHERE "rowid" = ((COALESCE(CAST(strftime('%s', OLD."createdAt") AS INTEGER), 0) * 1048576 + OLD."id" % 1048576) * 4 + 2);
  INSERT INTO "SearchIndex" ("rowid", "title", "body", "kind", "refId", "threadId", "isPrivate", "askerId", "authorId", "createdAt")
  SELECT ((COALESCE(CAST(strftime('%s', NEW."createdAt") AS INTEGER), 0) * 1048576 + NEW."id" % 1048576) * 4 + 2), '', NEW."bodySource", 'reply', NEW."id", NEW."threadId", NEW."isPrivate", t."authorId", NEW."authorId", NEW."createdAt"
  FROM "Thread" t WHERE t."id" = NEW."threadId" AND NEW."deletedAt" IS NULL AND NEW."isPrivate" = 0;
END;

CREATE TRIGGER "SearchIndex_reply_delete" AFTER DELETE ON "Reply" BEGIN
  DELETE FROM "SearchIndex" WHERE "rowid" = ((COALESCE(CAST(strftime('%s', OLD."createdAt") AS INTEGER), 0) * 1048576 + OLD."id" % 1048576) * 4 + 2);
END;

-- Resources: only approved entries are in the index.
CREATE TRIGGER "SearchIndex_resource_insert" AFTER INSERT ON "Resource" WHEN NEW."status" = 'approved' BEGIN
  INSERT INTO "SearchIndex" ("rowid", "title", "body", "kind", "refId", "threadId", "isPrivate", "askerId", "authorId", "createdAt")
  VALUES (((COALESCE(CAST(strftime('%s', NEW."createdAt") AS INTEGER), 0) * 1048576 + NEW."id" % 1048576) * 4 + 3), NEW."title", NEW."abstractSource" || ' ' || NEW."provider", 'resource', NEW."id", NULL, 0, NULL, NEW."submitterId", NEW."createdAt");
END;

CREATE TRIGGER "SearchIndex_resource_update" AFTER UPDATE OF "title", "abstractSource", "provider", "status" ON "Resource" BEGIN
  DELETE FROM "SearchIndex" WHERE "rowid" = ((COALESCE(CAST(strftime('%s', OLD."createdAt") AS INTEGER), 0) * 1048576 + OLD."id" % 1048576) * 4 + 3);
  INSERT INTO "SearchIndex" ("rowid", "title", "body", "kind", "refId", "threadId", "isPrivate", "askerId", "authorId", "createdAt")
  SELECT ((COALESCE(CAST(strftime('%s', NEW."createdAt") AS INTEGER), 0) * 1048576 + NEW."id" % 1048576) * 4 + 3), NEW."title", NEW."abstractSource" || ' ' || NEW."provider", 'resource', NEW."id", NULL, 0, NULL, NEW."submitterId", NEW."createdAt"
  WHERE NEW."status" = 'approved';
END;

CREATE TRIGGER "SearchIndex_resource_delete" AFTER DELETE ON "Resource" BEGIN
  DELETE FROM "SearchIndex" WHERE "rowid" = ((COALESCE(CAST(strftime('%s', OLD."createdAt") AS INTEGER), 0) * 1048576 + OLD."id" % 1048576) * 4 + 3);
END;

-- Whatever the tables already hold.
INSERT INTO "SearchIndex" ("rowid", "title", "body", "kind", "refId", "threadId", "isPrivate", "askerId", "authorId", "createdAt")
SELECT ((COALESCE(CAST(strftime('%s', "createdAt") AS INTEGER), 0) * 1048576 + "id" % 1048576) * 4 + 1), "title", "bodySource", 'thread', "id", "id", 0, "authorId", "authorId", "createdAt" FROM "Thread";
INSERT INTO "SearchIndex" ("rowid", "title", "body", "kind", "refId", "threadId", "isPrivate", "askerId", "authorId", "createdAt")
SELECT ((COALESCE(CAST(strftime('%s', r."createdAt") AS INTEGER), 0) * 1048576 + r."id" % 1048576) * 4 + 2), '', r."bodySource", 'reply', r."id", r."threadId", r."isPrivate", t."authorId", r."authorId", r."createdAt"
FROM "Reply" r JOIN "Thread" t ON t."id" = r."threadId" WHERE r."deletedAt" IS NULL AND r."isPrivate" = 0;
INSERT INTO "SearchIndex" ("rowid", "title", "body", "kind", "refId", "threadId", "isPrivate", "askerId", "authorId", "createdAt")
SELECT ((COALESCE(CAST(strftime('%s', "createdAt") AS INTEGER), 0) * 1048576 + "id" % 1048576) * 4 + 3), "title", "abstractSource" || ' ' || "provider", 'resource', "id", NULL, 0, NULL, "submitterId", "createdAt" FROM "Resource" WHERE "status" = 'approved';
