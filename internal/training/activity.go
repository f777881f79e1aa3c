package training

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"html/template"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/markdown"
	"github.com/lontara-id/lontara/internal/policy"
)

// Activity is a learning activity: what is learnt, by which kind of
// learning, the competencies it builds and its JP. Events run it.
type Activity struct {
	ID           int64             `json:"id"`
	Kind         string            `json:"kind"`
	Title        string            `json:"title"`
	Description  string            `json:"description"` // Markdown
	JP           int               `json:"jp"`
	Link         string            `json:"link"`
	AgencyID     *int64            `json:"agency_id"` // the provider; null: the city
	AgencyName   string            `json:"agency_name"`
	RetiredAt    *time.Time        `json:"retired_at"`
	Competencies []CompetencyLevel `json:"competencies"`
	CreatedAt    time.Time         `json:"created_at"`
	UpdatedAt    time.Time         `json:"updated_at"`

	DescriptionHTML template.HTML `json:"-"`
}

// ActivityInput is what creates or changes an activity.
type ActivityInput struct {
	Kind         string            `json:"kind"`
	Title        string            `json:"title"`
	Description  string            `json:"description,omitempty"`
	JP           int               `json:"jp"`
	Link         string            `json:"link,omitempty"`
	AgencyID     *int64            `json:"agency_id,omitempty"`
	Competencies []CompetencyLevel `json:"competencies,omitempty"`
}

func (in *ActivityInput) validate() *errs.Validation {
	var v errs.Validation
	in.Title, in.Link = strings.TrimSpace(in.Title), strings.TrimSpace(in.Link)
	if !ValidKind(in.Kind) {
		v.Add("kind", "training.kind_invalid")
	}
	checkTitle(&v, in.Title)
	if utf8.RuneCountInString(in.Description) > maxDescription {
		v.Add("description", "training.description_long", maxDescription)
	}
	if in.JP < 0 || in.JP > maxJP {
		v.Add("jp", "training.jp_range", maxJP)
	}
	checkLink(&v, "link", in.Link)
	return &v
}

func checkTitle(v *errs.Validation, title string) {
	switch {
	case title == "":
		v.Add("title", "training.title_required")
	case utf8.RuneCountInString(title) > maxTitle:
		v.Add("title", "training.title_long", maxTitle)
	}
}

func checkLink(v *errs.Validation, field, link string) {
	switch {
	case link == "":
	case utf8.RuneCountInString(link) > maxLink:
		v.Add(field, "training.link_long", maxLink)
	case !strings.HasPrefix(link, "https://") && !strings.HasPrefix(link, "http://"):
		v.Add(field, "training.link_invalid")
	}
}

// CreateActivity adds an activity provided by in.AgencyID (nil: the city).
func (s *Service) CreateActivity(ctx context.Context, actor *policy.Actor, in ActivityInput) (Activity, error) {
	v := in.validate()
	if err := policy.Check(actor, policy.ActivityManage, policy.Target{AgencyID: deref(in.AgencyID)}); err != nil {
		return Activity{}, err
	}
	var id int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		comps, err := resolveCompetencies(ctx, tx, v, in.Competencies)
		if err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		at := now()
		id, err = db.InsertID(ctx, tx, `INSERT INTO activities (kind, title, description, jp, link, agency_id, created_by,
			created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
			in.Kind, in.Title, in.Description, in.JP, in.Link, in.AgencyID, db.NullID(actor.AccountID), at)
		if err != nil {
			if s.db.Dialect.ForeignKeyViolation(err) {
				return errs.FieldErr("agency_id", "training.agency_unknown")
			}
			return fmt.Errorf("training: create activity: %w", err)
		}
		if err := setCompetencies(ctx, tx, "activity_competencies", "activity_id", id, comps); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "activity", EntityID: id,
			AgencyID: deref(in.AgencyID), After: in})
	})
	if err != nil {
		return Activity{}, err
	}
	return s.Activity(ctx, id)
}

// UpdateActivity changes an activity; its provider stays. Events already
// made from it keep what they copied.
func (s *Service) UpdateActivity(ctx context.Context, actor *policy.Actor, id int64, in ActivityInput) (Activity, error) {
	v := in.validate()
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		old, err := findActivity(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := policy.Check(actor, policy.ActivityManage, policy.Target{AgencyID: deref(old.AgencyID)}); err != nil {
			return err
		}
		comps, err := resolveCompetencies(ctx, tx, v, in.Competencies)
		if err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE activities SET kind = $1, title = $2, description = $3, jp = $4,
			link = $5, updated_at = $6 WHERE id = $7`, in.Kind, in.Title, in.Description, in.JP, in.Link, now(), id); err != nil {
			return fmt.Errorf("training: update activity %d: %w", id, err)
		}
		if err := setCompetencies(ctx, tx, "activity_competencies", "activity_id", id, comps); err != nil {
			return err
		}
		in.AgencyID = old.AgencyID
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "update", Entity: "activity", EntityID: id,
			AgencyID: deref(old.AgencyID), Before: old, After: in})
	})
	if err != nil {
		return Activity{}, err
	}
	return s.Activity(ctx, id)
}

