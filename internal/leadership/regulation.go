package leadership

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// The kinds of regulation: a mayor's regulation (Peraturan Wali Kota), a
// decree (Surat Keputusan), a circular (Surat Edaran), or another kind.
var RegulationKinds = []string{"perwali", "sk", "se", "other"}

// Regulation statuses.
const (
	InForce = "in_force"
	Revoked = "revoked"
)

// Regulation is a regulation in the registry, with what it requires and
// its documents.
type Regulation struct {
	ID           int64        `json:"id"`
	Kind         string       `json:"kind"`
	Number       string       `json:"number"`
	Title        string       `json:"title"`
	AgencyID     int64        `json:"agency_id"`
	AgencyName   string       `json:"agency_name,omitempty"`
	SignedOn     time.Time    `json:"signed_on"`
	InForceFrom  time.Time    `json:"in_force_from"`
	InForceUntil *time.Time   `json:"in_force_until"`
	Summary      string       `json:"summary"`
	Status       string       `json:"status"`
	RevokedAt    *time.Time   `json:"revoked_at"`
	InForceNow   bool         `json:"in_force_now"`
	Obligations  []Obligation `json:"obligations"`
	Files        []File       `json:"files"`
	UpdatedAt    time.Time    `json:"updated_at"`
}

// Obligation is one thing a regulation requires, optionally tied to a
// competency, a number of JP or an application.
type Obligation struct {
	Text           string `json:"text"`
	CompetencyID   int64  `json:"competency_id,omitempty"`
	CompetencyCode string `json:"competency_code,omitempty"`
	JP             int    `json:"jp,omitempty"`
	AppID          int64  `json:"app_id,omitempty"`
	AppSlug        string `json:"app_slug,omitempty"`
	AppName        string `json:"app_name,omitempty"`
}

// File is a document of a regulation (the signed text, an attachment).
type File struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	Size        int64     `json:"size"`
	ContentType string    `json:"content_type"`
	CreatedAt   time.Time `json:"created_at"`
}

// RegulationInput is a regulation as registered or changed. Dates are
// days, "2026-03-31" (or the instants a regulation is read with);
// InForceUntil "" has no end.
type RegulationInput struct {
	Kind         string            `json:"kind"`
	Number       string            `json:"number"`
	Title        string            `json:"title"`
	AgencyID     int64             `json:"agency_id"`
	SignedOn     string            `json:"signed_on"`
	InForceFrom  string            `json:"in_force_from"`
	InForceUntil string            `json:"in_force_until,omitempty"`
	Summary      string            `json:"summary,omitempty"`
	Obligations  []ObligationInput `json:"obligations,omitempty"`
}

// ObligationInput is an obligation as written: the competency by its code,
// the application by its id or its slug.
type ObligationInput struct {
	Text           string `json:"text"`
	CompetencyCode string `json:"competency_code,omitempty"`
	JP             int    `json:"jp,omitempty"`
	AppID          int64  `json:"app_id,omitempty"`
	AppSlug        string `json:"app_slug,omitempty"`
}

// RegulationFilter narrows the registry: Q searches number and title.
type RegulationFilter struct {
	Q        string
	Kind     string
	Status   string
	AgencyID *int64 // 0: the city's own
	InForce  bool   // only those in force now (not revoked, within their dates)
}

type regDates struct{ signed, from, until *time.Time }

