// Package store keeps order-service's users and orders in SQLite through database/sql and the
// pure-Go modernc.org/sqlite driver (no cgo), in one file that all instances of the
// service share (SHARED_DATA_DIR, else DATA_DIR).
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/kafka-polyglot/kafka-polyglot/services/order-service/internal/orders"

	"modernc.org/sqlite" // also registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"
)

const schema = `
CREATE TABLE IF NOT EXISTS users (
	user_id    TEXT PRIMARY KEY,
	email      TEXT NOT NULL,
	name       TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS orders (
	order_id       TEXT PRIMARY KEY,
	user_id        TEXT NOT NULL,
	status         TEXT NOT NULL,
	currency       TEXT NOT NULL,
	total_cents    INTEGER NOT NULL,
	created_at     TEXT NOT NULL,
	event_id       TEXT NOT NULL,
	event_time     TEXT NOT NULL,
	correlation_id TEXT NOT NULL,
	causation_id   TEXT NOT NULL,
	traceparent    TEXT NOT NULL,
	published_at   TEXT
);
CREATE INDEX IF NOT EXISTS orders_user_id ON orders (user_id);
CREATE TABLE IF NOT EXISTS order_history (
	event_id     TEXT PRIMARY KEY,
	order_id     TEXT NOT NULL REFERENCES orders (order_id),
	status       TEXT NOT NULL,
	at           TEXT NOT NULL,
	published_at TEXT
);
CREATE INDEX IF NOT EXISTS order_history_order_id ON order_history (order_id);
-- The relay (UnpublishedOrders, every 10 s) and the outbox gauge (OutboxStats, at each scrape)
-- look only for rows not yet acknowledged, a handful; without these partial indexes both scanned
-- every order and every step ever stored, a cost that grew with history.
CREATE INDEX IF NOT EXISTS orders_unpublished ON orders (created_at) WHERE published_at IS NULL;
CREATE INDEX IF NOT EXISTS order_history_unpublished ON order_history (at) WHERE published_at IS NULL;
CREATE TABLE IF NOT EXISTS order_items (
	order_id         TEXT NOT NULL REFERENCES orders (order_id),
	line             INTEGER NOT NULL,
	product_id       TEXT NOT NULL,
	product_name     TEXT NOT NULL,
	quantity         INTEGER NOT NULL,
	unit_price_cents INTEGER NOT NULL,
	PRIMARY KEY (order_id, line)
);
`

// Store is the SQLite adapter behind orders.Store.
type Store struct {
	db *sql.DB
}

// Open opens (creating when needed) the database at path and applies the schema. The path
// ":memory:" gives a private in-memory database, for tests.
func Open(ctx context.Context, path string) (*Store, error) {
	dsn := ":memory:"
	if path != ":memory:" {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, fmt.Errorf("create data dir: %w", err)
		}
		// Several instances (processes) may share this file. WAL keeps readers off the
		// writer's back; busy_timeout rides out a lock held by another process instead of
		// failing at once; _txlock=immediate takes the write lock at BEGIN, so a transaction
		// that reads and then writes (Transition) waits its turn there instead of failing
		// with SQLITE_BUSY when another process wrote since its read, which no timeout retries.
		dsn = "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_txlock=immediate"
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// One connection: SQLite has a single writer anyway, and an in-memory database exists
	// only on the connection that created it.
	db.SetMaxOpenConns(1)
	if err := applySchema(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("apply schema to %s: %w", path, err)
	}
	return &Store{db: db}, nil
}

// applySchema creates the tables in one transaction (IMMEDIATE on a file, so instances opening
// it together queue on the write lock through busy_timeout). Instances started at the same
// moment on a new file still meet SQLITE_BUSY that no busy_timeout rides out (the switch of a
// new file to WAL, a read lock that cannot be upgraded): that is retried here, for a bounded time.
func applySchema(ctx context.Context, db *sql.DB) error {
	deadline := time.Now().Add(10 * time.Second)
	for delay := 5 * time.Millisecond; ; delay = min(2*delay, 250*time.Millisecond) {
		err := execSchema(ctx, db)
		if err == nil || !isBusy(err) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(delay):
		}
	}
}

func execSchema(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, schema); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// isBusy reports an SQLITE_BUSY of any extended kind.
func isBusy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

// SaveUser inserts or updates a user of the directory. A user it already holds as given is left
// alone: the directory reader hands over every user of user-events again at each start, and
// rewriting each row (a WAL frame and a commit per user) made that replay cost about 0.3 CPU-ms
// per user, 30 CPU-s after a start on 100,000 users of history; a statement that changes
// nothing writes nothing. updated_at is when the entry last changed.
func (s *Store) SaveUser(ctx context.Context, u orders.User) error {
	_, err := s.db.ExecContext(ctx, `
		INSERT INTO users (user_id, email, name, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET email = excluded.email, name = excluded.name, updated_at = excluded.updated_at
		WHERE users.email <> excluded.email OR users.name <> excluded.name`,
		u.ID, u.Email, u.Name, formatTime(time.Now()))
	if err != nil {
		return fmt.Errorf("upsert user %s: %w", u.ID, err)
	}
	return nil
}

