-- Full-text search on PostgreSQL (decision 0007): the counterpart of SQLite's
-- FTS5 tables and triggers, kept by triggers in the same transaction as every
-- write it reflects. Not modelled in schema.prisma; `npm run search:rebuild`
-- refills both tables from the tables.

-- Words as SQLite's `porter unicode61 remove_diacritics 2` reads them:
-- accents folded, English stems, and no stop words (every word is searchable).
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TEXT SEARCH DICTIONARY paranet_stem (TEMPLATE = snowball, Language = english);
CREATE TEXT SEARCH CONFIGURATION paranet (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION paranet
  ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH unaccent, paranet_stem;
ALTER TEXT SEARCH CONFIGURATION paranet
  ALTER MAPPING FOR numword, numhword, hword_numpart WITH unaccent, simple;

-- The row key orders rows by time and tells what a row is, as SQLite's rowid does:
--   ((seconds since 1970 of createdAt) * 2^20 + id mod 2^20) * 4 + kind,
-- kind 1 thread, 2 reply, 3 resource. createdAt never changes.
CREATE FUNCTION search_rid(ts timestamp, id integer, kind integer) RETURNS bigint
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN (floor(extract(epoch FROM ts))::bigint * 1048576 + id % 1048576) * 4 + kind;

-- Titles weigh A, bodies D: ts_rank_cd's default weights rank a title match
-- ten times a body match, as bm25("SearchIndex", 10, 1) does on SQLite.
CREATE FUNCTION search_doc(title text, body text) RETURNS tsvector
  LANGUAGE sql STABLE PARALLEL SAFE
  RETURN setweight(to_tsvector('paranet', coalesce(title, '')), 'A') || setweight(to_tsvector('paranet', coalesce(body, '')), 'D');

-- What everyone may find: public threads, their public replies that are not
-- removed or hidden, approved resources.
CREATE TABLE "SearchIndex" (
  "rid" bigint PRIMARY KEY,
  "kind" text NOT NULL,
  "refId" integer NOT NULL,
  "threadId" integer,
  "authorId" integer,
  "createdAt" timestamp(3) NOT NULL,
  "title" text NOT NULL,
  "body" text NOT NULL,
  "doc" tsvector NOT NULL
);
-- (Its indexes are made after the initial fill below: built in one pass, not row by row.)

-- Private TARGET replies (not removed), each searched only with its
-- readers' condition (the asker, the reply's author, moderators) and the
-- visibility rule: none of their words is in the public index.
CREATE TABLE "PrivateSearchIndex" (
  "rid" bigint PRIMARY KEY,
  "replyId" integer NOT NULL UNIQUE,
  "threadId" integer NOT NULL,
  "askerId" integer NOT NULL,
  "authorId" integer NOT NULL,
  "createdAt" timestamp(3) NOT NULL,
  "body" text NOT NULL,
  "doc" tsvector NOT NULL
);

-- Threads: a hidden thread is not indexed, and hiding or showing a thread
-- takes its public replies out or back.
CREATE FUNCTION search_thread() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    DELETE FROM "SearchIndex" WHERE "rid" = search_rid(OLD."createdAt", OLD."id", 1);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW."hiddenAt" IS NULL THEN
    INSERT INTO "SearchIndex" ("rid", "kind", "refId", "threadId", "authorId", "createdAt", "title", "body", "doc")
    VALUES (search_rid(NEW."createdAt", NEW."id", 1), 'thread', NEW."id", NEW."id", NEW."authorId", NEW."createdAt",
      NEW."title", NEW."bodySource", search_doc(NEW."title", NEW."bodySource"));
  END IF;
  IF TG_OP = 'UPDATE' AND (OLD."hiddenAt" IS NULL) <> (NEW."hiddenAt" IS NULL) THEN
    DELETE FROM "SearchIndex" WHERE "kind" = 'reply' AND "threadId" = NEW."id";
    IF NEW."hiddenAt" IS NULL THEN
      INSERT INTO "SearchIndex" ("rid", "kind", "refId", "threadId", "authorId", "createdAt", "title", "body", "doc")
      SELECT search_rid(r."createdAt", r."id", 2), 'reply', r."id", r."threadId", r."authorId", r."createdAt", '', r."bodySource", search_doc('', r."bodySource")
      FROM "Reply" r WHERE r."threadId" = NEW."id" AND r."deletedAt" IS NULL AND NOT r."isPrivate" AND r."hiddenAt" IS NULL;
    END IF;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER "SearchIndex_thread" AFTER INSERT OR DELETE OR UPDATE OF "title", "bodySource", "hiddenAt" ON "Thread"
  FOR EACH ROW EXECUTE FUNCTION search_thread();

