package survey

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/notify"
	"github.com/lontara-id/lontara/internal/policy"
)

// AnswerLink is the one-time link of a token. The token rides in the query,
// not the path, so request logs (which keep only the path) never hold it.
func AnswerLink(token string) string { return "/survei/isi?token=" + url.QueryEscape(token) }

// newToken returns a random one-time token and the hash kept of it.
func newToken() (token, hash string) {
	b := make([]byte, 24)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token)
}

func hashToken(token string) string {
	h := sha256.Sum256([]byte(strings.TrimSpace(token)))
	return hex.EncodeToString(h[:])
}

// OpenCampaign opens a draft campaign now and invites its people
// (SurveyManage).
func (s *Service) OpenCampaign(ctx context.Context, actor *policy.Actor, id int64) (Campaign, error) {
	if err := policy.Check(actor, policy.SurveyManage, policy.Target{}); err != nil {
		return Campaign{}, err
	}
	var out Campaign
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := campaignByID(ctx, tx, id); err != nil {
			return err
		}
		n, err := s.open(ctx, tx, id, time.Now().UTC())
		if err != nil {
			return err
		}
		if n < 0 {
			return errs.New(errs.Conflict, "survey.not_draft")
		}
		if out, err = campaignByID(ctx, tx, id); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "open", Entity: "survey_campaign", EntityID: id,
			After: map[string]any{"status": Open, "invited": n}})
	})
	return out, err
}

// open claims a draft campaign and invites every active employee of its
// agencies once, telling each account holder through a notification with
// their one-time link. It returns how many were invited, -1 if the
// campaign was no draft (another node or an admin opened it).
func (s *Service) open(ctx context.Context, tx *sql.Tx, id int64, now time.Time) (int, error) {
	res, err := tx.ExecContext(ctx, `UPDATE survey_campaigns SET status = 'open', opens_at = CASE WHEN opens_at > $2 THEN $2 ELSE opens_at END,
		updated_at = $2 WHERE id = $1 AND status = 'draft'`, id, now)
	if err != nil {
		return 0, fmt.Errorf("survey: open %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return -1, nil
	}
	// The agencies' types as the campaign opens are what its results by
	// type and their suppression use, whatever an admin changes later.
	if _, err := tx.ExecContext(ctx, `UPDATE survey_campaign_agencies SET agency_type =
		(SELECT a.type FROM agencies a WHERE a.id = survey_campaign_agencies.agency_id) WHERE campaign_id = $1`, id); err != nil {
		return 0, fmt.Errorf("survey: open %d: agency types: %w", id, err)
	}
	var title string
	if err := tx.QueryRowContext(ctx, `SELECT title FROM survey_campaigns WHERE id = $1`, id).Scan(&title); err != nil {
		return 0, fmt.Errorf("survey: open %d: %w", id, err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT e.id, e.agency_id, a.id FROM employees e
		JOIN survey_campaign_agencies ca ON ca.agency_id = e.agency_id AND ca.campaign_id = $1
		LEFT JOIN accounts a ON a.employee_id = e.id AND a.active
		WHERE e.active ORDER BY e.id`, id)
	if err != nil {
		return 0, fmt.Errorf("survey: invitees: %w", err)
	}
	type invitee struct {
		employee, agency int64
		account          sql.NullInt64
	}
	var people []invitee
	for rows.Next() {
		var p invitee
		if err := rows.Scan(&p.employee, &p.agency, &p.account); err != nil {
			rows.Close()
			return 0, fmt.Errorf("survey: invitees: %w", err)
		}
		people = append(people, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("survey: invitees: %w", err)
	}
	var msgs []notify.Message
	const per = 100 // rows per INSERT: 6 parameters each stays well under SQLite's limits
	for start := 0; start < len(people); start += per {
		chunk := people[start:min(start+per, len(people))]
		var sb strings.Builder
		args := make([]any, 0, 6*len(chunk))
		for i, p := range chunk {
			token, hash := newToken()
			if i > 0 {
				sb.WriteString(", ")
			}
			n := len(args)
			fmt.Fprintf(&sb, "($%d, $%d, $%d, $%d, FALSE, $%d)", n+1, n+2, n+3, n+4, n+5)
			args = append(args, id, p.employee, p.agency, hash, now)
			if p.account.Valid {
				msgs = append(msgs, notify.Message{AccountID: p.account.Int64, Kind: "survey.invited",
					Args: []string{title}, Link: AnswerLink(token)})
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO survey_invitations (campaign_id, employee_id, agency_id, token_hash,
			answered, created_at) VALUES `+sb.String()+` ON CONFLICT (campaign_id, employee_id) DO NOTHING`, args...); err != nil {
			return 0, fmt.Errorf("survey: invite: %w", err)
		}
	}
	if err := notify.Send(ctx, tx, msgs...); err != nil {
		return 0, err
	}
	return len(people), nil
}

// CloseCampaign closes an open campaign now (SurveyManage): no more
// answers are taken, the answers still held are moved, and its results
// show.
func (s *Service) CloseCampaign(ctx context.Context, actor *policy.Actor, id int64) (Campaign, error) {
	if err := policy.Check(actor, policy.SurveyManage, policy.Target{}); err != nil {
		return Campaign{}, err
	}
	var out Campaign
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := campaignByID(ctx, tx, id); err != nil {
			return err
		}
		ok, err := s.close(ctx, tx, id, time.Now().UTC())
		if err != nil {
			return err
		}
		if !ok {
			return errs.New(errs.Conflict, "survey.not_open")
		}
		if out, err = campaignByID(ctx, tx, id); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "close", Entity: "survey_campaign", EntityID: id,
			After: map[string]any{"status": Closed}})
	})
	return out, err
}

// close claims an open campaign, ends it at now and moves every answer
// still held for it, whatever the group's size.
func (s *Service) close(ctx context.Context, tx *sql.Tx, id int64, now time.Time) (bool, error) {
	res, err := tx.ExecContext(ctx, `UPDATE survey_campaigns SET status = 'closed',
		closes_at = CASE WHEN closes_at > $2 THEN $2 ELSE closes_at END, updated_at = $2
		WHERE id = $1 AND status = 'open'`, id, now)
	if err != nil {
		return false, fmt.Errorf("survey: close %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil
	}
	if _, err := s.movePending(ctx, tx, id, true); err != nil {
		return false, err
	}
	return true, keepFigures(ctx, tx, id)
}
