-- AlterTable: a column with a constant default needs no table copy on SQLite.
ALTER TABLE "PortfolioEntry" ADD COLUMN "revision" INTEGER NOT NULL DEFAULT 1;
