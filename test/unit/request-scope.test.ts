// getCurrentUser looks the session up once per HTTP request, even though
// Remix gives every loader its own copy of the Request object.
import { beforeAll, describe, expect, it } from "vitest";
import { getCurrentUser, logInAndRedirect } from "~/web/auth.server";
import { db, prepareDatabase } from "~/db/client.server";
import { runInRequestScope } from "~/lib/request-scope.server";
import { createMember } from "~/models/user.server";
import { joinInput } from "../helpers/members";

let cookie: string;

/** A fresh Request object each time, as Remix makes one per loader. */
const copy = () => new Request("http://localhost/", { headers: { Cookie: cookie } });

beforeAll(async () => {
  await prepareDatabase();
  const m = await createMember(joinInput("scope"), "127.0.0.1");
  cookie = (await logInAndRedirect(m.id, "/")).headers.get("Set-Cookie")!.split(";")[0];
});

describe("one session lookup per request", () => {
  it("is shared by every loader of a GET request", async () => {
    await runInRequestScope("GET", async () => {
      expect((await getCurrentUser(copy()))?.handle).toBe("scope");
      // The session disappears mid-request: the request keeps the answer it already had.
      const { id } = await db.session.findFirstOrThrow({ select: { id: true } });
      await db.session.delete({ where: { id } });
      expect((await getCurrentUser(copy()))?.handle).toBe("scope");
    });
    // A new request sees the change.
    expect(await runInRequestScope("GET", () => getCurrentUser(copy()))).toBeNull();
  });

  it("is looked up again after a POST (the action may have changed it) and outside any request", async () => {
    const m = await db.user.findUniqueOrThrow({ where: { handle: "scope" } });
    cookie = (await logInAndRedirect(m.id, "/")).headers.get("Set-Cookie")!.split(";")[0];
    await runInRequestScope("POST", async () => {
      expect((await getCurrentUser(copy()))?.handle).toBe("scope");
      await db.session.deleteMany({ where: { userId: m.id } });
      expect(await getCurrentUser(copy())).toBeNull();
    });
    expect(await getCurrentUser(copy())).toBeNull();
  });
});
