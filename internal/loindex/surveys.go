package loindex

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/survey"
)

// surveyScores answers survey.LOScores(until), computed once per set of
// closed campaigns: reading every answer of the latest campaigns takes
// seconds at a province's scale (1.6 million answers: 2.1–2.7 s on
// PostgreSQL), and a closed campaign's answers no longer change. What
// the scores depend on is fingerprinted in one cheap query — the closed
// campaigns by until with their responses counted, and the agencies —
// and the scores are computed again whenever it changes (a campaign
// closes or reopens, responses pooled late arrive, an agency is added).
func (s *Service) surveyScores(ctx context.Context, q db.Querier, until time.Time) (map[int64]survey.Scores, error) {
	key, err := campaignsKey(ctx, q, until)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	scores, ok := s.surveys[key]
	s.mu.Unlock()
	if ok {
		return scores, nil
	}
	if scores, err = survey.LOScores(ctx, q, until); err != nil {
		return nil, err
	}
	s.mu.Lock()
	if len(s.surveys) >= 16 { // a few periods' worth; forget the rest
		clear(s.surveys)
	}
	s.surveys[key] = scores
	s.mu.Unlock()
	return scores, nil
}

func campaignsKey(ctx context.Context, q db.Querier, until time.Time) (string, error) {
	rows, err := q.QueryContext(ctx, `SELECT c.id, (SELECT count(*) FROM survey_responses r WHERE r.campaign_id = c.id)
		FROM survey_campaigns c WHERE c.status = 'closed' AND c.closes_at <= $1
		UNION ALL SELECT -count(*), COALESCE(MAX(id), 0) FROM agencies ORDER BY 1`, until.UTC())
	if err != nil {
		return "", fmt.Errorf("survey campaigns: %w", err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var id, n int64
		if err := rows.Scan(&id, &n); err != nil {
			return "", fmt.Errorf("survey campaigns: %w", err)
		}
		fmt.Fprintf(&b, "%d:%d,", id, n)
	}
	return b.String(), rows.Err()
}
