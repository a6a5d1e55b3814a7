-- CreateIndex
CREATE INDEX "User_createdAt_idx" ON "User"("createdAt");

-- CreateIndex
CREATE INDEX "Thread_pinnedAt_idx" ON "Thread"("pinnedAt");
