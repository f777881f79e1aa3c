package competency

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// FrameworkInput is a new framework, or the new name and description of
// one (the code never changes).
type FrameworkInput struct {
	Code        string `json:"code"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Note        string `json:"note,omitempty"`
}

func (in FrameworkInput) check(withCode bool) error {
	var v errs.Validation
	if withCode && !codePattern.MatchString(in.Code) {
		v.Add("code", "competency.code_format")
	}
	checkText(&v, "name", in.Name, true, maxName)
	checkText(&v, "description", in.Description, false, maxDescription)
	checkText(&v, "note", in.Note, false, maxNote)
	return v.Err()
}

// CreateFramework adds a framework (the expert team).
func (s *Service) CreateFramework(ctx context.Context, actor *policy.Actor, in FrameworkInput) (Framework, error) {
	var id int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := policy.Check(actor, policy.CompetencyManage, policy.Target{}); err != nil {
			return err
		}
		var err error
		id, err = createFramework(ctx, tx, s.db.Dialect, actor, in)
		return err
	})
	if err != nil {
		return Framework{}, err
	}
	return s.GetFramework(ctx, id)
}

func createFramework(ctx context.Context, tx db.Querier, dialect db.Dialect, actor *policy.Actor, in FrameworkInput) (int64, error) {
	if err := in.check(true); err != nil {
		return 0, err
	}
	at := clock()
	id, err := db.InsertID(ctx, tx, `INSERT INTO competency_frameworks (code, name, description, version, created_at,
		updated_at) VALUES ($1, $2, $3, 1, $4, $4) RETURNING id`, in.Code, in.Name, in.Description, at)
	if err != nil {
		if _, ok := dialect.UniqueViolation(err); ok { // the code is taken, or was at this moment
			return 0, errs.FieldErr("code", "competency.code_taken")
		}
		return 0, fmt.Errorf("create framework: %w", err)
	}
	if err := frameworkRevision(ctx, tx, actor, id, in.Note, at); err != nil {
		return 0, err
	}
	return id, audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "competency_framework", EntityID: id, After: in})
}

// UpdateFramework renames or redescribes a framework, raising its version.
func (s *Service) UpdateFramework(ctx context.Context, actor *policy.Actor, id int64, in FrameworkInput) (Framework, error) {
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := policy.Check(actor, policy.CompetencyManage, policy.Target{}); err != nil {
			return err
		}
		old, err := getFramework(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := in.check(false); err != nil {
			return err
		}
		if in.Name == old.Name && in.Description == old.Description {
			return nil
		}
		at := clock()
		if _, err := tx.ExecContext(ctx, `UPDATE competency_frameworks SET name = $1, description = $2,
			version = version + 1, updated_at = $3 WHERE id = $4`, in.Name, in.Description, at, id); err != nil {
			return fmt.Errorf("update framework %d: %w", id, err)
		}
		if err := frameworkRevision(ctx, tx, actor, id, in.Note, at); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "update", Entity: "competency_framework", EntityID: id,
			Before: old, After: in})
	})
	if err != nil {
		return Framework{}, err
	}
	return s.GetFramework(ctx, id)
}

// Revision is a competency as it stood at one version.
type Revision struct {
	Version        int       `json:"version"`
	FrameworkID    int64     `json:"framework_id"`
	Name           string    `json:"name"`
	Description    string    `json:"description"`
	Levels         []string  `json:"levels"`
	ValidityMonths *int      `json:"validity_months"`
	Retired        bool      `json:"retired"`
	Note           string    `json:"note"`
	EditorName     string    `json:"editor_name"`
	CreatedAt      time.Time `json:"created_at"`
}

const revisionColumns = `r.version, r.framework_id, r.name, r.description, r.level1, r.level2, r.level3, r.level4,
	r.validity_months, r.retired, r.note, COALESCE(e.name, ''), r.created_at
	FROM competency_revisions r LEFT JOIN accounts ac ON ac.id = r.editor_account_id
	LEFT JOIN employees e ON e.id = ac.employee_id`

func scanRevision(row interface{ Scan(...any) error }) (Revision, error) {
	var r Revision
	var l1, l2, l3, l4 string
	var months sql.NullInt64
	err := row.Scan(&r.Version, &r.FrameworkID, &r.Name, &r.Description, &l1, &l2, &l3, &l4, &months, &r.Retired,
		&r.Note, &r.EditorName, &r.CreatedAt)
	r.Levels = []string{l1, l2, l3, l4}
	if months.Valid {
		n := int(months.Int64)
		r.ValidityMonths = &n
	}
	r.CreatedAt = r.CreatedAt.UTC()
	return r, err
}

// Revisions returns every version of a competency, newest first.
func (s *Service) Revisions(ctx context.Context, id int64) ([]Revision, error) {
	if _, err := getCompetency(ctx, s.db.R, id); err != nil {
		return nil, err
	}
	rows, err := s.db.R.QueryContext(ctx, `SELECT `+revisionColumns+` WHERE r.competency_id = $1 ORDER BY r.version DESC`, id)
	if err != nil {
		return nil, fmt.Errorf("revisions of %d: %w", id, err)
	}
	defer rows.Close()
	list := []Revision{}
	for rows.Next() {
		r, err := scanRevision(rows)
		if err != nil {
			return nil, fmt.Errorf("revisions of %d: %w", id, err)
		}
		list = append(list, r)
	}
	return list, rows.Err()
}

// RevisionAt returns a competency as it stood at a version.
func (s *Service) RevisionAt(ctx context.Context, id int64, version int) (Revision, error) {
	r, err := scanRevision(s.db.R.QueryRowContext(ctx, `SELECT `+revisionColumns+`
		WHERE r.competency_id = $1 AND r.version = $2`, id, version))
	if errors.Is(err, sql.ErrNoRows) {
		return r, errs.New(errs.NotFound, "competency.revision_not_found")
	}
	if err != nil {
		return r, fmt.Errorf("revision %d of %d: %w", version, id, err)
	}
	return r, nil
}

// FrameworkRevision is one version of a framework and what changed in it.
type FrameworkRevision struct {
	Version    int       `json:"version"`
	Name       string    `json:"name"`
	Note       string    `json:"note"`
	EditorName string    `json:"editor_name"`
	CreatedAt  time.Time `json:"created_at"`
}

// FrameworkRevisions returns a framework's latest versions, newest first.
func (s *Service) FrameworkRevisions(ctx context.Context, id int64, limit int) ([]FrameworkRevision, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT r.version, r.name, r.note, COALESCE(e.name, ''), r.created_at
		FROM competency_framework_revisions r LEFT JOIN accounts ac ON ac.id = r.editor_account_id
		LEFT JOIN employees e ON e.id = ac.employee_id WHERE r.framework_id = $1 ORDER BY r.version DESC LIMIT $2`, id, limit)
	if err != nil {
		return nil, fmt.Errorf("framework revisions: %w", err)
	}
	defer rows.Close()
	list := []FrameworkRevision{}
	for rows.Next() {
		var r FrameworkRevision
		if err := rows.Scan(&r.Version, &r.Name, &r.Note, &r.EditorName, &r.CreatedAt); err != nil {
			return nil, fmt.Errorf("framework revisions: %w", err)
		}
		r.CreatedAt = r.CreatedAt.UTC()
		list = append(list, r)
	}
	return list, rows.Err()
}
