-- The competency framework's history: every version of a competency and of
-- a framework, kept in full when a change is published, so the expert team
-- can see what a level said before and compare two versions. Keep in step
-- with ../postgres/0020_competency_framework.sql.

-- A competency as it stood at one version (version 1 when it was made).
-- The competency row holds the current text; its revision at the current
-- version always equals it.
CREATE TABLE competency_revisions (
    id                 INTEGER PRIMARY KEY,
    competency_id      INTEGER NOT NULL REFERENCES competencies(id),
    version            INTEGER NOT NULL CHECK (version > 0),
    framework_id       INTEGER NOT NULL REFERENCES competency_frameworks(id),
    name               TEXT NOT NULL,
    description        TEXT NOT NULL DEFAULT '',
    level1             TEXT NOT NULL,
    level2             TEXT NOT NULL,
    level3             TEXT NOT NULL,
    level4             TEXT NOT NULL,
    validity_months    INTEGER,
    retired            BOOLEAN NOT NULL DEFAULT FALSE,
    note               TEXT NOT NULL DEFAULT '', -- what changed and why, in the editor's words
    editor_account_id  INTEGER REFERENCES accounts(id),
    created_at         TIMESTAMP NOT NULL,
    UNIQUE (competency_id, version)
);

-- A framework's versions: its own name and description, and what changed
-- in it (a competency added, changed or retired) at that version.
CREATE TABLE competency_framework_revisions (
    id                 INTEGER PRIMARY KEY,
    framework_id       INTEGER NOT NULL REFERENCES competency_frameworks(id),
    version            INTEGER NOT NULL CHECK (version > 0),
    name               TEXT NOT NULL,
    description        TEXT NOT NULL DEFAULT '',
    note               TEXT NOT NULL DEFAULT '',
    editor_account_id  INTEGER REFERENCES accounts(id),
    created_at         TIMESTAMP NOT NULL,
    UNIQUE (framework_id, version)
);

-- A document an assessment rests on (a scanned certificate, a work
-- sample, a test sheet), at most one per assessment; its type comes from
-- its bytes (internal/upload) and it is served only to those who may see
-- the person's profile.
CREATE TABLE competency_evidence_files (
    id                   INTEGER PRIMARY KEY,
    assessment_id        INTEGER NOT NULL UNIQUE REFERENCES competency_assessments(id),
    name                 TEXT NOT NULL CHECK (name <> ''),
    size                 INTEGER NOT NULL CHECK (size > 0),
    content_type         TEXT NOT NULL,
    sha256               TEXT NOT NULL,
    content              BLOB NOT NULL,
    uploader_account_id  INTEGER REFERENCES accounts(id),
    created_at           TIMESTAMP NOT NULL
);

-- When the person was told that this verified level lapses soon: once,
-- by whichever node's job claims it first.
ALTER TABLE competency_assessments ADD COLUMN reminded_at TIMESTAMP;

-- A profile reads the latest entries of one person by competency; the
-- verification queue reads self-assessments.
CREATE INDEX competency_assessments_source ON competency_assessments(source, employee_id);
