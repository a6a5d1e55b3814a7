-- AlterTable
ALTER TABLE "Notification" ADD COLUMN     "verificationId" INTEGER;

-- AlterTable
ALTER TABLE "Verification" ADD COLUMN     "message" TEXT NOT NULL DEFAULT '';

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_verificationId_fkey" FOREIGN KEY ("verificationId") REFERENCES "Verification"("id") ON DELETE CASCADE ON UPDATE CASCADE;
