package discuss

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// How a person becomes an informal coach. Their score adds
// CoachAccepted points for every answer of theirs to another's question
// that was accepted (an asker's answer to their own question counts for
// nothing) and CoachHelpful for every "helpful" reaction their posts got
// (hidden posts count for nothing), plus what the CoachSources add (for
// example helpful votes on the articles they wrote); from CoachThreshold
// on they are listed. One accepted answer, or three people finding their
// posts helpful, is enough: an informal coach is someone colleagues have
// already learned from, not a ranking.
const (
	CoachAccepted  = 3
	CoachHelpful   = 1
	CoachThreshold = 3
)

// CoachSource adds to the coach scores of the people of an agency from
// outside the discussions (helpful votes on the articles they wrote, say):
// account id → their credit.
type CoachSource func(ctx context.Context, q db.Querier, agencyID int64) (map[int64]Credit, error)

// Credit is what a CoachSource gives a person: points, and the
// applications they earned them on.
type Credit struct {
	Points int
	Apps   []Topic
}

// AddCoachSource makes src count toward coach scores.
func (s *Service) AddCoachSource(src CoachSource) { s.sources = append(s.sources, src) }

// Topic is an application or a space a coach answers in.
type Topic struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Coach is a person others learned from: their score and what it is made
// of, and the applications (of the application spaces) and topics (the
// spaces) they answered in.
type Coach struct {
	Author
	Score    int     `json:"score"`
	Accepted int     `json:"accepted"`
	Helpful  int     `json:"helpful"`
	Other    int     `json:"other"`
	Apps     []Topic `json:"apps"`
	Topics   []Topic `json:"topics"`
}

// Coaches lists the informal coaches among the people working in agency,
// best first. Only the spaces actor may read count: a members-only room's
// answers neither show nor raise anyone for outsiders.
func (s *Service) Coaches(ctx context.Context, actor *policy.Actor, agencyID int64) ([]Coach, error) {
	if actor == nil {
		return nil, errs.New(errs.Unauthorized, "unauthorized")
	}
	q := s.db.R
	spaces, _, err := readableSpaces(ctx, q, actor)
	if err != nil {
		return nil, err
	}
	readable := map[int64]Space{}
	for _, sp := range spaces {
		readable[sp.ID] = sp
	}
	rows, err := q.QueryContext(ctx, `SELECT p.author_account_id, t.space_id,
		SUM(CASE WHEN t.accepted_post_id = p.id AND t.author_account_id <> p.author_account_id THEN 1 ELSE 0 END), SUM(COALESCE(h.n, 0))
		FROM posts p JOIN threads t ON t.id = p.thread_id
		JOIN accounts a ON a.id = p.author_account_id JOIN employees e ON e.id = a.employee_id
		LEFT JOIN (SELECT post_id, COUNT(*) AS n FROM post_reactions WHERE kind = $2 GROUP BY post_id) h ON h.post_id = p.id
		WHERE e.agency_id = $1 AND e.active = TRUE AND a.active = TRUE AND p.hidden_at IS NULL
		AND ((t.accepted_post_id = p.id AND t.author_account_id <> p.author_account_id) OR h.n IS NOT NULL)
		GROUP BY p.author_account_id, t.space_id`, agencyID, ReactionHelpful)
	if err != nil {
		return nil, fmt.Errorf("discuss: coaches: %w", err)
	}
	byAccount := map[int64]*Coach{}
	get := func(id int64) *Coach {
		if byAccount[id] == nil {
			byAccount[id] = &Coach{Author: Author{ID: id}}
		}
		return byAccount[id]
	}
	for rows.Next() {
		var account, space int64
		var accepted, helpful int
		if err := rows.Scan(&account, &space, &accepted, &helpful); err != nil {
			rows.Close()
			return nil, fmt.Errorf("discuss: coaches: %w", err)
		}
		sp, ok := readable[space]
		if !ok {
			continue
		}
		c := get(account)
		c.Accepted += accepted
		c.Helpful += helpful
		c.Topics = append(c.Topics, Topic{ID: sp.ID, Name: sp.Name})
		if sp.AppID != nil && !slices.ContainsFunc(c.Apps, func(t Topic) bool { return t.ID == *sp.AppID }) {
			c.Apps = append(c.Apps, Topic{ID: *sp.AppID, Name: sp.Where})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("discuss: coaches: %w", err)
	}
	for _, src := range s.sources {
		extra, err := src(ctx, q, agencyID)
		if err != nil {
			return nil, err
		}
		for id, credit := range extra {
			c := get(id)
			c.Other += credit.Points
			for _, app := range credit.Apps {
				if !slices.ContainsFunc(c.Apps, func(t Topic) bool { return t.ID == app.ID }) {
					c.Apps = append(c.Apps, app)
				}
			}
		}
	}
	var list []Coach
	for _, c := range byAccount {
		c.Score = c.Accepted*CoachAccepted + c.Helpful*CoachHelpful + c.Other
		if c.Score >= CoachThreshold {
			list = append(list, *c)
		}
	}
	if err := nameAuthors(ctx, q, list); err != nil {
		return nil, err
	}
	slices.SortFunc(list, func(a, b Coach) int {
		if a.Score != b.Score {
			return b.Score - a.Score
		}
		return strings.Compare(a.Name, b.Name)
	})
	return list, nil
}

// nameAuthors fills in the coaches' names and handles.
func nameAuthors(ctx context.Context, q db.Querier, list []Coach) error {
	for i := range list {
		var email string
		if err := q.QueryRowContext(ctx, `SELECT e.id, e.name, COALESCE(e.email, '') FROM accounts a
			JOIN employees e ON e.id = a.employee_id WHERE a.id = $1`, list[i].ID).
			Scan(&list[i].EmployeeID, &list[i].Name, &email); err != nil {
			return fmt.Errorf("discuss: coach %d: %w", list[i].ID, err)
		}
		list[i].Handle = handleOf(email)
	}
	return nil
}

// AgencyName returns an agency's name (NotFound when there is none).
func (s *Service) AgencyName(ctx context.Context, id int64) (string, error) {
	var name string
	err := s.db.R.QueryRowContext(ctx, `SELECT name FROM agencies WHERE id = $1`, id).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", errs.New(errs.NotFound, "not_found")
	}
	if err != nil {
		return "", fmt.Errorf("discuss: agency %d: %w", id, err)
	}
	return name, nil
}
