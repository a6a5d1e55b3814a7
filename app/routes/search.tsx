import type { MetaFunction } from "@remix-run/node";
import { NotYetOpen } from "~/components/ComingSoon";

export const meta: MetaFunction = () => [{ title: "Search — ParaNet" }];

export default function Search() {
  return <NotYetOpen title="Search">Search across threads, replies and resources is not open yet on this installation.</NotYetOpen>;
}