// UserExists reports whether the directory knows userID.
func (s *Store) UserExists(ctx context.Context, userID string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE user_id = ?`, userID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("look up user %s: %w", userID, err)
	}
	return n > 0, nil
}

// CreateOrder inserts the order and its items in one transaction, unless an order with that
// id already exists; created says which happened.
func (s *Store) CreateOrder(ctx context.Context, o orders.Order) (created bool, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	res, err := tx.ExecContext(ctx, `
		INSERT INTO orders (order_id, user_id, status, currency, total_cents, created_at,
			event_id, event_time, correlation_id, causation_id, traceparent)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (order_id) DO NOTHING`,
		o.ID, o.UserID, string(o.Status), o.Currency, int64(o.Total), formatTime(o.CreatedAt),
		o.Event.EventID, formatTime(o.Event.Time), o.Event.CorrelationID, o.Event.CausationID, o.Event.TraceParent)
	if err != nil {
		return false, fmt.Errorf("insert order: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("insert order: %w", err)
	}
	if n == 0 {
		return false, tx.Commit()
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO order_history (event_id, order_id, status, at) VALUES (?, ?, ?, ?)`,
		o.Event.EventID, o.ID, string(o.Status), formatTime(o.CreatedAt))
	if err != nil {
		return false, fmt.Errorf("insert history: %w", err)
	}
	for i, it := range o.Items {
		_, err = tx.ExecContext(ctx, `
			INSERT INTO order_items (order_id, line, product_id, product_name, quantity, unit_price_cents)
			VALUES (?, ?, ?, ?, ?, ?)`,
			o.ID, i, it.ProductID, it.ProductName, it.Quantity, int64(it.UnitPrice))
		if err != nil {
			return false, fmt.Errorf("insert item %d: %w", i, err)
		}
	}
	if err = tx.Commit(); err != nil {
		return false, fmt.Errorf("commit: %w", err)
	}
	return true, nil
}

// MarkPublished records that the order's OrderCreatedEvent was acknowledged.
func (s *Store) MarkPublished(ctx context.Context, orderID string) error {
	now := formatTime(time.Now())
	_, err := s.db.ExecContext(ctx, `UPDATE orders SET published_at = ? WHERE order_id = ? AND published_at IS NULL`, now, orderID)
	if err == nil {
		_, err = s.db.ExecContext(ctx, `
			UPDATE order_history SET published_at = ?
			WHERE event_id = (SELECT event_id FROM orders WHERE order_id = ?) AND published_at IS NULL`, now, orderID)
	}
	if err != nil {
		return fmt.Errorf("mark order %s published: %w", orderID, err)
	}
	return nil
}

