// Hostile input (see harness.ts): asking, HITs and the clearinghouse.
import { describe, it } from "vitest";
import * as probe from "./harness";

probe.hostileServer();

describe("hostile input: asking, HITs and their links", () => {
  it("the community the probes act in", probe.buildCommunity);
  it("asking, previews, posting a HIT, sending its links", () =>
    probe.probeThreads(["threads.new.tsx", "threads.$id.hit.tsx", "threads.$id.clearinghouse.tsx"]));
  it("no stored string renders as live markup: pages, lists, queues, logs, feeds, search and the API", () => probe.sweepStored(1));
});
