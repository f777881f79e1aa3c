-- Small groups leave no trace of their agency (issue 6 review). Keep in
-- step with ../postgres/0032_survey_pool.sql.

-- The type each agency had when the campaign opened: the results by type
-- and the complementary suppression read this, not agencies.type, so an
-- admin changing an agency's type later changes neither.
ALTER TABLE survey_campaign_agencies ADD COLUMN agency_type TEXT NOT NULL DEFAULT '';
UPDATE survey_campaign_agencies SET agency_type = (SELECT a.type FROM agencies a WHERE a.id = agency_id);

-- A response of an agency that had fewer than five when the campaign
-- closed is "pooled": stored without its agency (agency_id NULL), with the
-- agency's type only where at least five pooled responses share it, else
-- with none (''). Pooled responses count towards their type and the city.
-- SQLite cannot drop NOT NULL, so both tables are rebuilt; the answers are
-- set aside first so that dropping the old responses cascades to nothing.
CREATE TABLE survey_responses_new (
    id           INTEGER PRIMARY KEY,
    campaign_id  INTEGER NOT NULL REFERENCES survey_campaigns(id) ON DELETE CASCADE,
    agency_id    INTEGER REFERENCES agencies(id),
    agency_type  TEXT NOT NULL DEFAULT ''
);
INSERT INTO survey_responses_new (id, campaign_id, agency_id) SELECT id, campaign_id, agency_id FROM survey_responses;
CREATE TABLE survey_answers_new (
    response_id  INTEGER NOT NULL REFERENCES survey_responses_new(id) ON DELETE CASCADE,
    item_id      INTEGER NOT NULL REFERENCES survey_items(id),
    value        INTEGER NOT NULL,
    PRIMARY KEY (response_id, item_id)
);
INSERT INTO survey_answers_new (response_id, item_id, value) SELECT response_id, item_id, value FROM survey_answers;
DROP TABLE survey_answers;
DROP TABLE survey_responses;
ALTER TABLE survey_responses_new RENAME TO survey_responses;
ALTER TABLE survey_answers_new RENAME TO survey_answers;
CREATE INDEX survey_responses_agency ON survey_responses(campaign_id, agency_id);

-- Pool the small groups of the campaigns already closed.
UPDATE survey_responses SET agency_type = COALESCE((SELECT ca.agency_type FROM survey_campaign_agencies ca
        WHERE ca.campaign_id = survey_responses.campaign_id AND ca.agency_id = survey_responses.agency_id), ''),
    agency_id = NULL
WHERE campaign_id IN (SELECT id FROM survey_campaigns WHERE status = 'closed')
  AND (SELECT count(*) FROM survey_responses x WHERE x.campaign_id = survey_responses.campaign_id
       AND x.agency_id = survey_responses.agency_id) < 5;
UPDATE survey_responses SET agency_type = ''
WHERE agency_id IS NULL AND agency_type <> ''
  AND (SELECT count(*) FROM survey_responses x WHERE x.campaign_id = survey_responses.campaign_id AND x.agency_id IS NULL
       AND x.agency_type = survey_responses.agency_type) < 5;