func (s *Service) checkRegulation(in *RegulationInput) (regDates, error) {
	var v errs.Validation
	in.Number, in.Title = strings.TrimSpace(in.Number), strings.TrimSpace(in.Title)
	if !slices.Contains(RegulationKinds, in.Kind) {
		v.Add("kind", "one_of", strings.Join(RegulationKinds, ", "))
	}
	text(&v, "number", in.Number, true, 100)
	text(&v, "title", in.Title, true, 300)
	text(&v, "summary", in.Summary, false, 10000)
	d := regDates{signed: s.parseDay(&v, "signed_on", in.SignedOn, true),
		from:  s.parseDay(&v, "in_force_from", in.InForceFrom, true),
		until: s.parseDay(&v, "in_force_until", in.InForceUntil, false)}
	if d.from != nil && d.until != nil && d.until.Before(*d.from) {
		v.Add("in_force_until", "leadership.until_before_from")
	}
	if len(in.Obligations) > 50 {
		v.Add("obligations", "leadership.too_many", 50)
	}
	for i, o := range in.Obligations {
		f := fmt.Sprintf("obligations[%d]", i)
		text(&v, f+".text", o.Text, true, 1000)
		if o.JP < 0 || o.JP > 1000 {
			v.Add(f+".jp", "leadership.jp_range")
		}
	}
	return d, v.Err()
}

// resolveObligations finds the competencies and applications obligations
// name, refusing unknown ones.
func resolveObligations(ctx context.Context, q db.Querier, list []ObligationInput) ([]Obligation, error) {
	var v errs.Validation
	out := make([]Obligation, len(list))
	for i, o := range list {
		out[i] = Obligation{Text: strings.TrimSpace(o.Text), JP: o.JP, AppID: o.AppID}
		if code := strings.TrimSpace(o.CompetencyCode); code != "" {
			err := q.QueryRowContext(ctx, `SELECT id, code FROM competencies WHERE code = $1`, code).
				Scan(&out[i].CompetencyID, &out[i].CompetencyCode)
			if err == sql.ErrNoRows {
				v.Add(fmt.Sprintf("obligations[%d].competency_code", i), "leadership.competency_unknown", code)
			} else if err != nil {
				return nil, fmt.Errorf("leadership: competency %q: %w", code, err)
			}
		}
		if slug := strings.TrimSpace(o.AppSlug); o.AppID != 0 || slug != "" {
			err := q.QueryRowContext(ctx, `SELECT id, slug, name FROM apps WHERE id = $1 OR ($1 = 0 AND slug = $2)`,
				o.AppID, slug).Scan(&out[i].AppID, &out[i].AppSlug, &out[i].AppName)
			if err == sql.ErrNoRows {
				v.Add(fmt.Sprintf("obligations[%d].app_id", i), "leadership.app_unknown")
			} else if err != nil {
				return nil, fmt.Errorf("leadership: app %d: %w", o.AppID, err)
			}
		}
	}
	return out, v.Err()
}

