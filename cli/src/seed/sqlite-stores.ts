// order-service's and notification-service's SQLite rows of history chains, written with
// node:sqlite in one transaction per batch, while both services are stopped. The rows are the
// ones each service leaves after a chain: order-service its directory entry, the welcome order
// (SHIPPED, published), its item and its two steps; notification-service its directory entry
// and the sent-log row of each e-mail (claims and published outbox rows are deleted once sent).
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { orderCreatedAt, shippedAt, type HistoryChain } from "./history.js";

/** Python's `datetime.isoformat()` of an aware UTC time, as notification-service stores it. */
const pythonTime = (d: Date): string => d.toISOString().replace("Z", "+00:00");

function open(path: string): DatabaseSync {
  const db = new DatabaseSync(path);
  db.exec("PRAGMA busy_timeout = 10000");
  return db;
}

function inTransaction(db: DatabaseSync, body: () => void): void {
  db.exec("BEGIN IMMEDIATE");
  try {
    body();
    db.exec("COMMIT");
  } catch (error: unknown) {
    db.exec("ROLLBACK");
    throw error;
  }
}

export interface StoreWriter {
  write(chains: readonly HistoryChain[]): void;
  close(): void;
}

export function orderStore(path: string): StoreWriter {
  const db = open(path);
  const user = db.prepare("INSERT INTO users (user_id, email, name, updated_at) VALUES (?, ?, ?, ?)");
  const order = db.prepare(`INSERT INTO orders (order_id, user_id, status, currency, total_cents, created_at, event_id, event_time,
      correlation_id, causation_id, traceparent, published_at) VALUES (?, ?, 'SHIPPED', 'USD', 0, ?, ?, ?, ?, ?, ?, ?)`);
  const step = db.prepare("INSERT INTO order_history (event_id, order_id, status, at, published_at) VALUES (?, ?, ?, ?, ?)");
  const item = db.prepare("INSERT INTO order_items (order_id, line, product_id, product_name, quantity, unit_price_cents) VALUES (?, 0, 'welcome-package', 'Welcome package', 1, 0)");
  return {
    write(chains) {
      inTransaction(db, () => {
        for (const c of chains) {
          const created = orderCreatedAt(c).toISOString();
          const shipped = shippedAt(c).toISOString();
          user.run(c.userId, c.email, c.name, created);
          order.run(c.orderId, c.userId, created, c.orderEventId, created, c.correlationId, c.signupEventId, c.signupTraceparent, created);
          step.run(c.orderEventId, c.orderId, "CONFIRMED", created, created);
          step.run(c.shippedEventId, c.orderId, "SHIPPED", shipped, shipped);
          item.run(c.orderId);
        }
      });
    },
    close: () => db.close(),
  };
}

export function notificationStore(path: string): StoreWriter {
  const db = open(path);
  const user = db.prepare("INSERT INTO users (user_id, email, name, phone_number, updated_at) VALUES (?, ?, ?, '', ?)");
  const sent: StatementSync = db.prepare(`INSERT INTO sent_log (trigger_event_id, notification_type, user_id, recipient, subject, order_id,
      email_event_id, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  return {
    write(chains) {
      inTransaction(db, () => {
        for (const c of chains) {
          user.run(c.userId, c.email, c.name, pythonTime(c.signedUpAt));
          for (const m of c.mails) sent.run(m.triggerEventId, m.kind, c.userId, c.email, m.subject, m.orderId, m.eventId, pythonTime(m.at));
        }
      });
    },
    close: () => db.close(),
  };
}
