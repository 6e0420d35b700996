// The consuming services whose contract probes the contract suite runs.
import type { ConsumerContract } from "../consumer-contract.js";
import { analyticsService } from "./analytics-service.js";
import { notificationService } from "./notification-service.js";
import { orderService } from "./order-service.js";

export const consumers: readonly ConsumerContract[] = [orderService, notificationService, analyticsService];
