package survey

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/period"
	"github.com/lontara-id/lontara/internal/policy"
)

// Service runs instruments, campaigns, answers and results.
type Service struct {
	db   *db.DB
	zone *time.Location
}

// NewService returns the service over d; dates of campaigns are read in
// the city's zone.
func NewService(d *db.DB, zone *time.Location) *Service { return &Service{db: d, zone: zone} }

// Campaign statuses.
const (
	Draft  = "draft"
	Open   = "open"
	Closed = "closed"
)

// Campaign runs an instrument over agencies for a period.
type Campaign struct {
	ID           int64     `json:"id"`
	InstrumentID int64     `json:"instrument_id"`
	Instrument   string    `json:"instrument"`
	Title        string    `json:"title"`
	Period       string    `json:"period"`
	Status       string    `json:"status"`
	OpensAt      time.Time `json:"opens_at"`
	ClosesAt     time.Time `json:"closes_at"`
	AgencyIDs    []int64   `json:"agency_ids"`
	Invited      int       `json:"invited"`
	Answered     int       `json:"answered"`
}

// CampaignInput is a new campaign. InstrumentID 0 is the LO instrument;
// no agencies is every agency; OpensAt/ClosesAt are dates ("2026-10-01")
// in the city's zone, the campaign closing at the end of ClosesAt.
type CampaignInput struct {
	InstrumentID int64   `json:"instrument_id"`
	Title        string  `json:"title"`
	Period       string  `json:"period"`
	AgencyIDs    []int64 `json:"agency_ids"`
	OpensOn      string  `json:"opens_on"`
	ClosesOn     string  `json:"closes_on"`
}

// CreateCampaign makes a draft campaign (SurveyManage). It opens (and
// invites) when an admin opens it or its first day arrives.
func (s *Service) CreateCampaign(ctx context.Context, actor *policy.Actor, in CampaignInput) (Campaign, error) {
	if err := policy.Check(actor, policy.SurveyManage, policy.Target{}); err != nil {
		return Campaign{}, err
	}
	var v errs.Validation
	p, err := period.Parse(strings.TrimSpace(in.Period), s.zone)
	if err != nil {
		v.Add("period", "period.invalid")
	}
	opens, e1 := time.ParseInLocation(time.DateOnly, strings.TrimSpace(in.OpensOn), s.zone)
	closes, e2 := time.ParseInLocation(time.DateOnly, strings.TrimSpace(in.ClosesOn), s.zone)
	if e1 != nil {
		v.Add("opens_on", "survey.date")
	}
	if e2 != nil {
		v.Add("closes_on", "survey.date")
	} else if e1 == nil && closes.Before(opens) {
		v.Add("closes_on", "survey.closes_before")
	}
	in.Title = strings.TrimSpace(in.Title)
	if len(in.Title) > 200 {
		v.Add("title", "survey.title")
	}
	if err := v.Err(); err != nil {
		return Campaign{}, err
	}
	closes = closes.AddDate(0, 0, 1) // the whole last day
	var out Campaign
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if in.InstrumentID == 0 {
			if err := tx.QueryRowContext(ctx, `SELECT id FROM survey_instruments WHERE code = $1`, LOInstrument).
				Scan(&in.InstrumentID); err != nil {
				return fmt.Errorf("survey: LO instrument: %w", err)
			}
		}
		ins, err := instrumentByID(ctx, tx, in.InstrumentID)
		if errs.CodeOf(err) == errs.NotFound {
			return errs.FieldErr("instrument_id", "survey.instrument_not_found")
		} else if err != nil {
			return err
		}
		agencies, err := campaignAgencies(ctx, tx, in.AgencyIDs)
		if err != nil {
			return err
		}
		if in.Title == "" {
			in.Title = ins.Title + " " + p.Label
		}
		now := time.Now().UTC()
		var by any
		if actor.AccountID != 0 {
			by = actor.AccountID
		}
		id, err := db.InsertID(ctx, tx, `INSERT INTO survey_campaigns (instrument_id, title, period, status, opens_at,
			closes_at, created_by, created_at, updated_at) VALUES ($1, $2, $3, 'draft', $4, $5, $6, $7, $7) RETURNING id`,
			ins.ID, in.Title, p.Label, opens.UTC(), closes.UTC(), by, now)
		if err != nil {
			return err
		}
		for _, a := range agencies {
			if _, err := tx.ExecContext(ctx, `INSERT INTO survey_campaign_agencies (campaign_id, agency_id) VALUES ($1, $2)`, id, a); err != nil {
				return err
			}
		}
		if out, err = campaignByID(ctx, tx, id); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "survey_campaign", EntityID: id, After: out})
	})
	return out, err
}