-- Replies: a public reply is indexed when not removed or hidden and its
-- thread is not hidden; a private one goes to the private index (its readers
-- are decided when searching). Edits, moves, removals and privacy changes
-- replace the rows.
CREATE FUNCTION search_reply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    DELETE FROM "SearchIndex" WHERE "rid" = search_rid(OLD."createdAt", OLD."id", 2);
    DELETE FROM "PrivateSearchIndex" WHERE "rid" = search_rid(OLD."createdAt", OLD."id", 2);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW."deletedAt" IS NULL THEN
    IF NEW."isPrivate" THEN
      INSERT INTO "PrivateSearchIndex" ("rid", "replyId", "threadId", "askerId", "authorId", "createdAt", "body", "doc")
      SELECT search_rid(NEW."createdAt", NEW."id", 2), NEW."id", NEW."threadId", t."authorId", NEW."authorId", NEW."createdAt",
        NEW."bodySource", search_doc('', NEW."bodySource")
      FROM "Thread" t WHERE t."id" = NEW."threadId";
    ELSIF NEW."hiddenAt" IS NULL THEN
      INSERT INTO "SearchIndex" ("rid", "kind", "refId", "threadId", "authorId", "createdAt", "title", "body", "doc")
      SELECT search_rid(NEW."createdAt", NEW."id", 2), 'reply', NEW."id", NEW."threadId", NEW."authorId", NEW."createdAt",
        '', NEW."bodySource", search_doc('', NEW."bodySource")
      FROM "Thread" t WHERE t."id" = NEW."threadId" AND t."hiddenAt" IS NULL;
    END IF;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER "SearchIndex_reply" AFTER INSERT OR DELETE OR UPDATE OF "bodySource", "deletedAt", "hiddenAt", "threadId", "isPrivate" ON "Reply"
  FOR EACH ROW EXECUTE FUNCTION search_reply();

-- Resources: only approved entries are in the index.
CREATE FUNCTION search_resource() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    DELETE FROM "SearchIndex" WHERE "rid" = search_rid(OLD."createdAt", OLD."id", 3);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW."status" = 'approved' THEN
    INSERT INTO "SearchIndex" ("rid", "kind", "refId", "threadId", "authorId", "createdAt", "title", "body", "doc")
    VALUES (search_rid(NEW."createdAt", NEW."id", 3), 'resource', NEW."id", NULL, NEW."submitterId", NEW."createdAt",
      NEW."title", NEW."abstractSource" || ' ' || NEW."provider", search_doc(NEW."title", NEW."abstractSource" || ' ' || NEW."provider"));
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER "SearchIndex_resource" AFTER INSERT OR DELETE OR UPDATE OF "title", "abstractSource", "provider", "status" ON "Resource"
  FOR EACH ROW EXECUTE FUNCTION search_resource();

-- Whatever the tables already hold.
INSERT INTO "SearchIndex" ("rid", "kind", "refId", "threadId", "authorId", "createdAt", "title", "body", "doc")
SELECT search_rid(th."createdAt", th."id", 1), 'thread', th."id", th."id", th."authorId", th."createdAt", th."title", th."bodySource", search_doc(th."title", th."bodySource")
FROM "Thread" th WHERE th."hiddenAt" IS NULL;
INSERT INTO "SearchIndex" ("rid", "kind", "refId", "threadId", "authorId", "createdAt", "title", "body", "doc")
SELECT search_rid(r."createdAt", r."id", 2), 'reply', r."id", r."threadId", r."authorId", r."createdAt", '', r."bodySource", search_doc('', r."bodySource")
FROM "Reply" r JOIN "Thread" t ON t."id" = r."threadId"
WHERE t."hiddenAt" IS NULL AND r."hiddenAt" IS NULL AND NOT r."isPrivate" AND r."deletedAt" IS NULL;
INSERT INTO "SearchIndex" ("rid", "kind", "refId", "threadId", "authorId", "createdAt", "title", "body", "doc")
SELECT search_rid(re."createdAt", re."id", 3), 'resource', re."id", NULL, re."submitterId", re."createdAt", re."title",
  re."abstractSource" || ' ' || re."provider", search_doc(re."title", re."abstractSource" || ' ' || re."provider")
FROM "Resource" re WHERE re."status" = 'approved';
INSERT INTO "PrivateSearchIndex" ("rid", "replyId", "threadId", "askerId", "authorId", "createdAt", "body", "doc")
SELECT search_rid(r."createdAt", r."id", 2), r."id", r."threadId", t."authorId", r."authorId", r."createdAt", r."bodySource", search_doc('', r."bodySource")
FROM "Reply" r JOIN "Thread" t ON t."id" = r."threadId" WHERE r."isPrivate" AND r."deletedAt" IS NULL;

-- The indexes, built once over what was filled in. fastupdate off: no pending
-- list, so a search never pays for scanning one.
CREATE INDEX "SearchIndex_doc_idx" ON "SearchIndex" USING gin ("doc") WITH (fastupdate = off);
CREATE INDEX "SearchIndex_threadId_idx" ON "SearchIndex" ("threadId");
CREATE INDEX "PrivateSearchIndex_doc_idx" ON "PrivateSearchIndex" USING gin ("doc") WITH (fastupdate = off);
CREATE INDEX "PrivateSearchIndex_askerId_idx" ON "PrivateSearchIndex" ("askerId", "rid");
CREATE INDEX "PrivateSearchIndex_authorId_idx" ON "PrivateSearchIndex" ("authorId", "rid");
