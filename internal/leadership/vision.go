package leadership

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// Vision is one version of the vision and mission of an agency (0: the
// city). Mission is Markdown, usually a numbered list.
type Vision struct {
	ID         int64     `json:"id"`
	AgencyID   int64     `json:"agency_id"`
	AgencyName string    `json:"agency_name,omitempty"`
	Vision     string    `json:"vision"`
	Mission    string    `json:"mission"`
	Term       string    `json:"term"`
	ByName     string    `json:"changed_by"`
	At         time.Time `json:"changed_at"`
}

// VisionInput is a new version of a vision and mission.
type VisionInput struct {
	AgencyID int64  `json:"agency_id"`
	Vision   string `json:"vision"`
	Mission  string `json:"mission"`
	Term     string `json:"term"`
}

const visionCols = `v.id, v.agency_id, COALESCE(g.name, ''), v.vision, v.mission, v.term, COALESCE(e.name, ''), v.created_at
	FROM visions v LEFT JOIN agencies g ON g.id = v.agency_id
	LEFT JOIN accounts a ON a.id = v.created_by LEFT JOIN employees e ON e.id = a.employee_id`

func scanVisions(rows *sql.Rows) ([]Vision, error) {
	defer rows.Close()
	var out []Vision
	for rows.Next() {
		var v Vision
		var agency sql.NullInt64
		if err := rows.Scan(&v.ID, &agency, &v.AgencyName, &v.Vision, &v.Mission, &v.Term, &v.ByName, &v.At); err != nil {
			return nil, fmt.Errorf("leadership: visions: %w", err)
		}
		v.AgencyID, v.At = idOf(agency), v.At.UTC()
		out = append(out, v)
	}
	return out, rows.Err()
}

// Visions lists the vision and mission in force of the city (first) and of
// every agency that has one, by agency name. Everyone signed in reads them.
func (s *Service) Visions(ctx context.Context, actor *policy.Actor) ([]Vision, error) {
	if err := signedIn(actor); err != nil {
		return nil, err
	}
	rows, err := s.db.R.QueryContext(ctx, `SELECT `+visionCols+` WHERE v.id IN
		(SELECT MAX(id) FROM visions GROUP BY COALESCE(agency_id, 0))
		ORDER BY v.agency_id IS NOT NULL, g.name, v.id`)
	if err != nil {
		return nil, fmt.Errorf("leadership: visions: %w", err)
	}
	return scanVisions(rows)
}

// VisionHistory lists every version of an agency's (0: the city's) vision
// and mission, the newest (the one in force) first.
func (s *Service) VisionHistory(ctx context.Context, actor *policy.Actor, agencyID int64) ([]Vision, error) {
	if err := signedIn(actor); err != nil {
		return nil, err
	}
	rows, err := s.db.R.QueryContext(ctx, `SELECT `+visionCols+` WHERE COALESCE(v.agency_id, 0) = $1
		ORDER BY v.id DESC`, agencyID)
	if err != nil {
		return nil, fmt.Errorf("leadership: vision history: %w", err)
	}
	return scanVisions(rows)
}

// CurrentVision is the vision and mission in force of an agency (0: the
// city), nil when none was written.
func (s *Service) CurrentVision(ctx context.Context, actor *policy.Actor, agencyID int64) (*Vision, error) {
	list, err := s.VisionHistory(ctx, actor, agencyID)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return &list[0], nil
}

// SetVision writes a new version of the vision and mission; the earlier
// ones stay as history.
func (s *Service) SetVision(ctx context.Context, actor *policy.Actor, in VisionInput) (Vision, error) {
	if err := policy.Check(actor, policy.VisionEdit, policy.Target{AgencyID: in.AgencyID}); err != nil {
		return Vision{}, err
	}
	var v errs.Validation
	text(&v, "vision", in.Vision, true, 2000)
	text(&v, "mission", in.Mission, true, 10000)
	text(&v, "term", in.Term, false, 40)
	if err := v.Err(); err != nil {
		return Vision{}, err
	}
	var id int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := agencyExists(ctx, tx, "agency_id", in.AgencyID); err != nil {
			return err
		}
		var err error
		id, err = db.InsertID(ctx, tx, `INSERT INTO visions (agency_id, vision, mission, term, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			nullID(in.AgencyID), in.Vision, in.Mission, in.Term, nullID(actor.AccountID), now())
		if err != nil {
			return fmt.Errorf("leadership: set vision: %w", err)
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "update", Entity: "vision", EntityID: id,
			AgencyID: in.AgencyID, After: in})
	})
	if err != nil {
		return Vision{}, err
	}
	list, err := s.VisionHistory(ctx, actor, in.AgencyID)
	if err != nil || len(list) == 0 {
		return Vision{}, err
	}
	return list[0], nil
}
