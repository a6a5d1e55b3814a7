// Hostile input (see harness.ts): resources, moderation and admin forms.
import { describe, it } from "vitest";
import * as probe from "./harness";

probe.hostileServer();

describe("hostile input: resources, moderation and admin", () => {
  it("the community the probes act in", probe.buildCommunity);
  it("resources: suggesting, curating, flagging, editing and importing", probe.probeResources);
  it("moderation and admin: review queue, suspensions, settings, tags, guidelines, members", probe.probeModeration);
  it("no stored string renders as live markup: pages, lists, queues, logs, feeds, search and the API", () => probe.sweepStored(1));
});
