-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_User" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "email" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'member',
    "memberKind" TEXT NOT NULL DEFAULT 'support_staff',
    "jobTitle" TEXT NOT NULL DEFAULT '',
    "worksite" TEXT NOT NULL DEFAULT '',
    "libraryType" TEXT NOT NULL DEFAULT '',
    "region" TEXT NOT NULL DEFAULT '',
    "yearsInLibraryWork" INTEGER,
    "hasMlis" BOOLEAN NOT NULL DEFAULT false,
    "hasLssc" BOOLEAN NOT NULL DEFAULT false,
    "stateCertification" TEXT NOT NULL DEFAULT '',
    "otherCredentials" TEXT NOT NULL DEFAULT '',
    "about" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "passwordChangedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "suspendedUntil" DATETIME,
    "suspensionReason" TEXT NOT NULL DEFAULT '',
    "guidelinesAcceptedAt" DATETIME,
    "emailVerifiedAt" DATETIME,
    "emailMode" TEXT NOT NULL DEFAULT 'daily',
    "emailNotifications" BOOLEAN NOT NULL DEFAULT true,
    "vacationFrom" DATETIME,
    "vacationUntil" DATETIME,
    "lastDigestAt" DATETIME,
    "bounceScore" INTEGER NOT NULL DEFAULT 0,
    "lastBounceAt" DATETIME,
    "mailStoppedAt" DATETIME,
    "unsubscribeVersion" INTEGER NOT NULL DEFAULT 0
);
INSERT INTO "new_User" ("about", "createdAt", "displayName", "email", "emailMode", "emailNotifications", "emailVerifiedAt", "guidelinesAcceptedAt", "handle", "hasLssc", "hasMlis", "id", "jobTitle", "lastDigestAt", "libraryType", "memberKind", "otherCredentials", "passwordChangedAt", "passwordHash", "region", "role", "stateCertification", "suspendedUntil", "suspensionReason", "updatedAt", "vacationFrom", "vacationUntil", "worksite", "yearsInLibraryWork") SELECT "about", "createdAt", "displayName", "email", "emailMode", "emailNotifications", "emailVerifiedAt", "guidelinesAcceptedAt", "handle", "hasLssc", "hasMlis", "id", "jobTitle", "lastDigestAt", "libraryType", "memberKind", "otherCredentials", "passwordChangedAt", "passwordHash", "region", "role", "stateCertification", "suspendedUntil", "suspensionReason", "updatedAt", "vacationFrom", "vacationUntil", "worksite", "yearsInLibraryWork" FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
CREATE UNIQUE INDEX "User_handle_key" ON "User"("handle");
CREATE INDEX "User_createdAt_idx" ON "User"("createdAt");
CREATE TABLE "new_EmailToken" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" INTEGER NOT NULL,
    "email" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'verify',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    CONSTRAINT "EmailToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_EmailToken" ("createdAt", "email", "expiresAt", "id", "usedAt", "userId") SELECT "createdAt", "email", "expiresAt", "id", "usedAt", "userId" FROM "EmailToken";
DROP TABLE "EmailToken";
ALTER TABLE "new_EmailToken" RENAME TO "EmailToken";
CREATE INDEX "EmailToken_userId_idx" ON "EmailToken"("userId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
