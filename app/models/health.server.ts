import { db } from "~/db/client.server";

export async function databaseAnswers(): Promise<boolean> {
  try {
    await db.$queryRawUnsafe("SELECT 1");
    return true;
  } catch {
    return false;
  }
}

export { outboxHealth } from "./event-outbox.server";
