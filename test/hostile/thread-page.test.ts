// Hostile input (see harness.ts): the thread page's forms.
import { describe, it } from "vitest";
import * as probe from "./harness";

probe.hostileServer();

describe("hostile input: the thread page", () => {
  it("the community the probes act in", probe.buildCommunity);
  it("the thread page's forms: replies, edits, votes, flags, moderation", () => probe.probeThreads(["t.$id.($slug).tsx"]));
  it("no stored string renders as live markup: pages, lists, queues, logs, feeds, search and the API", () => probe.sweepStored(0));
});