// Transition moves the order from one status to the next and records the step under eventID,
// in one transaction. A step recorded before is returned as it stands (a redelivered event);
// an order in another status gives orders.ErrStaleTransition.
func (s *Store) Transition(ctx context.Context, orderID string, from, to orders.Status, eventID string, at time.Time) (step orders.Step, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return orders.Step{}, fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	var status, stepAt string
	var publishedAt sql.NullString
	err = tx.QueryRowContext(ctx, `SELECT status, at, published_at FROM order_history WHERE event_id = ?`, eventID).
		Scan(&status, &stepAt, &publishedAt)
	switch {
	case err == nil:
		t, perr := parseTime(stepAt)
		if perr != nil {
			return orders.Step{}, perr
		}
		return orders.Step{Status: orders.Status(status), At: t, EventID: eventID, Published: publishedAt.Valid}, tx.Commit()
	case !errors.Is(err, sql.ErrNoRows):
		return orders.Step{}, fmt.Errorf("look up step %s: %w", eventID, err)
	}
	res, err := tx.ExecContext(ctx, `UPDATE orders SET status = ? WHERE order_id = ? AND status = ?`, string(to), orderID, string(from))
	if err != nil {
		return orders.Step{}, fmt.Errorf("update status: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		err = errors.Join(err, fmt.Errorf("order %s: %w", orderID, orders.ErrStaleTransition))
		return orders.Step{}, err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO order_history (event_id, order_id, status, at) VALUES (?, ?, ?, ?)`,
		eventID, orderID, string(to), formatTime(at))
	if err != nil {
		return orders.Step{}, fmt.Errorf("insert step: %w", err)
	}
	if err = tx.Commit(); err != nil {
		return orders.Step{}, fmt.Errorf("commit: %w", err)
	}
	return orders.Step{Status: to, At: at, EventID: eventID}, nil
}

// MarkStepPublished records that the events of the step eventID were acknowledged.
func (s *Store) MarkStepPublished(ctx context.Context, eventID string) error {
	_, err := s.db.ExecContext(ctx, `UPDATE order_history SET published_at = ? WHERE event_id = ? AND published_at IS NULL`,
		formatTime(time.Now()), eventID)
	if err != nil {
		return fmt.Errorf("mark step %s published: %w", eventID, err)
	}
	return nil
}

// Order loads an order with its items, or returns orders.ErrNotFound.
func (s *Store) Order(ctx context.Context, orderID string) (orders.Order, error) {
	var (
		o                            orders.Order
		status, createdAt, eventTime string
		totalCents                   int64
		publishedAt                  sql.NullString
	)
	err := s.db.QueryRowContext(ctx, `
		SELECT order_id, user_id, status, currency, total_cents, created_at,
			event_id, event_time, correlation_id, causation_id, traceparent, published_at
		FROM orders WHERE order_id = ?`, orderID).Scan(
		&o.ID, &o.UserID, &status, &o.Currency, &totalCents, &createdAt,
		&o.Event.EventID, &eventTime, &o.Event.CorrelationID, &o.Event.CausationID, &o.Event.TraceParent, &publishedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return orders.Order{}, fmt.Errorf("order %s: %w", orderID, orders.ErrNotFound)
	}
	if err != nil {
		return orders.Order{}, fmt.Errorf("load order %s: %w", orderID, err)
	}
	o.Status = orders.Status(status)
	o.Total = orders.Amount(totalCents)
	o.Published = publishedAt.Valid
	if o.CreatedAt, err = parseTime(createdAt); err != nil {
		return orders.Order{}, fmt.Errorf("order %s created_at: %w", orderID, err)
	}
	if o.Event.Time, err = parseTime(eventTime); err != nil {
		return orders.Order{}, fmt.Errorf("order %s event_time: %w", orderID, err)
	}

	rows, err := s.db.QueryContext(ctx, `
		SELECT product_id, product_name, quantity, unit_price_cents
		FROM order_items WHERE order_id = ? ORDER BY line`, orderID)
	if err != nil {
		return orders.Order{}, fmt.Errorf("load items of %s: %w", orderID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var it orders.Item
		var cents int64
		if err := rows.Scan(&it.ProductID, &it.ProductName, &it.Quantity, &cents); err != nil {
			return orders.Order{}, fmt.Errorf("scan item of %s: %w", orderID, err)
		}
		it.UnitPrice = orders.Amount(cents)
		o.Items = append(o.Items, it)
	}
	if err := rows.Err(); err != nil {
		return orders.Order{}, fmt.Errorf("load items of %s: %w", orderID, err)
	}
	if o.History, err = s.history(ctx, orderID); err != nil {
		return orders.Order{}, err
	}
	return o, nil
}

func (s *Store) history(ctx context.Context, orderID string) ([]orders.Step, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT status, at, event_id, published_at IS NOT NULL FROM order_history
		WHERE order_id = ? ORDER BY at, rowid`, orderID)
	if err != nil {
		return nil, fmt.Errorf("load history of %s: %w", orderID, err)
	}
	defer rows.Close()
	var steps []orders.Step
	for rows.Next() {
		var st orders.Step
		var status, at string
		if err := rows.Scan(&status, &at, &st.EventID, &st.Published); err != nil {
			return nil, fmt.Errorf("scan history of %s: %w", orderID, err)
		}
		st.Status = orders.Status(status)
		if st.At, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("history of %s: %w", orderID, err)
		}
		steps = append(steps, st)
	}
	return steps, rows.Err()
}

// OutboxStats counts the events (order announcements and saga steps) stored but not yet
// acknowledged by the broker, and returns when the oldest of them was stored.
func (s *Store) OutboxStats(ctx context.Context) (pending int, oldest time.Time, err error) {
	var min sql.NullString
	err = s.db.QueryRowContext(ctx, `SELECT COUNT(*), MIN(at) FROM order_history WHERE published_at IS NULL`).Scan(&pending, &min)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("outbox stats: %w", err)
	}
	if min.Valid {
		if oldest, err = parseTime(min.String); err != nil {
			return 0, time.Time{}, fmt.Errorf("outbox stats: %w", err)
		}
	}
	return pending, oldest, nil
}

// UnpublishedOrders lists the ids of orders created before the given time whose
// OrderCreatedEvent was never acknowledged, oldest first.
func (s *Store) UnpublishedOrders(ctx context.Context, before time.Time) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT order_id FROM orders WHERE published_at IS NULL AND created_at < ? ORDER BY created_at`, formatTime(before))
	if err != nil {
		return nil, fmt.Errorf("list unpublished orders: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("list unpublished orders: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// OrdersOfUser loads every order of userID, oldest first.
func (s *Store) OrdersOfUser(ctx context.Context, userID string) ([]orders.Order, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT order_id FROM orders WHERE user_id = ? ORDER BY created_at, order_id`, userID)
	if err != nil {
		return nil, fmt.Errorf("list orders of %s: %w", userID, err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list orders of %s: %w", userID, err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list orders of %s: %w", userID, err)
	}
	out := make([]orders.Order, 0, len(ids))
	for _, id := range ids {
		o, err := s.Order(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// Times are stored as RFC 3339 text with nanoseconds, in UTC, so they sort and read well.
func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseTime(s string) (time.Time, error) { return time.Parse(time.RFC3339Nano, s) }
