-- AlterTable
ALTER TABLE "User" ADD COLUMN     "bounceScore" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "lastBounceAt" TIMESTAMP(3),
ADD COLUMN     "mailStoppedAt" TIMESTAMP(3),
ADD COLUMN     "unsubscribeVersion" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "EmailToken" ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'verify';
