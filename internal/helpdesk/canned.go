package helpdesk

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// CannedReply is a team's ready-made answer. Its body may name the
// placeholders in Placeholders, written {{nomor}}, filled in as plain text
// when an agent uses it on a ticket.
type CannedReply struct {
	ID        int64     `json:"id"`
	TeamID    int64     `json:"team_id"`
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// CannedInput is a canned reply's title and body.
type CannedInput struct {
	Title string `json:"title"`
	Body  string `json:"body"`
}

// Placeholders are the names a canned reply's body may use: the ticket's
// number and subject, the reporter's name, and the agent replying.
var Placeholders = []string{"nomor", "subjek", "nama_pelapor", "petugas"}

// placeholder matches {{name}}, spaces inside the braces allowed.
var placeholder = regexp.MustCompile(`\{\{\s*([A-Za-z_]+)\s*\}\}`)

func (in *CannedInput) validate() error {
	in.Title, in.Body = strings.TrimSpace(in.Title), strings.TrimSpace(in.Body)
	var v errs.Validation
	text(&v, "title", in.Title, maxSubject, true)
	text(&v, "body", in.Body, maxBody, true)
	for _, m := range placeholder.FindAllStringSubmatch(in.Body, -1) {
		if !slices.Contains(Placeholders, m[1]) {
			v.Add("body", "rel.placeholder", m[0], "{{"+strings.Join(Placeholders, "}}, {{")+"}}")
			break
		}
	}
	return v.Err()
}

// Fill returns the body with its placeholders filled in for ticket t
// answered by actor. The values are inserted as text, never interpreted;
// an unknown placeholder stays as written.
func (c CannedReply) Fill(t Ticket, actor *policy.Actor) string {
	reporter := t.ReporterName
	if reporter == "" {
		reporter = t.ContactName
	}
	values := map[string]string{"nomor": t.Number, "subjek": t.Subject, "nama_pelapor": reporter,
		"petugas": authorName(actor)}
	return placeholder.ReplaceAllStringFunc(c.Body, func(m string) string {
		if v, ok := values[placeholder.FindStringSubmatch(m)[1]]; ok {
			return v
		}
		return m
	})
}

// canManage reports whether actor may manage team's canned replies: the
// policy needs to know whether they are in the team.
func canManage(ctx context.Context, q db.Querier, actor *policy.Actor, team int64) (bool, error) {
	if actor == nil {
		return false, nil
	}
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM team_members WHERE team_id = $1 AND account_id = $2`,
		team, actor.AccountID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("helpdesk: team member: %w", err)
	}
	return policy.Can(actor, policy.CannedManage, policy.Target{TeamMember: n > 0}), nil
}

// checkManage is canManage as an error: NotFound for an unknown team,
// Forbidden for an outsider.
func checkManage(ctx context.Context, q db.Querier, actor *policy.Actor, team int64) error {
	ok, err := exists(ctx, q, "teams", team)
	if err != nil {
		return fmt.Errorf("helpdesk: team: %w", err)
	}
	if !ok {
		return errs.New(errs.NotFound, "ticket.team_not_found")
	}
	if ok, err = canManage(ctx, q, actor, team); err != nil {
		return err
	}
	if !ok {
		return policy.Check(actor, policy.CannedManage, policy.Target{})
	}
	return nil
}

// ListCanned returns a team's canned replies by title, for the help desk.
func (s *Service) ListCanned(ctx context.Context, actor *policy.Actor, team int64) ([]CannedReply, error) {
	if err := policy.Check(actor, policy.TicketWork, policy.Target{}); err != nil {
		return nil, err
	}
	ok, err := exists(ctx, s.db.R, "teams", team)
	if err != nil {
		return nil, fmt.Errorf("helpdesk: team: %w", err)
	}
	if !ok {
		return nil, errs.New(errs.NotFound, "ticket.team_not_found")
	}
	return cannedReplies(ctx, s.db.R, `WHERE team_id = $1`, team)
}

// GetCanned returns one canned reply, for the help desk.
func (s *Service) GetCanned(ctx context.Context, actor *policy.Actor, id int64) (CannedReply, error) {
	if err := policy.Check(actor, policy.TicketWork, policy.Target{}); err != nil {
		return CannedReply{}, err
	}
	return findCanned(ctx, s.db.R, id)
}

// CreateCanned adds a canned reply to a team (its members', the superadmin's).
func (s *Service) CreateCanned(ctx context.Context, actor *policy.Actor, team int64, in CannedInput) (CannedReply, error) {
	if err := in.validate(); err != nil {
		return CannedReply{}, err
	}
	at := now()
	c := CannedReply{TeamID: team, Title: in.Title, Body: in.Body, CreatedAt: at, UpdatedAt: at}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := checkManage(ctx, tx, actor, team); err != nil {
			return err
		}
		id, err := db.InsertID(ctx, tx, `INSERT INTO canned_replies (team_id, title, body, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $5) RETURNING id`, team, c.Title, c.Body, accountOf(actor), at)
		if err := s.cannedErr(err); err != nil {
			return err
		}
		c.ID = id
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "canned_reply", EntityID: id, After: c})
	})
	return c, err
}

// UpdateCanned changes a canned reply's title and body.
func (s *Service) UpdateCanned(ctx context.Context, actor *policy.Actor, id int64, in CannedInput) (CannedReply, error) {
	if err := in.validate(); err != nil {
		return CannedReply{}, err
	}
	var c CannedReply
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		before, err := findCanned(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkManage(ctx, tx, actor, before.TeamID); err != nil {
			return err
		}
		c = before
		c.Title, c.Body, c.UpdatedAt = in.Title, in.Body, now()
		_, err = tx.ExecContext(ctx, `UPDATE canned_replies SET title = $1, body = $2, updated_at = $3 WHERE id = $4`,
			c.Title, c.Body, c.UpdatedAt, id)
		if err := s.cannedErr(err); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "update", Entity: "canned_reply", EntityID: id,
			Before: before, After: c})
	})
	return c, err
}

// DeleteCanned removes a canned reply.
func (s *Service) DeleteCanned(ctx context.Context, actor *policy.Actor, id int64) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		before, err := findCanned(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkManage(ctx, tx, actor, before.TeamID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM canned_replies WHERE id = $1`, id); err != nil {
			return fmt.Errorf("helpdesk: delete canned reply: %w", err)
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "delete", Entity: "canned_reply", EntityID: id, Before: before})
	})
}

