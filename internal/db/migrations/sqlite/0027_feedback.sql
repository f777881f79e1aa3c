-- Feedback in all directions: the comments and answers of ideas (the ideas
-- and their votes are in 0025), thanks between colleagues, and lessons
-- learned after an incident or a project. Keep in step with
-- ../postgres/0027_feedback.sql.

-- The procedure an idea is about when it is not about an application.
ALTER TABLE ideas ADD COLUMN procedure_name TEXT NOT NULL DEFAULT '';
CREATE INDEX ideas_votes ON ideas(votes, id);

CREATE TABLE idea_comments (
    id          INTEGER PRIMARY KEY,
    idea_id     INTEGER NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
    account_id  INTEGER NOT NULL REFERENCES accounts(id),
    body        TEXT NOT NULL, -- Markdown
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX idea_comments_idea ON idea_comments(idea_id, id);

-- Every answer of the owner's leadership with the status it set, oldest
-- first: ideas.answer/answered_at keep the first one, which ends the wait.
CREATE TABLE idea_answers (
    id           INTEGER PRIMARY KEY,
    idea_id      INTEGER NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
    status_from  TEXT NOT NULL,
    status_to    TEXT NOT NULL CHECK (status_to IN ('review','planned','done','declined')),
    answer       TEXT NOT NULL, -- Markdown
    account_id   INTEGER NOT NULL REFERENCES accounts(id),
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX idea_answers_idea ON idea_answers(idea_id, id);

-- Thanks from one person to another, with the reason.
CREATE TABLE thanks (
    id           INTEGER PRIMARY KEY,
    giver_id     INTEGER NOT NULL REFERENCES employees(id),
    receiver_id  INTEGER NOT NULL REFERENCES employees(id),
    reason       TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    CHECK (giver_id <> receiver_id)
);
CREATE INDEX thanks_receiver ON thanks(receiver_id, id);
CREATE INDEX thanks_giver ON thanks(giver_id, created_at);

-- A lesson learned about an agency's work (agency_id) or the city's
-- (NULL: the city's help desk, a city project). article_id is the draft
-- knowledge article it was published as.
CREATE TABLE lessons (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('incident','project')),
    agency_id   INTEGER REFERENCES agencies(id),
    title       TEXT NOT NULL,
    happened    TEXT NOT NULL,
    expected    TEXT NOT NULL DEFAULT '',
    learned     TEXT NOT NULL,
    changes     TEXT NOT NULL DEFAULT '',
    author_id   INTEGER REFERENCES accounts(id),
    article_id  INTEGER REFERENCES articles(id) ON DELETE SET NULL,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE INDEX lessons_agency ON lessons(agency_id, id);

CREATE TABLE lesson_tickets (
    lesson_id  INTEGER NOT NULL REFERENCES lessons(id) ON DELETE CASCADE,
    ticket_id  INTEGER NOT NULL REFERENCES tickets(id),
    PRIMARY KEY (lesson_id, ticket_id)
);

CREATE TABLE lesson_problems (
    lesson_id   INTEGER NOT NULL REFERENCES lessons(id) ON DELETE CASCADE,
    problem_id  INTEGER NOT NULL REFERENCES problems(id),
    PRIMARY KEY (lesson_id, problem_id)
);
