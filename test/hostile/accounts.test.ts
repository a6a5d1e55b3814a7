// Hostile input (see harness.ts): the account and settings forms.
import { describe, it } from "vitest";
import * as probe from "./harness";

probe.hostileServer();

describe("hostile input: accounts and settings", () => {
  it("the community the probes act in", probe.buildCommunity);
  it("account forms: join, log in, choose a new password, log out, guidelines, preview", probe.probeAccountForms);
  it("settings: profile, password, API tokens, following, notifications, the portfolio and its verification", probe.probeSettings);
  it("the evidence upload: hostile file names and contents, broken multipart bodies", probe.probeEvidenceUploads);
  it("the evidence API's upload: hostile file names, contents and body types", probe.probeEvidenceApiUploads);
  it("no stored string renders as live markup: pages, lists, queues, logs, feeds, search and the API", () => probe.sweepStored(1));
});
