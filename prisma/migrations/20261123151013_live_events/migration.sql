-- CreateTable
CREATE TABLE "LiveEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "type" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "LiveEventRoom" (
    "room" TEXT NOT NULL,
    "eventId" INTEGER NOT NULL,

    PRIMARY KEY ("room", "eventId"),
    CONSTRAINT "LiveEventRoom_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "LiveEvent" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "LiveEvent_createdAt_idx" ON "LiveEvent"("createdAt");

-- CreateIndex
CREATE INDEX "LiveEventRoom_eventId_idx" ON "LiveEventRoom"("eventId");
