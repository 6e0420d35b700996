-- email_key is the lower-cased address: e-mail uniqueness is case-insensitive.
CREATE TABLE users (
    id         VARCHAR(36)              NOT NULL PRIMARY KEY,
    email      VARCHAR(254)             NOT NULL,
    email_key  VARCHAR(254)             NOT NULL,
    name       VARCHAR(100)             NOT NULL,
    phone      VARCHAR(16),
    source     VARCHAR(16)              NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT uk_users_email_key UNIQUE (email_key)
);
