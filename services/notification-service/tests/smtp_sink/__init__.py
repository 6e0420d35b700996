"""The tests' SMTP server: aiosmtpd keeping each mail in a Maildir, and a reader of that Maildir.

The stack's sink is Mailpit (`./polyglot up` runs it); these tests need one inside the test process
instead, on a free port, with a handler they can hold at a chosen SMTP step (the crash tests).
"""