// RetireActivity takes an activity out of the catalogue: it is no longer
// listed nor scheduled; its events and the records of who finished it
// stay.
func (s *Service) RetireActivity(ctx context.Context, actor *policy.Actor, id int64) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		a, err := findActivity(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := policy.Check(actor, policy.ActivityManage, policy.Target{AgencyID: deref(a.AgencyID)}); err != nil {
			return err
		}
		if a.RetiredAt != nil {
			return errs.New(errs.Conflict, "training.activity_retired")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE activities SET retired_at = $1, updated_at = $1 WHERE id = $2`, now(), id); err != nil {
			return fmt.Errorf("training: retire activity %d: %w", id, err)
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "retire", Entity: "activity", EntityID: id,
			AgencyID: deref(a.AgencyID), Before: a})
	})
}

// Activity returns an activity with its competencies (anyone signed in
// may read the catalogue).
func (s *Service) Activity(ctx context.Context, id int64) (Activity, error) {
	a, err := findActivity(ctx, s.db.R, id)
	if err != nil {
		return Activity{}, err
	}
	comps, err := competenciesOf(ctx, s.db.R, "activity_competencies", "activity_id", []int64{id})
	if err != nil {
		return Activity{}, err
	}
	a.Competencies = nonNilLevels(comps[id])
	a.DescriptionHTML = markdown.Render(a.Description)
	return a, nil
}

// CanManageActivity reports whether actor may change activities provided
// by agencyID (0: the city's).
func CanManageActivity(actor *policy.Actor, agencyID int64) bool {
	return policy.Can(actor, policy.ActivityManage, policy.Target{AgencyID: agencyID})
}

// ActivityFilter selects activities for the catalogue.
type ActivityFilter struct {
	Kind *string
	Q    *string
}

// Activities lists the activities in use, by title, a page at a time.
func (s *Service) Activities(ctx context.Context, f ActivityFilter, p db.Page) ([]Activity, string, error) {
	where := []string{"a.retired_at IS NULL"}
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	if f.Kind != nil {
		where = append(where, "a.kind = "+arg(*f.Kind))
	}
	if f.Q != nil && strings.TrimSpace(*f.Q) != "" {
		where = append(where, s.db.Dialect.ContainsFold("a.title", arg(db.EscapeLike(strings.TrimSpace(*f.Q)))))
	}
	if p.After != "" {
		var title string
		var id int64
		if err := db.ParseCursor(p.After, &title, &id); err != nil {
			return nil, "", err
		}
		where = append(where, fmt.Sprintf("(a.title > %s OR (a.title = %s AND a.id > %s))", arg(title), arg(title), arg(id)))
	}
	rows, err := s.db.R.QueryContext(ctx, `SELECT `+activityColumns+activityFrom+` WHERE `+strings.Join(where, " AND ")+
		` ORDER BY a.title, a.id LIMIT `+arg(p.Size()+1), args...)
	if err != nil {
		return nil, "", fmt.Errorf("training: activities: %w", err)
	}
	defer rows.Close()
	list := []Activity{}
	for rows.Next() {
		a, err := scanActivity(rows)
		if err != nil {
			return nil, "", fmt.Errorf("training: activities: %w", err)
		}
		list = append(list, a)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	next := ""
	if len(list) > p.Size() {
		list = list[:p.Size()]
		last := list[len(list)-1]
		next = db.Cursor(last.Title, last.ID)
	}
	ids := make([]int64, len(list))
	for i, a := range list {
		ids[i] = a.ID
	}
	comps, err := competenciesOf(ctx, s.db.R, "activity_competencies", "activity_id", ids)
	if err != nil {
		return nil, "", err
	}
	for i := range list {
		list[i].Competencies = nonNilLevels(comps[list[i].ID])
	}
	return list, next, nil
}

const activityColumns = `a.id, a.kind, a.title, a.description, a.jp, a.link, a.agency_id, COALESCE(g.name, ''),
	a.retired_at, a.created_at, a.updated_at`

const activityFrom = ` FROM activities a LEFT JOIN agencies g ON g.id = a.agency_id`

func scanActivity(row interface{ Scan(...any) error }) (Activity, error) {
	var a Activity
	var agency sql.NullInt64
	var retired sql.NullTime
	err := row.Scan(&a.ID, &a.Kind, &a.Title, &a.Description, &a.JP, &a.Link, &agency, &a.AgencyName, &retired,
		&a.CreatedAt, &a.UpdatedAt)
	if agency.Valid {
		a.AgencyID = &agency.Int64
	}
	if retired.Valid {
		a.RetiredAt = utcPtr(&retired.Time)
	}
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	return a, err
}

func findActivity(ctx context.Context, q db.Querier, id int64) (Activity, error) {
	a, err := scanActivity(q.QueryRowContext(ctx, `SELECT `+activityColumns+activityFrom+` WHERE a.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Activity{}, errs.New(errs.NotFound, "training.activity_not_found")
	}
	if err != nil {
		return Activity{}, fmt.Errorf("training: activity %d: %w", id, err)
	}
	return a, nil
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}
