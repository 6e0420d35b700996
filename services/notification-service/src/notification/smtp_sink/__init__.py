"""The SMTP sink: a small aiosmtpd server that keeps every e-mail it receives in a Maildir."""
