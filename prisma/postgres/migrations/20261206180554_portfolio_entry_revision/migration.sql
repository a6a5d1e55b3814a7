-- AlterTable
ALTER TABLE "PortfolioEntry" ADD COLUMN     "revision" INTEGER NOT NULL DEFAULT 1;
