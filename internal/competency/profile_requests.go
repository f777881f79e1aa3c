package competency

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// Request is a self-assessment above what has been verified, waiting for
// someone to verify it.
type Request struct {
	Assessment
	PersonName string `json:"person_name"`
	AgencyName string `json:"agency_name"`
	Verified   int    `json:"verified_level"` // the level that counts now
}

// Requests returns the self-assessments the actor may verify that no one
// has answered yet and that claim more than counts now, oldest first: their
// direct reports', those of the agencies they train in, and for the expert
// team everyone's. A request is answered by a later self-assessment, by a
// supervisor's or trainer's verification at any level, or by evidence
// reaching its level; evidence below it (an attended session at level 1
// under a claim of level 3) leaves it waiting.
func (s *Service) Requests(ctx context.Context, actor *policy.Actor, limit int) ([]Request, error) {
	if actor == nil {
		return nil, errs.New(errs.Unauthorized, "unauthorized")
	}
	args := []any{actor.EmployeeID}
	scope := `p.supervisor_id = $1`
	if actor.Has(policy.Expert) || actor.IsSuper() {
		scope = `TRUE`
	} else if ids := actor.AgenciesWith(policy.Trainer); len(ids) > 0 {
		in := ""
		for i, id := range ids {
			args = append(args, id)
			if i > 0 {
				in += ", "
			}
			in += "$" + strconv.Itoa(len(args))
		}
		scope = `(p.supervisor_id = $1 OR p.agency_id IN (` + in + `))`
	}
	args = append(args, time.Now().UTC(), limit)
	n := len(args)
	verified := `COALESCE((SELECT max(v.level) FROM competency_assessments v WHERE v.employee_id = a.employee_id
			AND v.competency_id = a.competency_id AND v.source <> 'self'
			AND (v.expires_at IS NULL OR v.expires_at > $` + strconv.Itoa(n-1) + `)), 0)`
	// The scope narrows the query; the policy still decides each row.
	rows, err := s.db.R.QueryContext(ctx, `SELECT `+assessmentFields+`, p.name, ag.name, `+verified+`, p.agency_id,
		COALESCE(p.supervisor_id, 0)
		`+assessmentFrom+` JOIN employees p ON p.id = a.employee_id JOIN agencies ag ON ag.id = p.agency_id
		WHERE a.source = 'self' AND p.active AND p.id <> $1 AND c.retired_at IS NULL AND `+scope+`
		AND a.level > `+verified+`
		AND NOT EXISTS (SELECT 1 FROM competency_assessments n WHERE n.employee_id = a.employee_id
			AND n.competency_id = a.competency_id AND n.id > a.id
			AND (n.source IN ('self', 'supervisor', 'trainer') OR n.level >= a.level))
		ORDER BY a.id LIMIT $`+strconv.Itoa(n), args...)
	if err != nil {
		return nil, fmt.Errorf("verification requests: %w", err)
	}
	defer rows.Close()
	list := []Request{}
	for rows.Next() {
		var r Request
		var agency, supervisor int64
		a, err := scanAssessment(rows, &r.PersonName, &r.AgencyName, &r.Verified, &agency, &supervisor)
		if err != nil {
			return nil, fmt.Errorf("verification requests: %w", err)
		}
		r.Assessment = a
		t := policy.Target{AgencyID: agency, EmployeeID: a.EmployeeID,
			Supervisor: actor.EmployeeID != 0 && supervisor == actor.EmployeeID}
		if policy.Can(actor, policy.CompetencyVerify, t) {
			list = append(list, r)
		}
	}
	return list, rows.Err()
}
