-- AlterTable
ALTER TABLE "User" ADD COLUMN     "badges" TEXT NOT NULL DEFAULT '';
