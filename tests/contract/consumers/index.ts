// The consuming services whose contract probes the contract suite runs.
import type { ConsumerContract } from "../consumer-contract.js";
import { analyticsService } from "./analytics-service.js";

export const consumers: readonly ConsumerContract[] = [analyticsService];
