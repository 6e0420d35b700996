// Where the stack under test listens: the same components and *_PORT variables as `./polyglot up`.
import { demoUrls } from "../../cli/src/demo/urls.js";
import type { DemoUrls } from "../../cli/src/demo/flow.js";
import { createStackEnv } from "../../cli/src/stack/stack-env.js";
import { bootstrap } from "../support/kafka.js";

export function stackUrls(): DemoUrls & { bootstrap: string[] } {
  return { ...demoUrls(createStackEnv(1, process.env)), bootstrap: bootstrap() };
}
