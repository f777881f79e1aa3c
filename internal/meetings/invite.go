package meetings

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/discuss"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/notify"
	"github.com/lontara-id/lontara/internal/policy"
)

// invitees resolves who in asks to invite: the accounts of its emails
// and, with AllMembers, the space's members; never the organizer (who is
// there by definition). Every one of them must be able to read the space,
// or the invitation would lead to a page they cannot open: an email of no
// active account or of such a person is a field error naming it.
func (s *Service) invitees(ctx context.Context, q db.Querier, actor *policy.Actor, space discuss.Space, in Input) ([]int64, error) {
	var emails []string
	for _, e := range in.Invite {
		if e = strings.TrimSpace(e); e != "" && !slices.ContainsFunc(emails, func(x string) bool { return strings.EqualFold(x, e) }) {
			emails = append(emails, e)
		}
	}
	found, err := accountsByEmail(ctx, q, emails)
	if err != nil {
		return nil, err
	}
	// An email without an active account and one whose person may not read
	// the space get the same answer, so the form tells no one which
	// addresses have accounts.
	var cannot []string
	var ids, known []int64
	add := func(id int64) {
		if id != actor.AccountID && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	for _, email := range emails {
		if account, ok := found[email]; ok {
			known = append(known, account)
		}
	}
	readers, err := discuss.Readers(ctx, q, s.actors, known, space)
	if err != nil {
		return nil, err
	}
	for _, email := range emails {
		account, ok := found[email]
		if !ok || !readers[account] {
			cannot = append(cannot, email)
			continue
		}
		add(account)
	}
	if len(cannot) > 0 {
		return nil, errs.FieldErr("invite", "meeting.invite_cannot", strings.Join(cannot, ", "))
	}
	if in.AllMembers {
		members, err := db.IDs(ctx, q, `SELECT m.account_id FROM space_members m
			JOIN accounts a ON a.id = m.account_id WHERE m.space_id = $1 AND a.active = TRUE ORDER BY m.account_id`, space.ID)
		if err != nil {
			return nil, err
		}
		for _, id := range members {
			add(id)
		}
	}
	if len(ids) > maxInvitees {
		return nil, errs.FieldErr("invite", "meeting.invite_many", maxInvitees)
	}
	return ids, nil
}

// invite records the invitations (an account invited twice stays once).
func invite(ctx context.Context, q db.Querier, meetingID int64, accounts []int64, at time.Time) error {
	for _, a := range accounts {
		if _, err := q.ExecContext(ctx, `INSERT INTO meeting_invitees (meeting_id, account_id, invited_at)
			VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, meetingID, a, at); err != nil {
			return fmt.Errorf("meetings: invite %d to %d: %w", a, meetingID, err)
		}
	}
	return nil
}

// tell notifies accounts of a meeting: kind's text gets its title, its
// start in the city's zone and the space's name. Only those who may still
// read the space are told: someone removed from a closed room since they
// were invited learns nothing more of it.
func (s *Service) tell(ctx context.Context, q db.Querier, accounts []int64, kind string, id int64, title string, start time.Time, space discuss.Space) error {
	when := start.In(s.zone).Format("02-01-2006 15:04 MST")
	readers, err := discuss.Readers(ctx, q, s.actors, accounts, space)
	if err != nil {
		return err
	}
	msgs := make([]notify.Message, 0, len(accounts))
	for _, a := range accounts {
		if readers[a] {
			msgs = append(msgs, notify.Message{AccountID: a, Kind: kind, Args: []string{title, when, space.Name}, Link: Link(id)})
		}
	}
	return notify.Send(ctx, q, msgs...)
}
