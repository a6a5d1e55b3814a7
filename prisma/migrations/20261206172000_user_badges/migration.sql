-- The identification card's program badges (a copy of ProgramFollow.badge, kept by the program model).
-- Added in place (SQLite copies the whole table to add a column anywhere but last).
ALTER TABLE "User" ADD COLUMN "badges" TEXT NOT NULL DEFAULT '';
