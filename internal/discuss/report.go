package discuss

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/notify"
	"github.com/lontara-id/lontara/internal/policy"
)

// Report is a post reported to its space's moderators.
type Report struct {
	ID          int64     `json:"id"`
	PostID      int64     `json:"post_id"`
	ThreadID    int64     `json:"thread_id"`
	ThreadTitle string    `json:"thread_title"`
	SpaceName   string    `json:"space_name"`
	Reporter    string    `json:"reporter"`
	Reason      string    `json:"reason"`
	Post        Post      `json:"post"`
	CreatedAt   time.Time `json:"created_at"`
	spaceID     int64
}

// ReportPost reports a post of a space the actor may read; the space's
// moderators are told. One report per person and post (Conflict the
// second time).
func (s *Service) ReportPost(ctx context.Context, actor *policy.Actor, postID int64, reason string) error {
	if err := checkReason(&reason); err != nil {
		return err
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		p, t, sp, _, err := readablePost(ctx, tx, actor, postID)
		if err != nil {
			return err
		}
		id, err := db.InsertID(ctx, tx, `INSERT INTO post_reports (post_id, reporter_account_id, reason, created_at)
			VALUES ($1, $2, $3, $4) RETURNING id`, p.ID, actor.AccountID, reason, time.Now().UTC())
		if err != nil {
			return fmt.Errorf("discuss: report: %w", err)
		}
		if err := audit.Write(ctx, tx, actor, audit.Entry{Action: "report", Entity: "post", EntityID: p.ID,
			AgencyID: sp.OwnerAgencyID, After: map[string]any{"report_id": id, "reason": reason}}); err != nil {
			return err
		}
		mods, err := moderatorsOf(ctx, tx, sp)
		if err != nil {
			return err
		}
		var msgs []notify.Message
		for _, m := range mods {
			if m != actor.AccountID {
				msgs = append(msgs, notify.Message{AccountID: m, Kind: "discuss.report", Args: []string{t.Title, reason},
					Link: "/diskusi/laporan"})
			}
		}
		return notify.Send(ctx, tx, msgs...)
	})
	if _, dup := s.db.Dialect.UniqueViolation(err); dup {
		return errs.New(errs.Conflict, "discuss.reported")
	}
	return err
}

// moderatorsOf returns who is told of a report in sp: its moderators or,
// when it has none, those who administer it (the agency's admins, the
// team's lead, the expert team for a city space).
func moderatorsOf(ctx context.Context, q db.Querier, sp Space) ([]int64, error) {
	ids, err := db.IDs(ctx, q, `SELECT account_id FROM space_members WHERE space_id = $1 AND role = $2`, sp.ID, RoleModerator)
	if err != nil || len(ids) > 0 {
		return ids, err
	}
	switch {
	case sp.TeamID != nil:
		return db.IDs(ctx, q, `SELECT account_id FROM team_members WHERE team_id = $1 AND lead = TRUE`, *sp.TeamID)
	case sp.OwnerAgencyID != 0:
		return db.IDs(ctx, q, `SELECT account_id FROM role_grants WHERE role = $1 AND agency_id = $2`,
			policy.AgencyAdmin, sp.OwnerAgencyID)
	}
	return db.IDs(ctx, q, `SELECT account_id FROM role_grants WHERE role = $1`, policy.Expert)
}

