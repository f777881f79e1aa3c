-- Small groups leave no trace of their agency (issue 6 review). Keep in
-- step with ../sqlite/0032_survey_pool.sql.

-- The type each agency had when the campaign opened: the results by type
-- and the complementary suppression read this, not agencies.type, so an
-- admin changing an agency's type later changes neither.
ALTER TABLE survey_campaign_agencies ADD COLUMN agency_type TEXT NOT NULL DEFAULT '';
UPDATE survey_campaign_agencies SET agency_type = (SELECT a.type FROM agencies a WHERE a.id = agency_id);

-- A response of an agency that had fewer than five when the campaign
-- closed is "pooled": stored without its agency (agency_id NULL), with the
-- agency's type only where at least five pooled responses share it, else
-- with none (''). Pooled responses count towards their type and the city.
ALTER TABLE survey_responses ALTER COLUMN agency_id DROP NOT NULL;
ALTER TABLE survey_responses ADD COLUMN agency_type TEXT NOT NULL DEFAULT '';

-- Pool the small groups of the campaigns already closed.
UPDATE survey_responses r SET agency_type = ca.agency_type, agency_id = NULL
FROM survey_campaign_agencies ca, survey_campaigns c
WHERE ca.campaign_id = r.campaign_id AND ca.agency_id = r.agency_id AND c.id = r.campaign_id AND c.status = 'closed'
  AND (SELECT count(*) FROM survey_responses x WHERE x.campaign_id = r.campaign_id AND x.agency_id = r.agency_id) < 5;
UPDATE survey_responses r SET agency_type = ''
WHERE r.agency_id IS NULL AND r.agency_type <> ''
  AND (SELECT count(*) FROM survey_responses x WHERE x.campaign_id = r.campaign_id AND x.agency_id IS NULL
       AND x.agency_type = r.agency_type) < 5;
