package survey

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// Invitation is one of the signed-in person's own invitations, as /survei
// lists them: never the answers.
type Invitation struct {
	CampaignID int64     `json:"campaign_id"`
	Title      string    `json:"title"`
	Period     string    `json:"period"`
	Status     string    `json:"status"`
	ClosesAt   time.Time `json:"closes_at"`
	Answered   bool      `json:"answered"`
}

// MyInvitations lists the person's invitations of campaigns still open or
// closed in the last 90 days, newest first.
func (s *Service) MyInvitations(ctx context.Context, actor *policy.Actor) ([]Invitation, error) {
	if actor == nil || actor.EmployeeID == 0 {
		return []Invitation{}, nil
	}
	rows, err := s.db.R.QueryContext(ctx, `SELECT c.id, c.title, c.period, c.status, c.closes_at, v.answered
		FROM survey_invitations v JOIN survey_campaigns c ON c.id = v.campaign_id
		WHERE v.employee_id = $1 AND (c.status = 'open' OR c.closes_at > $2)
		ORDER BY c.closes_at DESC, c.id DESC`, actor.EmployeeID, time.Now().UTC().AddDate(0, 0, -90))
	if err != nil {
		return nil, fmt.Errorf("survey: my invitations: %w", err)
	}
	defer rows.Close()
	out := []Invitation{}
	for rows.Next() {
		var v Invitation
		if err := rows.Scan(&v.CampaignID, &v.Title, &v.Period, &v.Status, &v.ClosesAt, &v.Answered); err != nil {
			return nil, fmt.Errorf("survey: my invitations: %w", err)
		}
		v.ClosesAt = v.ClosesAt.UTC()
		out = append(out, v)
	}
	return out, rows.Err()
}

// Form is what answering shows: the campaign and its instrument. Looking a
// token up writes nothing.
type Form struct {
	Campaign   Campaign
	Instrument Instrument
}

// FormByToken returns the form a one-time token answers, or the error
// Submit would give (unknown, used, closed).
func (s *Service) FormByToken(ctx context.Context, token string) (Form, error) {
	return s.form(ctx, `v.token_hash = $1`, hashToken(token))
}

// MyForm returns the form of the signed-in person's own invitation.
func (s *Service) MyForm(ctx context.Context, actor *policy.Actor, campaign int64) (Form, error) {
	if actor == nil || actor.EmployeeID == 0 {
		return Form{}, errs.New(errs.NotFound, "survey.token_unknown")
	}
	return s.form(ctx, `v.campaign_id = $1 AND v.employee_id = $2`, campaign, actor.EmployeeID)
}

func (s *Service) form(ctx context.Context, where string, args ...any) (Form, error) {
	v, err := scanInvitation(s.db.R.QueryRowContext(ctx, invitationCols+`WHERE `+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return Form{}, errs.New(errs.NotFound, "survey.token_unknown")
	}
	if err != nil {
		return Form{}, fmt.Errorf("survey: invitation: %w", err)
	}
	switch {
	case v.status != Open || !time.Now().Before(v.closes):
		return Form{}, errs.New(errs.Conflict, "survey.closed")
	case v.answered:
		return Form{}, errs.New(errs.Conflict, "survey.answered")
	}
	c, err := campaignByID(ctx, s.db.R, v.campaign)
	if err != nil {
		return Form{}, err
	}
	ins, err := instrumentByID(ctx, s.db.R, v.instrument)
	return Form{Campaign: c, Instrument: ins}, err
}

// AgencyName is an agency as the campaign form lists it.
type AgencyName struct {
	ID   int64
	Name string
	Type string
}

// AgencyNames lists every agency by name.
func (s *Service) AgencyNames(ctx context.Context) ([]AgencyName, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT id, name, type FROM agencies ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("survey: agencies: %w", err)
	}
	defer rows.Close()
	var out []AgencyName
	for rows.Next() {
		var a AgencyName
		if err := rows.Scan(&a.ID, &a.Name, &a.Type); err != nil {
			return nil, fmt.Errorf("survey: agencies: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
