-- AlterTable
ALTER TABLE "InboundMail" ADD COLUMN     "code" TEXT NOT NULL DEFAULT '';
