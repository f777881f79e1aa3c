-- Survey: a closed campaign's results are computed from the moments of its
-- answers per group (survey.keepFigures, at the close): for each agency,
-- and each pool of responses stored without one, each item's count, sum
-- and sum of squares of values, and each dimension's of the respondents'
-- totals over its items. That is all the results need (means, Cronbach's
-- alpha), a few thousand rows, where the answers of a ministry's campaign
-- are 3.8 million: the results page read them all on every view (13 s).
-- Beside them, each agency's participation (invited, answered), which the
-- pages counted from 300,000 invitations a campaign (19–36 ms each time).
-- Campaigns closed before this are given theirs by the survey job
-- (survey.Service.Tick). Keep in step with ../sqlite/0053_survey_moments.sql.
CREATE TABLE survey_moments (
    campaign_id  BIGINT NOT NULL REFERENCES survey_campaigns(id) ON DELETE CASCADE,
    agency_id    BIGINT NOT NULL, -- 0: pooled responses, of the pool agency_type names
    agency_type  TEXT NOT NULL,
    item_id      BIGINT NOT NULL, -- 0: a dimension's totals
    dimension    TEXT NOT NULL,   -- '': an item's values
    n            BIGINT NOT NULL,
    total        BIGINT NOT NULL,
    squares      BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, agency_id, agency_type, item_id, dimension)
);

CREATE TABLE survey_participation (
    campaign_id  BIGINT NOT NULL REFERENCES survey_campaigns(id) ON DELETE CASCADE,
    agency_id    BIGINT NOT NULL REFERENCES agencies(id),
    invited      BIGINT NOT NULL,
    answered     BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, agency_id)
);
