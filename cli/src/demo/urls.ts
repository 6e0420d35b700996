// The demo's endpoints, taken from the stack's own components so that a port moved with its
// *_PORT variable moves here too.
import type { StackEnv } from "../stack/component.js";
import { stackComponents } from "../stack/components/index.js";
import type { DemoUrls } from "./flow.js";

function urlOf(env: StackEnv, name: string): string {
  const component = stackComponents(env).find((c) => c.name === name);
  const url = component?.url?.(env);
  if (url === undefined) throw new Error(`the stack has no component '${name}' with a URL`);
  // A component may show a page of its own (analytics shows /dashboard/): the API is at its origin.
  return new URL(url).origin;
}

export function demoUrls(env: StackEnv): DemoUrls {
  return {
    user: urlOf(env, "user-service"),
    order: urlOf(env, "order-service"),
    notification: urlOf(env, "notification-service"),
    analytics: urlOf(env, "analytics-service"),
    mailSink: urlOf(env, "smtp-sink"),
  };
}