// cannedErr turns a write's error into the reason a person can act on.
func (s *Service) cannedErr(err error) error {
	if key, ok := s.db.Dialect.UniqueViolation(err); ok && strings.Contains(key, "title") {
		return errs.FieldErr("title", "rel.canned_taken")
	}
	if err != nil {
		return fmt.Errorf("helpdesk: canned reply: %w", err)
	}
	return nil
}

func findCanned(ctx context.Context, q db.Querier, id int64) (CannedReply, error) {
	list, err := cannedReplies(ctx, q, `WHERE id = $1`, id)
	if err != nil {
		return CannedReply{}, err
	}
	if len(list) == 0 {
		return CannedReply{}, errs.New(errs.NotFound, "rel.canned_not_found")
	}
	return list[0], nil
}

// cannedReplies reads the canned replies matching where (a constant).
func cannedReplies(ctx context.Context, q db.Querier, where string, args ...any) ([]CannedReply, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, team_id, title, body, created_at, updated_at FROM canned_replies `+
		where+` ORDER BY team_id, title, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("helpdesk: canned replies: %w", err)
	}
	defer rows.Close()
	list := []CannedReply{}
	for rows.Next() {
		var c CannedReply
		if err := rows.Scan(&c.ID, &c.TeamID, &c.Title, &c.Body, &c.CreatedAt, &c.UpdatedAt); err != nil {
			return nil, err
		}
		c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
		list = append(list, c)
	}
	return list, rows.Err()
}

// CannedTeam is a team with its canned replies, as the pages show them.
type CannedTeam struct {
	ID        int64
	Name      string
	CanManage bool // the viewer may add, edit and remove them
	Replies   []CannedReply
}

// CannedByTeam returns every team with its canned replies, first the team
// first (a ticket's), then by name.
func (s *Service) CannedByTeam(ctx context.Context, actor *policy.Actor, first int64) ([]CannedTeam, error) {
	teams, err := s.ListTeams(ctx, actor)
	if err != nil {
		return nil, err
	}
	all, err := cannedReplies(ctx, s.db.R, ``)
	if err != nil {
		return nil, err
	}
	out := make([]CannedTeam, 0, len(teams))
	for _, t := range teams {
		ct := CannedTeam{ID: t.ID, Name: t.Name, Replies: []CannedReply{}}
		member := slices.ContainsFunc(t.Members, func(m Member) bool { return m.AccountID == actor.AccountID })
		ct.CanManage = policy.Can(actor, policy.CannedManage, policy.Target{TeamMember: member})
		for _, c := range all {
			if c.TeamID == t.ID {
				ct.Replies = append(ct.Replies, c)
			}
		}
		out = append(out, ct)
	}
	slices.SortStableFunc(out, func(a, b CannedTeam) int {
		switch {
		case a.ID == first && b.ID != first:
			return -1
		case b.ID == first && a.ID != first:
			return 1
		}
		return 0
	})
	return out, nil
}
