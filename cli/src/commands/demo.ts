// ./polyglot demo: the contract's demo flow. Until every step exists it says which steps are
// missing and fails: a demo that is not built must never look like one that passed.
import type { Command } from "./command.js";

const steps = [
  "start the stack (broker, four services, SMTP sink)",
  "POST :8080/api/users/signup",
  "welcome order from order-service",
  "POST :8081/api/orders",
  "e-mails through the SMTP sink",
  "GET :3000/metrics",
] as const;

export const demo: Command = {
  summary: "start the stack and run the demo flow (sign-up -> orders -> e-mails -> analytics)",
  async run() {
    console.error("polyglot demo: the demo flow is not built yet. Missing steps:");
    for (const step of steps) console.error(`  - ${step}`);
    console.error("Follow the open issues (issues list) for progress; ./polyglot test runs what exists today.");
    return 1;
  },
};
