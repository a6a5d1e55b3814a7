-- Private TARGET replies get a full-text index of their own (decision 0007),
-- so their readers' searches no longer scan reply text with LIKE. It is kept
-- by triggers in the same transaction as every write, like "SearchIndex",
-- and holds every private reply that is not removed; who may read one (the
-- asker, the reply's author, moderators, and only where they may open the
-- thread) is decided when searching. The public "SearchIndex" never holds a
-- private word: its word statistics are shared by every search.
--
-- rowid: the same time-ordered, kind-tagged number as the reply's would be in
-- "SearchIndex" (see the search_index migration). `readers` holds a token per
-- member who may be named as a reader ("u<asker id> u<author id>"), so a
-- member's search asks the index for both their words and their replies
-- instead of checking every private match.
CREATE VIRTUAL TABLE "PrivateSearchIndex" USING fts5(
  "body",
  "readers",
  "replyId" UNINDEXED,
  "threadId" UNINDEXED,
  "askerId" UNINDEXED,
  "authorId" UNINDEXED,
  "createdAt" UNINDEXED,
  tokenize = 'porter unicode61 remove_diacritics 2',
  prefix = '2 3'
);

CREATE TRIGGER "PrivateSearchIndex_reply_insert" AFTER INSERT ON "Reply" WHEN NEW."deletedAt" IS NULL AND NEW."isPrivate" = 1 BEGIN
  INSERT INTO "PrivateSearchIndex" ("rowid", "body", "readers", "replyId", "threadId", "askerId", "authorId", "createdAt")
  SELECT ((COALESCE(CAST(strftime('%s', NEW."createdAt") AS INTEGER), 0) * 1048576 + NEW."id" % 1048576) * 4 + 2), NEW."bodySource",
    'u' || t."authorId" || ' u' || NEW."authorId", NEW."id", NEW."threadId", t."authorId", NEW."authorId", NEW."createdAt"
  FROM "Thread" t WHERE t."id" = NEW."threadId";
END;

-- An edit, a removal, a move to another thread (another asker) or a change of privacy.
CREATE TRIGGER "PrivateSearchIndex_reply_update" AFTER UPDATE OF "bodySource", "deletedAt", "threadId", "isPrivate" ON "Reply" BEGIN
  DELETE FROM "PrivateSearchIndex" WHERE "rowid" = ((COALESCE(CAST(strftime('%s', OLD."createdAt") AS INTEGER), 0) * 1048576 + OLD."id" % 1048576) * 4 + 2);
  INSERT INTO "PrivateSearchIndex" ("rowid", "body", "readers", "replyId", "threadId", "askerId", "authorId", "createdAt")
  SELECT ((COALESCE(CAST(strftime('%s', NEW."createdAt") AS INTEGER), 0) * 1048576 + NEW."id" % 1048576) * 4 + 2), NEW."bodySource",
    'u' || t."authorId" || ' u' || NEW."authorId", NEW."id", NEW."threadId", t."authorId", NEW."authorId", NEW."createdAt"
  FROM "Thread" t WHERE t."id" = NEW."threadId" AND NEW."deletedAt" IS NULL AND NEW."isPrivate" = 1;
END;

CREATE TRIGGER "PrivateSearchIndex_reply_delete" AFTER DELETE ON "Reply" BEGIN
  DELETE FROM "PrivateSearchIndex" WHERE "rowid" = ((COALESCE(CAST(strftime('%s', OLD."createdAt") AS INTEGER), 0) * 1048576 + OLD."id" % 1048576) * 4 + 2);
END;

-- Whatever the tables already hold.
INSERT INTO "PrivateSearchIndex" ("rowid", "body", "readers", "replyId", "threadId", "askerId", "authorId", "createdAt")
SELECT ((COALESCE(CAST(strftime('%s', r."createdAt") AS INTEGER), 0) * 1048576 + r."id" % 1048576) * 4 + 2), r."bodySource",
  'u' || t."authorId" || ' u' || r."authorId", r."id", r."threadId", t."authorId", r."authorId", r."createdAt"
FROM "Reply" r JOIN "Thread" t ON t."id" = r."threadId" WHERE r."deletedAt" IS NULL AND r."isPrivate" = 1;
