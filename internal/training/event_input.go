package training

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
)

// EventInput creates an event (and, on an update, changes the fields
// other than its times, which its sessions hold). With ActivityID, an
// empty kind, title or description and no competencies are taken from the
// activity, and so is its JP when JP is 0. Days > 1 holds it on that many
// consecutive days, from StartsAt's to EndsAt's time of day each day.
type EventInput struct {
	Title         string            `json:"title"`
	Kind          string            `json:"kind"`
	StartsAt      time.Time         `json:"starts_at"`
	EndsAt        time.Time         `json:"ends_at"`
	Capacity      int               `json:"capacity"`
	JP            int               `json:"jp"`
	ActivityID    *int64            `json:"activity_id,omitempty"`
	AgencyID      *int64            `json:"agency_id,omitempty"`
	Description   string            `json:"description,omitempty"`
	Place         string            `json:"place,omitempty"`
	Link          string            `json:"link,omitempty"`
	SelfEnrol     bool              `json:"self_enrol,omitempty"`
	NeedsApproval *bool             `json:"needs_approval,omitempty"` // default true
	Days          int               `json:"days,omitempty"`
	Competencies  []CompetencyLevel `json:"competencies,omitempty"`
	Trainers      []int64           `json:"trainer_account_ids,omitempty"`
}

func (in *EventInput) validate(v *errs.Validation, create bool) {
	in.Title, in.Place, in.Link = strings.TrimSpace(in.Title), strings.TrimSpace(in.Place), strings.TrimSpace(in.Link)
	if !ValidKind(in.Kind) {
		v.Add("kind", "training.kind_invalid")
	}
	checkTitle(v, in.Title)
	if utf8.RuneCountInString(in.Description) > maxDescription {
		v.Add("description", "training.description_long", maxDescription)
	}
	if utf8.RuneCountInString(in.Place) > maxPlace {
		v.Add("place", "training.place_long", maxPlace)
	}
	checkLink(v, "link", in.Link)
	if in.Capacity < 1 || in.Capacity > maxCapacity {
		v.Add("capacity", "training.capacity_range", maxCapacity)
	}
	if in.JP < 0 || in.JP > maxJP {
		v.Add("jp", "training.jp_range", maxJP)
	}
	if !create {
		return
	}
	switch {
	case in.StartsAt.IsZero():
		v.Add("starts_at", "training.starts_required")
	case in.EndsAt.IsZero():
		v.Add("ends_at", "training.ends_required")
	case !in.EndsAt.After(in.StartsAt):
		v.Add("ends_at", "training.ends_before_starts")
	case in.Days > 1 && in.EndsAt.Sub(in.StartsAt) >= 24*time.Hour:
		v.Add("ends_at", "training.day_too_long")
	}
	if in.Days < 0 || in.Days > maxSessions {
		v.Add("days", "training.days_range", maxSessions)
	}
}

// sessions are the sittings in describes: one, or one a day.
func (in EventInput) sessions() []SessionInput {
	n := max(in.Days, 1)
	out := make([]SessionInput, n)
	for i := range n {
		out[i] = SessionInput{StartsAt: in.StartsAt.AddDate(0, 0, i).UTC(), EndsAt: in.EndsAt.AddDate(0, 0, i).UTC(),
			Place: in.Place, Link: in.Link}
	}
	return out
}

// fromActivity fills what in leaves empty from its activity.
func (in *EventInput) fromActivity(ctx context.Context, q db.Querier) error {
	if in.ActivityID == nil {
		return nil
	}
	a, err := findActivity(ctx, q, *in.ActivityID)
	if errs.Is(err, errs.NotFound) {
		return errs.FieldErr("activity_id", "training.activity_not_found")
	}
	if err != nil {
		return err
	}
	if a.RetiredAt != nil {
		return errs.FieldErr("activity_id", "training.activity_retired")
	}
	if in.Kind == "" {
		in.Kind = a.Kind
	}
	if strings.TrimSpace(in.Title) == "" {
		in.Title = a.Title
	}
	if in.Description == "" {
		in.Description = a.Description
	}
	if in.JP == 0 {
		in.JP = a.JP
	}
	if len(in.Competencies) == 0 {
		comps, err := competenciesOf(ctx, q, "activity_competencies", "activity_id", []int64{a.ID})
		if err != nil {
			return err
		}
		in.Competencies = comps[a.ID]
	}
	return nil
}
