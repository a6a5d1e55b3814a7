// Hostile input (see harness.ts): the plan against the routes, the live-markup
// check itself, the one-time admin form, every query and path parameter, the
// JSON API and bodies over the limit.
import { describe, it } from "vitest";
import * as probe from "./harness";

probe.hostileServer();

// Each test sends thousands of requests: minutes, not the project's 30 seconds, on a busy machine.
describe("hostile input: the plan, query and path parameters, the JSON API", () => {
  it("the plan covers every form, field, query parameter, path parameter and API body", probe.checkPlan);
  it("the live-markup check flags what would run and passes what would not", probe.checkLiveMarkupCheck);
  it("setup: the one-time admin form, probed while there is no admin yet", probe.probeSetupForm);
  it("the community the probes act in", probe.buildCommunity);
  it("query parameters and path parameters of every page, feed and endpoint (search over everything stored)", probe.probeGetsAndPaths);
  it("JSON API: every body field (and values of the wrong type), whole bodies, tokens", probe.probeJsonApi);
  it("bodies over 1 MiB are refused with 413 and a message, on every form and endpoint", probe.probeOversizedBodies);
  it("no stored string renders as live markup: pages, lists, queues, logs, feeds, search and the API", () => probe.sweepStored(0));
});
