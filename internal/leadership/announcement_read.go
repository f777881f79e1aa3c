package leadership

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// UnreadShown bounds the list of people who have not read an announcement.
const UnreadShown = 200

const announcementCols = `n.id, n.title, n.body, n.roles, n.recipients, n.posted_by, COALESCE(e.name, ''), n.created_at,
	(SELECT COUNT(*) FROM announcement_recipients x WHERE x.announcement_id = n.id AND x.read_at IS NOT NULL)
	FROM announcements n JOIN accounts a ON a.id = n.posted_by JOIN employees e ON e.id = a.employee_id`

func scanAnnouncements(ctx context.Context, q db.Querier, rows *sql.Rows) ([]Announcement, error) {
	var out []Announcement
	for rows.Next() {
		var n Announcement
		var roles string
		if err := rows.Scan(&n.ID, &n.Title, &n.Body, &roles, &n.Recipients, &n.PostedByID, &n.PostedBy,
			&n.CreatedAt, &n.Read); err != nil {
			rows.Close()
			return nil, fmt.Errorf("leadership: announcements: %w", err)
		}
		n.CreatedAt, n.Roles, n.AgencyIDs = n.CreatedAt.UTC(), []string{}, []int64{}
		if roles != "" {
			n.Roles = strings.Split(roles, ",")
		}
		out = append(out, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	at := map[int64]int{}
	ids := make([]int64, len(out))
	for i, n := range out {
		at[n.ID], ids[i] = i, n.ID
	}
	in, args := db.InList(ids)
	rows, err := q.QueryContext(ctx, `SELECT announcement_id, agency_id FROM announcement_agencies
		WHERE announcement_id IN (`+in+`) ORDER BY announcement_id, agency_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("leadership: audiences: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, agency int64
		if err := rows.Scan(&id, &agency); err != nil {
			return nil, err
		}
		out[at[id]].AgencyIDs = append(out[at[id]].AgencyIDs, agency)
	}
	return out, rows.Err()
}

// Announcement returns an announcement to one of its recipients, its
// poster or someone who may post to its audience; a recipient opening it
// with open set has read it. Those who may post to the audience also get
// the read receipts per agency and who has not read it yet.
func (s *Service) Announcement(ctx context.Context, actor *policy.Actor, id int64, open bool) (Announcement, error) {
	if err := signedIn(actor); err != nil {
		return Announcement{}, err
	}
	q := s.db.R
	rows, err := q.QueryContext(ctx, `SELECT `+announcementCols+` WHERE n.id = $1`, id)
	if err != nil {
		return Announcement{}, fmt.Errorf("leadership: announcement %d: %w", id, err)
	}
	list, err := scanAnnouncements(ctx, q, rows)
	if err != nil {
		return Announcement{}, err
	}
	if len(list) == 0 {
		return Announcement{}, errs.New(errs.NotFound, "leadership.announcement_not_found")
	}
	n := list[0]
	var readAt sql.NullTime
	err = q.QueryRowContext(ctx, `SELECT read_at FROM announcement_recipients WHERE announcement_id = $1
		AND account_id = $2`, id, actor.AccountID).Scan(&readAt)
	switch {
	case err == nil:
		n.Recipient = true
	case err != sql.ErrNoRows:
		return Announcement{}, fmt.Errorf("leadership: receipt of %d: %w", id, err)
	}
	manager := n.PostedByID == actor.AccountID || postable(actor, n.AgencyIDs) == nil
	if !n.Recipient && !manager {
		return Announcement{}, errs.New(errs.NotFound, "leadership.announcement_not_found")
	}
	if readAt.Valid {
		t := readAt.Time.UTC()
		n.ReadAt = &t
	} else if n.Recipient && open {
		// Only a first opening writes: reading stays off the writer.
		t := now()
		res, err := s.db.W.ExecContext(ctx, `UPDATE announcement_recipients SET read_at = $1
			WHERE announcement_id = $2 AND account_id = $3 AND read_at IS NULL`, t, id, actor.AccountID)
		if err != nil {
			return Announcement{}, fmt.Errorf("leadership: read %d: %w", id, err)
		}
		if k, _ := res.RowsAffected(); k > 0 {
			n.Read++
		}
		n.ReadAt = &t
	}
	if manager {
		return n, receipts(ctx, q, &n)
	}
	return n, nil
}

// receipts fills in the read share per agency, the least read first, and
// who has not read it.
func receipts(ctx context.Context, q db.Querier, n *Announcement) error {
	rows, err := q.QueryContext(ctx, `SELECT r.agency_id, g.name, COUNT(*), COUNT(r.read_at)
		FROM announcement_recipients r JOIN agencies g ON g.id = r.agency_id
		WHERE r.announcement_id = $1 GROUP BY r.agency_id, g.name ORDER BY COUNT(r.read_at) * 1.0 / COUNT(*), g.name`, n.ID)
	if err != nil {
		return fmt.Errorf("leadership: receipts of %d: %w", n.ID, err)
	}
	for rows.Next() {
		var a AgencyShare
		if err := rows.Scan(&a.AgencyID, &a.AgencyName, &a.Recipients, &a.Read); err != nil {
			rows.Close()
			return err
		}
		if a.Recipients > 0 {
			a.Pct = a.Read * 100 / a.Recipients
		}
		n.Receipts = append(n.Receipts, a)
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, fmt.Sprintf(`SELECT e.name, g.name FROM announcement_recipients r
		JOIN accounts a ON a.id = r.account_id JOIN employees e ON e.id = a.employee_id
		JOIN agencies g ON g.id = r.agency_id
		WHERE r.announcement_id = $1 AND r.read_at IS NULL ORDER BY g.name, e.name LIMIT %d`, UnreadShown), n.ID)
	if err != nil {
		return fmt.Errorf("leadership: unread of %d: %w", n.ID, err)
	}
	defer rows.Close()
	n.Unread = []UnreadPerson{}
	for rows.Next() {
		var p UnreadPerson
		if err := rows.Scan(&p.Name, &p.AgencyName); err != nil {
			return err
		}
		n.Unread = append(n.Unread, p)
	}
	return rows.Err()
}

// AnnouncementFilter chooses a list: the reader's received announcements
// (Unread: only those not read yet), or those they posted (Sent).
type AnnouncementFilter struct {
	Unread bool
	Sent   bool
}

// Announcements lists the reader's announcements, newest first.
func (s *Service) Announcements(ctx context.Context, actor *policy.Actor, f AnnouncementFilter, p db.Page) ([]Announcement, string, error) {
	if err := signedIn(actor); err != nil {
		return nil, "", err
	}
	args := []any{actor.AccountID}
	var where string
	if f.Sent {
		where = `n.posted_by = $1`
	} else {
		where = `n.id IN (SELECT announcement_id FROM announcement_recipients WHERE account_id = $1`
		if f.Unread {
			where += ` AND read_at IS NULL`
		}
		where += `)`
	}
	if p.After != "" {
		var after int64
		if err := db.ParseCursor(p.After, &after); err != nil {
			return nil, "", err
		}
		args = append(args, after)
		where += ` AND n.id < $2`
	}
	rows, err := s.db.R.QueryContext(ctx, `SELECT `+announcementCols+` WHERE `+where+
		fmt.Sprintf(` ORDER BY n.id DESC LIMIT %d`, p.Size()+1), args...)
	if err != nil {
		return nil, "", fmt.Errorf("leadership: announcements: %w", err)
	}
	list, err := scanAnnouncements(ctx, s.db.R, rows)
	if err != nil {
		return nil, "", err
	}
	if err := ownReceipts(ctx, s.db.R, actor.AccountID, list); err != nil {
		return nil, "", err
	}
	next := ""
	if len(list) > p.Size() {
		list = list[:p.Size()]
		next = db.Cursor(list[len(list)-1].ID)
	}
	return list, next, nil
}

// ownReceipts fills in the reader's own receipt on each announcement.
func ownReceipts(ctx context.Context, q db.Querier, account int64, list []Announcement) error {
	if len(list) == 0 {
		return nil
	}
	at := map[int64]int{}
	ids := make([]int64, len(list))
	for i, n := range list {
		at[n.ID], ids[i] = i, n.ID
	}
	in, args := db.InList(ids)
	args = append(args, account)
	rows, err := q.QueryContext(ctx, fmt.Sprintf(`SELECT announcement_id, read_at FROM announcement_recipients
		WHERE announcement_id IN (%s) AND account_id = $%d`, in, len(args)), args...)
	if err != nil {
		return fmt.Errorf("leadership: own receipts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var readAt sql.NullTime
		if err := rows.Scan(&id, &readAt); err != nil {
			return err
		}
		n := &list[at[id]]
		n.Recipient = true
		if readAt.Valid {
			t := readAt.Time.UTC()
			n.ReadAt = &t
		}
	}
	return rows.Err()
}

// UnreadAnnouncements counts the reader's announcements not read yet.
func (s *Service) UnreadAnnouncements(ctx context.Context, actor *policy.Actor) (int, error) {
	if actor == nil || actor.AccountID == 0 {
		return 0, nil
	}
	var n int
	err := s.db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM announcement_recipients WHERE account_id = $1
		AND read_at IS NULL`, actor.AccountID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("leadership: unread announcements: %w", err)
	}
	return n, nil
}