func writeObligations(ctx context.Context, tx *sql.Tx, regID int64, list []Obligation) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM regulation_obligations WHERE regulation_id = $1`, regID); err != nil {
		return fmt.Errorf("leadership: obligations of %d: %w", regID, err)
	}
	for i, o := range list {
		if _, err := tx.ExecContext(ctx, `INSERT INTO regulation_obligations (regulation_id, position, text,
			competency_id, jp, app_id) VALUES ($1, $2, $3, $4, $5, $6)`, regID, i+1, o.Text,
			nullID(o.CompetencyID), nullID(int64(o.JP)), nullID(o.AppID)); err != nil {
			return fmt.Errorf("leadership: obligation of %d: %w", regID, err)
		}
	}
	return nil
}

// CreateRegulation registers a regulation in force.
func (s *Service) CreateRegulation(ctx context.Context, actor *policy.Actor, in RegulationInput) (Regulation, error) {
	if err := policy.Check(actor, policy.RegulationManage, policy.Target{AgencyID: in.AgencyID}); err != nil {
		return Regulation{}, err
	}
	d, err := s.checkRegulation(&in)
	if err != nil {
		return Regulation{}, err
	}
	var id int64
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := agencyExists(ctx, tx, "agency_id", in.AgencyID); err != nil {
			return err
		}
		obl, err := resolveObligations(ctx, tx, in.Obligations)
		if err != nil {
			return err
		}
		at := now()
		id, err = db.InsertID(ctx, tx, `INSERT INTO regulations (kind, number, title, agency_id, signed_on,
			in_force_from, in_force_until, summary, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`, in.Kind, in.Number, in.Title,
			nullID(in.AgencyID), *d.signed, *d.from, d.until, in.Summary, nullID(actor.AccountID), at)
		if _, dup := s.db.Dialect.UniqueViolation(err); dup {
			return errs.FieldErr("number", "leadership.number_taken")
		}
		if err != nil {
			return fmt.Errorf("leadership: create regulation: %w", err)
		}
		if err := writeObligations(ctx, tx, id, obl); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "regulation", EntityID: id,
			AgencyID: in.AgencyID, After: in})
	})
	if err != nil {
		return Regulation{}, err
	}
	return s.Regulation(ctx, actor, id)
}

// UpdateRegulation changes a regulation and replaces its obligations; the
// issuer stays as registered, so the right to change it can be checked
// before the transaction, which reads what it changes.
func (s *Service) UpdateRegulation(ctx context.Context, actor *policy.Actor, id int64, in RegulationInput) (Regulation, error) {
	reg, err := s.Regulation(ctx, actor, id)
	if err != nil {
		return Regulation{}, err
	}
	in.AgencyID = reg.AgencyID
	if err := policy.Check(actor, policy.RegulationManage, policy.Target{AgencyID: reg.AgencyID}); err != nil {
		return Regulation{}, err
	}
	d, err := s.checkRegulation(&in)
	if err != nil {
		return Regulation{}, err
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		// Lock the row first: the state audited as before is then the one
		// this change replaces, not one a concurrent change replaced.
		if err := db.HoldRow(ctx, tx, "regulations", id); err != nil {
			return fmt.Errorf("leadership: %w", err)
		}
		old, err := regulation(ctx, tx, id)
		if err != nil {
			return err
		}
		obl, err := resolveObligations(ctx, tx, in.Obligations)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE regulations SET kind = $1, number = $2, title = $3, signed_on = $4,
			in_force_from = $5, in_force_until = $6, summary = $7, version = version + 1, updated_at = $8
			WHERE id = $9`, in.Kind, in.Number, in.Title, *d.signed, *d.from, d.until, in.Summary, now(), id)
		if _, dup := s.db.Dialect.UniqueViolation(err); dup {
			return errs.FieldErr("number", "leadership.number_taken")
		}
		if err != nil {
			return fmt.Errorf("leadership: update regulation %d: %w", id, err)
		}
		if err := writeObligations(ctx, tx, id, obl); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "update", Entity: "regulation", EntityID: id,
			AgencyID: old.AgencyID, Before: old, After: in})
	})
	if err != nil {
		return Regulation{}, err
	}
	return s.Regulation(ctx, actor, id)
}

// RevokeRegulation marks a regulation revoked; it stays in the registry.
// Whether it still was in force is decided by the update itself, so of
// two revocations at once one is refused and only one is audited.
func (s *Service) RevokeRegulation(ctx context.Context, actor *policy.Actor, id int64) (Regulation, error) {
	reg, err := s.Regulation(ctx, actor, id)
	if err != nil {
		return Regulation{}, err
	}
	if err := policy.Check(actor, policy.RegulationManage, policy.Target{AgencyID: reg.AgencyID}); err != nil {
		return Regulation{}, err
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		at := now()
		res, err := tx.ExecContext(ctx, `UPDATE regulations SET status = 'revoked', revoked_at = $1,
			version = version + 1, updated_at = $1 WHERE id = $2 AND status = 'in_force'`, at, id)
		if err != nil {
			return fmt.Errorf("leadership: revoke %d: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("leadership: revoke %d: %w", id, err)
		} else if n == 0 {
			return errs.New(errs.Conflict, "leadership.revoked_already")
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "revoke", Entity: "regulation", EntityID: id,
			AgencyID: reg.AgencyID})
	})
	if err != nil {
		return Regulation{}, err
	}
	return s.Regulation(ctx, actor, id)
}
