package leadership

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/notify"
	"github.com/lontara-id/lontara/internal/policy"
)

// Announcement is a message from leadership to an audience: the city (no
// agencies), or some agencies, optionally only holders of some roles.
type Announcement struct {
	ID         int64          `json:"id"`
	Title      string         `json:"title"`
	Body       string         `json:"body"`
	AgencyIDs  []int64        `json:"agency_ids"`
	Roles      []string       `json:"roles"`
	Recipients int            `json:"recipients"`
	Read       int            `json:"read"`
	PostedBy   string         `json:"posted_by"`
	PostedByID int64          `json:"-"`
	CreatedAt  time.Time      `json:"created_at"`
	ReadAt     *time.Time     `json:"read_at,omitempty"` // the reader's own receipt, when they are a recipient
	Recipient  bool           `json:"recipient"`
	Receipts   []AgencyShare  `json:"receipts,omitempty"` // for those who may post to its audience
	Unread     []UnreadPerson `json:"unread,omitempty"`
}

// AgencyShare is how many of an agency's recipients have read an
// announcement.
type AgencyShare struct {
	AgencyID   int64  `json:"agency_id"`
	AgencyName string `json:"agency_name"`
	Recipients int    `json:"recipients"`
	Read       int    `json:"read"`
	Pct        int    `json:"read_pct"` // whole percent read
}

// UnreadPerson is a recipient who has not read an announcement yet.
type UnreadPerson struct {
	Name       string `json:"name"`
	AgencyName string `json:"agency_name"`
}

// AnnouncementInput is an announcement to post.
type AnnouncementInput struct {
	Title     string   `json:"title"`
	Body      string   `json:"body"`
	AgencyIDs []int64  `json:"agency_ids"`
	Roles     []string `json:"roles,omitempty"`
}

// postable checks that the actor may announce to the audience: the
// executive to the city, an agency's leaders to their agency.
func postable(actor *policy.Actor, agencies []int64) error {
	if len(agencies) == 0 {
		return policy.Check(actor, policy.AnnouncementPost, policy.Target{})
	}
	for _, id := range agencies {
		if err := policy.Check(actor, policy.AnnouncementPost, policy.Target{AgencyID: id}); err != nil {
			return err
		}
	}
	return nil
}

func (in *AnnouncementInput) check() error {
	var v errs.Validation
	in.Title = strings.TrimSpace(in.Title)
	text(&v, "title", in.Title, true, 200)
	text(&v, "body", in.Body, true, 20000)
	slices.Sort(in.AgencyIDs)
	in.AgencyIDs = slices.Compact(in.AgencyIDs)
	if len(in.AgencyIDs) > 500 {
		v.Add("agency_ids", "leadership.too_many", 500)
	}
	if len(in.AgencyIDs) > 0 && in.AgencyIDs[0] <= 0 {
		v.Add("agency_ids", "leadership.agency_unknown") // the city is an audience of no agencies
	}
	slices.Sort(in.Roles)
	in.Roles = slices.Compact(in.Roles)
	for _, r := range in.Roles {
		if !policy.Role(r).Valid() || policy.Role(r) == policy.Superadmin {
			v.Add("roles", "leadership.role_unknown", r)
			break
		}
	}
	return v.Err()
}

// Post posts an announcement: its recipients are resolved now (the active
// people of the agencies, or of the city, holding one of the roles when
// roles are named), each is notified, and the post is audited, in one
// transaction.
func (s *Service) Post(ctx context.Context, actor *policy.Actor, in AnnouncementInput) (Announcement, error) {
	if err := signedIn(actor); err != nil {
		return Announcement{}, err
	}
	if err := in.check(); err != nil {
		return Announcement{}, err
	}
	if err := postable(actor, in.AgencyIDs); err != nil {
		return Announcement{}, err
	}
	var id int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		for _, a := range in.AgencyIDs {
			if err := agencyExists(ctx, tx, "agency_ids", a); err != nil {
				return err
			}
		}
		owner := int64(0)
		if len(in.AgencyIDs) == 1 {
			owner = in.AgencyIDs[0]
		}
		at := now()
		var err error
		id, err = db.InsertID(ctx, tx, `INSERT INTO announcements (agency_id, title, body, roles, posted_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, nullID(owner), in.Title, in.Body,
			strings.Join(in.Roles, ","), actor.AccountID, at)
		if err != nil {
			return fmt.Errorf("leadership: post: %w", err)
		}
		for _, a := range in.AgencyIDs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO announcement_agencies (announcement_id, agency_id)
				VALUES ($1, $2)`, id, a); err != nil {
				return fmt.Errorf("leadership: audience of %d: %w", id, err)
			}
		}
		n, err := resolveRecipients(ctx, tx, id, actor.AccountID, in)
		if err != nil {
			return err
		}
		if n == 0 {
			return errs.FieldErr("agency_ids", "leadership.no_recipients")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE announcements SET recipients = $1 WHERE id = $2`, n, id); err != nil {
			return fmt.Errorf("leadership: post: %w", err)
		}
		accounts, err := db.IDs(ctx, tx, `SELECT account_id FROM announcement_recipients WHERE announcement_id = $1`, id)
		if err != nil {
			return err
		}
		msgs := make([]notify.Message, len(accounts))
		for i, a := range accounts {
			msgs[i] = notify.Message{AccountID: a, Kind: "announcement", Args: []string{in.Title},
				Link: AnnouncementLink(id)}
		}
		if err := notify.Send(ctx, tx, msgs...); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "announcement", EntityID: id,
			AgencyID: owner, After: in})
	})
	if err != nil {
		return Announcement{}, err
	}
	return s.Announcement(ctx, actor, id, false)
}

// AnnouncementLink is an announcement's page.
func AnnouncementLink(id int64) string { return "/pimpinan/pengumuman/" + strconv.FormatInt(id, 10) }

// resolveRecipients stores the recipients of announcement id: active
// people with an active account in the audience's agencies (all when
// none), holding one of its roles when it names some (an agency role in
// that agency, or a city-wide role), but not the poster.
func resolveRecipients(ctx context.Context, tx *sql.Tx, id, poster int64, in AnnouncementInput) (int, error) {
	query := `INSERT INTO announcement_recipients (announcement_id, account_id, agency_id)
		SELECT $1, a.id, e.agency_id FROM accounts a JOIN employees e ON e.id = a.employee_id
		WHERE a.active AND e.active AND a.id <> $2`
	args := []any{id, poster}
	if len(in.AgencyIDs) > 0 {
		query += ` AND e.agency_id IN (SELECT agency_id FROM announcement_agencies WHERE announcement_id = $1)`
	}
	if len(in.Roles) > 0 {
		marks := make([]string, len(in.Roles))
		for i, r := range in.Roles {
			args = append(args, r)
			marks[i] = "$" + strconv.Itoa(len(args))
		}
		query += ` AND EXISTS (SELECT 1 FROM role_grants g WHERE g.account_id = a.id AND g.role IN (` +
			strings.Join(marks, ", ") + `) AND (g.agency_id IS NULL OR g.agency_id = e.agency_id))`
	}
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, fmt.Errorf("leadership: recipients of %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}
