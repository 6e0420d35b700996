"""The embedded database (SQLite under DATA_DIR): users, sent-log, event outbox, parked records."""