// campaignAgencies checks the chosen agencies exist; none chosen is all.
func campaignAgencies(ctx context.Context, q db.Querier, ids []int64) ([]int64, error) {
	if len(ids) == 0 {
		all, err := db.IDs(ctx, q, `SELECT id FROM agencies ORDER BY id`)
		if err == nil && len(all) == 0 {
			return nil, errs.FieldErr("agency_ids", "survey.agencies")
		}
		return all, err
	}
	in, args := db.InList(ids)
	found, err := db.IDs(ctx, q, `SELECT id FROM agencies WHERE id IN (`+in+`) ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	if len(found) != len(uniq(ids)) {
		return nil, errs.FieldErr("agency_ids", "survey.agencies")
	}
	return found, nil
}

func uniq(ids []int64) map[int64]bool {
	m := map[int64]bool{}
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// Campaign returns one campaign with its participation, for those who
// manage surveys or read results; its results are guarded apart.
func (s *Service) Campaign(ctx context.Context, actor *policy.Actor, id int64) (Campaign, error) {
	if !policy.Can(actor, policy.SurveyManage, policy.Target{}) && !canSomeResults(actor) {
		return Campaign{}, policy.Check(actor, policy.SurveyManage, policy.Target{})
	}
	return campaignByID(ctx, s.db.R, id)
}

// Campaigns lists the campaigns, newest first, for those who manage
// surveys or read results.
func (s *Service) Campaigns(ctx context.Context, actor *policy.Actor) ([]Campaign, error) {
	if !policy.Can(actor, policy.SurveyManage, policy.Target{}) && !canSomeResults(actor) {
		return nil, errs.New(errs.Forbidden, "forbidden")
	}
	ids, err := db.IDs(ctx, s.db.R, `SELECT id FROM survey_campaigns ORDER BY opens_at DESC, id DESC LIMIT 200`)
	if err != nil {
		return nil, fmt.Errorf("survey: campaigns: %w", err)
	}
	list, _, err := campaignsByID(ctx, s.db.R, ids)
	return list, err
}

// canSomeResults says the actor may read the results of the city or of an
// agency they lead.
func canSomeResults(a *policy.Actor) bool {
	if a == nil {
		return false
	}
	if policy.Can(a, policy.SurveyResults, policy.Target{}) {
		return true
	}
	for _, g := range a.Grants {
		if g.AgencyID != 0 && policy.Can(a, policy.SurveyResults, policy.Target{AgencyID: g.AgencyID}) {
			return true
		}
	}
	return false
}

func campaignByID(ctx context.Context, q db.Querier, id int64) (Campaign, error) {
	c, _, err := campaignTurnout(ctx, q, id)
	return c, err
}

// campaignTurnout reads a campaign (see campaignsByID) and its agencies'
// turnout, of which its Invited and Answered are the sums.
func campaignTurnout(ctx context.Context, q db.Querier, id int64) (Campaign, map[groupKey]turnout, error) {
	list, turnout, err := campaignsByID(ctx, q, []int64{id})
	if err != nil {
		return Campaign{}, nil, err
	}
	if len(list) == 0 {
		return Campaign{}, nil, errs.New(errs.NotFound, "survey.not_found")
	}
	return list[0], turnout, nil
}

// campaignsByID reads campaigns with their agencies and participation in
// three queries, in the order of ids, and the agencies' turnout that their
// Invited and Answered sum.
func campaignsByID(ctx context.Context, q db.Querier, ids []int64) ([]Campaign, map[groupKey]turnout, error) {
	if len(ids) == 0 {
		return []Campaign{}, nil, nil
	}
	in, args := db.InList(ids)
	rows, err := q.QueryContext(ctx, `SELECT c.id, c.instrument_id, i.title, c.title, c.period, c.status, c.opens_at, c.closes_at
		FROM survey_campaigns c JOIN survey_instruments i ON i.id = c.instrument_id WHERE c.id IN (`+in+`)`, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("survey: campaigns: %w", err)
	}
	byID := map[int64]*Campaign{}
	for rows.Next() {
		c := &Campaign{AgencyIDs: []int64{}}
		if err := rows.Scan(&c.ID, &c.InstrumentID, &c.Instrument, &c.Title, &c.Period, &c.Status, &c.OpensAt, &c.ClosesAt); err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("survey: campaigns: %w", err)
		}
		c.OpensAt, c.ClosesAt = c.OpensAt.UTC(), c.ClosesAt.UTC()
		byID[c.ID] = c
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("survey: campaigns: %w", err)
	}
	rows, err = q.QueryContext(ctx, `SELECT campaign_id, agency_id FROM survey_campaign_agencies
		WHERE campaign_id IN (`+in+`) ORDER BY agency_id`, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("survey: campaign agencies: %w", err)
	}
	for rows.Next() {
		var c, a int64
		if err := rows.Scan(&c, &a); err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("survey: campaign agencies: %w", err)
		}
		if x := byID[c]; x != nil {
			x.AgencyIDs = append(x.AgencyIDs, a)
		}
	}
	rows.Close()
	turnout, err := participation(ctx, q, ids)
	if err != nil {
		return nil, nil, err
	}
	for k, t := range turnout {
		if x := byID[k.campaign]; x != nil {
			x.Invited += t.invited
			x.Answered += t.answered
		}
	}
	out := make([]Campaign, 0, len(ids))
	for _, id := range ids {
		if c := byID[id]; c != nil {
			out = append(out, *c)
		}
	}
	return out, turnout, nil
}
