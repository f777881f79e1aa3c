-- Foundation: agencies and people, accounts and roles, sessions and tokens,
-- the audit log and the e-gov application catalog. Keep in step with
-- ../postgres/0001_foundation.sql: same tables, columns and constraints.

CREATE TABLE agencies (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    type        TEXT NOT NULL CHECK (type IN ('dinas','badan','sekretariat','bagian','kecamatan','kelurahan','upt','other')),
    parent_id   INTEGER REFERENCES agencies(id),
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX agencies_parent ON agencies(parent_id);

CREATE TABLE units (
    id          INTEGER PRIMARY KEY,
    agency_id   INTEGER NOT NULL REFERENCES agencies(id),
    name        TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    UNIQUE (agency_id, name)
);

CREATE TABLE positions (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    created_at  TIMESTAMP NOT NULL
);

CREATE TABLE employees (
    id              INTEGER PRIMARY KEY,
    agency_id       INTEGER NOT NULL REFERENCES agencies(id),
    unit_id         INTEGER REFERENCES units(id),
    position_id     INTEGER REFERENCES positions(id),
    nip             TEXT UNIQUE,
    name            TEXT NOT NULL,
    front_title     TEXT NOT NULL DEFAULT '',
    back_title      TEXT NOT NULL DEFAULT '',
    email           TEXT UNIQUE,
    phone           TEXT,
    rank            TEXT NOT NULL DEFAULT '',
    employment_type TEXT NOT NULL CHECK (employment_type IN ('pns','pppk','contract','outsourced')),
    supervisor_id   INTEGER REFERENCES employees(id),
    active          BOOLEAN NOT NULL DEFAULT TRUE,
    end_reason      TEXT CHECK (end_reason IN ('retired','contract_ended','deceased','resigned','dismissed')),
    ended_on        DATE,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    CHECK ((employment_type IN ('pns','pppk')) = (nip IS NOT NULL)),
    CHECK (active = (end_reason IS NULL))
);
CREATE INDEX employees_agency ON employees(agency_id, id);
CREATE INDEX employees_supervisor ON employees(supervisor_id);
CREATE INDEX employees_name ON employees(name);

-- A transfer (mutasi) keeps where a person came from; the employee row holds
-- only where they are now.
CREATE TABLE employee_transfers (
    id                INTEGER PRIMARY KEY,
    employee_id       INTEGER NOT NULL REFERENCES employees(id),
    from_agency_id    INTEGER NOT NULL REFERENCES agencies(id),
    to_agency_id      INTEGER NOT NULL REFERENCES agencies(id),
    from_unit_id      INTEGER REFERENCES units(id),
    to_unit_id        INTEGER REFERENCES units(id),
    from_position_id  INTEGER REFERENCES positions(id),
    to_position_id    INTEGER REFERENCES positions(id),
    effective_on      DATE NOT NULL,
    decree            TEXT NOT NULL DEFAULT '',
    created_at        TIMESTAMP NOT NULL
);
CREATE INDEX employee_transfers_employee ON employee_transfers(employee_id, effective_on);

-- Every account belongs to a person; the person's email is the sign-in name.
CREATE TABLE accounts (
    id                   INTEGER PRIMARY KEY,
    employee_id          INTEGER NOT NULL UNIQUE REFERENCES employees(id),
    password_hash        TEXT NOT NULL DEFAULT '',
    locale               TEXT NOT NULL DEFAULT 'id',
    active               BOOLEAN NOT NULL DEFAULT TRUE,
    password_changed_at  TIMESTAMP,
    last_sign_in_at      TIMESTAMP,
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL
);

CREATE TABLE apps (
    id               INTEGER PRIMARY KEY,
    slug             TEXT NOT NULL UNIQUE,
    name             TEXT NOT NULL,
    owner_agency_id  INTEGER NOT NULL REFERENCES agencies(id),
    status           TEXT NOT NULL CHECK (status IN ('planned','development','active','maintenance','retired')),
    url              TEXT NOT NULL DEFAULT '',
    description      TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
CREATE INDEX apps_owner ON apps(owner_agency_id);

-- The agencies that use an application (the owner need not be one of them).
CREATE TABLE app_agencies (
    app_id     INTEGER NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
    agency_id  INTEGER NOT NULL REFERENCES agencies(id),
    PRIMARY KEY (app_id, agency_id)
);
CREATE INDEX app_agencies_agency ON app_agencies(agency_id);

-- A role held by an account. Agency-scoped roles carry agency_id; an
-- application operator also carries app_id (operator of SIPD in Dinas X).
-- City-wide roles carry neither.
CREATE TABLE role_grants (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    role        TEXT NOT NULL CHECK (role IN ('employee','operator','agency_admin','agency_head','trainer','agent','expert','executive','superadmin')),
    agency_id   INTEGER REFERENCES agencies(id),
    app_id      INTEGER REFERENCES apps(id) ON DELETE CASCADE,
    created_at  TIMESTAMP NOT NULL,
    CHECK ((role IN ('agent','expert','executive','superadmin')) = (agency_id IS NULL)),
    CHECK (app_id IS NULL OR role = 'operator')
);
CREATE UNIQUE INDEX role_grants_unique ON role_grants(account_id, role, COALESCE(agency_id, 0), COALESCE(app_id, 0));
CREATE INDEX role_grants_app ON role_grants(app_id, agency_id);

-- Sessions and tokens are stored by the SHA-256 of their secret, never the
-- secret itself, so a copy of the database cannot be used to sign in.
CREATE TABLE sessions (
    id_hash       TEXT PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    csrf_token    TEXT NOT NULL,
    ip            TEXT NOT NULL DEFAULT '',
    user_agent    TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    last_seen_at  TIMESTAMP NOT NULL,
    expires_at    TIMESTAMP NOT NULL
);
CREATE INDEX sessions_account ON sessions(account_id);
CREATE INDEX sessions_expires ON sessions(expires_at);

CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name          TEXT NOT NULL DEFAULT '',
    token_hash    TEXT NOT NULL UNIQUE,
    prefix        TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    last_used_at  TIMESTAMP,
    expires_at    TIMESTAMP,
    revoked_at    TIMESTAMP
);
CREATE INDEX api_tokens_account ON api_tokens(account_id);

-- Every write, with who made it and the row before and after, as JSON with
-- secrets left out.
CREATE TABLE audit_log (
    id                INTEGER PRIMARY KEY,
    at                TIMESTAMP NOT NULL,
    actor_account_id  INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    actor             TEXT NOT NULL,
    action            TEXT NOT NULL,
    entity            TEXT NOT NULL,
    entity_id         TEXT NOT NULL,
    agency_id         INTEGER REFERENCES agencies(id),
    before_json       TEXT,
    after_json        TEXT,
    request_id        TEXT NOT NULL DEFAULT '',
    ip                TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
CREATE INDEX audit_log_agency ON audit_log(agency_id, at);
