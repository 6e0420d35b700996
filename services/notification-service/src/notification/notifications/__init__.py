"""The domain: who gets which e-mail for which event, rendered from templates, sent once."""