// Reports lists the open reports of the spaces actor moderates, oldest
// first.
func (s *Service) Reports(ctx context.Context, actor *policy.Actor) ([]Report, error) {
	if actor == nil {
		return nil, errs.New(errs.Unauthorized, "unauthorized")
	}
	q := s.db.R
	rows, err := q.QueryContext(ctx, `SELECT r.id, r.post_id, t.id, t.title, s.id, s.name, e.name, r.reason, r.created_at
		FROM post_reports r JOIN posts p ON p.id = r.post_id JOIN threads t ON t.id = p.thread_id
		JOIN spaces s ON s.id = t.space_id JOIN accounts a ON a.id = r.reporter_account_id
		JOIN employees e ON e.id = a.employee_id
		WHERE r.status = 'open' ORDER BY r.id LIMIT 1000`)
	if err != nil {
		return nil, fmt.Errorf("discuss: reports: %w", err)
	}
	var all []Report
	for rows.Next() {
		var r Report
		if err := rows.Scan(&r.ID, &r.PostID, &r.ThreadID, &r.ThreadTitle, &r.spaceID, &r.SpaceName, &r.Reporter,
			&r.Reason, &r.CreatedAt); err != nil {
			rows.Close()
			return nil, fmt.Errorf("discuss: reports: %w", err)
		}
		all = append(all, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("discuss: reports: %w", err)
	}
	moderates := map[int64]bool{}
	var list []Report
	for _, r := range all {
		ok, seen := moderates[r.spaceID]
		if !seen {
			sp, err := SpaceByID(ctx, q, r.spaceID)
			if err != nil {
				return nil, err
			}
			if ok, err = CanModerate(ctx, q, actor, sp); err != nil {
				return nil, err
			}
			moderates[r.spaceID] = ok
		}
		if !ok {
			continue
		}
		if r.Post, err = postByID(ctx, q, r.PostID); err != nil {
			return nil, err
		}
		r.Post.HTML = render(ctx, q, r.Post.Body)
		r.CreatedAt = r.CreatedAt.UTC()
		list = append(list, r)
	}
	return list, nil
}

// ModeratesAny reports whether actor moderates at least one space (the
// reports queue is theirs).
func (s *Service) ModeratesAny(ctx context.Context, actor *policy.Actor) (bool, error) {
	if actor == nil {
		return false, nil
	}
	spaces, f, err := readableSpaces(ctx, s.db.R, actor)
	if err != nil {
		return false, err
	}
	for _, sp := range spaces {
		if policy.Can(actor, policy.SpaceModerate, f.target(sp)) {
			return true, nil
		}
	}
	return false, nil
}

// ResolveReport closes an open report: "dismiss" leaves the post, "hide"
// hides it with the report's reason (and closes every open report of that
// post as acted on). A moderator of the post's space does it.
func (s *Service) ResolveReport(ctx context.Context, actor *policy.Actor, reportID int64, action string) error {
	if action != "dismiss" && action != "hide" {
		return errs.FieldErr("action", "discuss.action")
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		var postID int64
		var reason, status string
		err := tx.QueryRowContext(ctx, `SELECT post_id, reason, status FROM post_reports WHERE id = $1`, reportID).
			Scan(&postID, &reason, &status)
		if err == sql.ErrNoRows {
			return errs.New(errs.NotFound, "discuss.report_not_found")
		}
		if err != nil {
			return fmt.Errorf("discuss: report %d: %w", reportID, err)
		}
		_, _, sp, tg, err := readablePost(ctx, tx, actor, postID)
		if err != nil {
			return err
		}
		if err := policy.Check(actor, policy.SpaceModerate, tg); err != nil {
			return err
		}
		if status != "open" {
			return errs.New(errs.Conflict, "discuss.report_closed")
		}
		at := time.Now().UTC()
		if action == "dismiss" {
			if _, err := tx.ExecContext(ctx, `UPDATE post_reports SET status = 'dismissed', resolved_by = $1,
				resolved_at = $2 WHERE id = $3`, db.NullID(actor.AccountID), at, reportID); err != nil {
				return fmt.Errorf("discuss: dismiss report: %w", err)
			}
			return audit.Write(ctx, tx, actor, audit.Entry{Action: "dismiss", Entity: "post_report", EntityID: reportID,
				AgencyID: sp.OwnerAgencyID})
		}
		if err := s.hide(ctx, tx, actor, postID, reason); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE post_reports SET status = 'acted', resolved_by = $1, resolved_at = $2
			WHERE post_id = $3 AND status = 'open'`, db.NullID(actor.AccountID), at, postID); err != nil {
			return fmt.Errorf("discuss: act on report: %w", err)
		}
		return nil
	})
}
