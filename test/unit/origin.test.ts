import { testTempDir } from "../setup/global";
import { describe, expect, it } from "vitest";
import { safeRedirect } from "~/web/auth.server";
import { parseEnv } from "~/lib/env.server";
import { isOwnOrigin } from "../../server/origin";

const env = parseEnv({ DATA_DIR: testTempDir("paranet-o-") });
const pinned = { ...env, publicUrl: "https://forum.example.org", publicOrigin: "https://forum.example.org" };
const req = (host: string, forwardedHost?: string) => ({ headers: { host, "x-forwarded-host": forwardedHost } });
const behindProxy = { ...env, trustProxy: 1 as const };

describe("isOwnOrigin", () => {
  it("accepts the host the request was sent to", () => {
    expect(isOwnOrigin("http://localhost:3000", req("localhost:3000"), env)).toBe(true);
    expect(isOwnOrigin("https://localhost:3000", req("localhost:3000"), env)).toBe(true);
  });

  it("refuses other hosts, ports, opaque and malformed origins", () => {
    expect(isOwnOrigin("http://evil.example", req("localhost:3000"), env)).toBe(false);
    expect(isOwnOrigin("http://localhost:3001", req("localhost:3000"), env)).toBe(false);
    expect(isOwnOrigin("http://localhost:3000.evil.example", req("localhost:3000"), env)).toBe(false);
    expect(isOwnOrigin("null", req("localhost:3000"), env)).toBe(false);
    expect(isOwnOrigin("not a url", req("localhost:3000"), env)).toBe(false);
    expect(isOwnOrigin(undefined, req("localhost:3000"), env)).toBe(false);
  });

  it("believes X-Forwarded-Host only behind a trusted proxy", () => {
    expect(isOwnOrigin("http://evil.example", req("localhost:3000", "evil.example"), env)).toBe(false);
    expect(isOwnOrigin("https://forum.example.org", req("10.0.0.5:3000", "forum.example.org"), behindProxy)).toBe(true);
  });

  it("with PUBLIC_URL, accepts exactly that origin", () => {
    expect(isOwnOrigin("https://forum.example.org", req("10.0.0.5:3000"), pinned)).toBe(true);
    expect(isOwnOrigin("http://forum.example.org", req("forum.example.org"), pinned)).toBe(false);
    expect(isOwnOrigin("https://10.0.0.5:3000", req("10.0.0.5:3000"), pinned)).toBe(false);
  });
});

describe("safeRedirect", () => {
  it("allows local paths only", () => {
    expect(safeRedirect("/me/settings")).toBe("/me/settings");
    expect(safeRedirect("/t/1?x=2#r")).toBe("/t/1?x=2#r");
    expect(safeRedirect("//evil.example")).toBe("/");
    expect(safeRedirect("/\\evil.example")).toBe("/");
    expect(safeRedirect("https://evil.example")).toBe("/");
    expect(safeRedirect("javascript:alert(1)")).toBe("/");
    expect(safeRedirect(null)).toBe("/");
    expect(safeRedirect("/\t/evil.example")).toBe("/");
    expect(safeRedirect("/\n/evil.example")).toBe("/");
    expect(safeRedirect("/%09/evil.example")).toBe("/%09/evil.example");
    expect(safeRedirect("/a/../b")).toBe("/b");
  });
});
