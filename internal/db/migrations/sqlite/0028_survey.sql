-- The survey's own additions to the LO core (0025): sections of items and
-- the holding place of fresh answers. Keep in step with
-- ../postgres/0028_survey.sql.

-- An item may belong to a section of the questionnaire (a heading the
-- respondent sees); the LO instrument names none.
ALTER TABLE survey_items ADD COLUMN section TEXT NOT NULL DEFAULT '';

-- Answers wait here between the answering transaction (which also marks
-- the invitation answered) and the job that moves them, in shuffled
-- batches of at least five per agency or when the campaign closes, into
-- survey_responses/survey_answers. id is random, not a sequence, so the
-- rows' keys do not give the order people answered in; answers is
-- "item_id:value" pairs joined by commas. Nothing here names a person.
CREATE TABLE survey_pending (
    id           INTEGER PRIMARY KEY,
    campaign_id  INTEGER NOT NULL REFERENCES survey_campaigns(id) ON DELETE CASCADE,
    agency_id    INTEGER NOT NULL REFERENCES agencies(id),
    answers      TEXT NOT NULL
);
CREATE INDEX survey_pending_group ON survey_pending(campaign_id, agency_id);

-- When the people who had not answered were reminded, once, three days
-- before the campaign closes.
ALTER TABLE survey_campaigns ADD COLUMN reminded_at TIMESTAMP;
