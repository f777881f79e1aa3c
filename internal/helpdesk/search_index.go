package helpdesk

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/search"
)

// indexTicket writes the ticket's search document in the caller's
// transaction: its subject, description and public replies (internal
// notes stay out: the one index serves reporters too), found by those
// policy.TicketView lets see it — the reporter's employee, its followers,
// the help desk, and its agency's admins and head. Every change of its
// text or of who sees it calls this: filing, any save (replies, status,
// merges) and new followers.
func indexTicket(ctx context.Context, q db.Querier, id int64) error {
	t, err := findTicket(ctx, q, id)
	if err != nil {
		return err
	}
	msgs, err := messages(ctx, q, id, false)
	if err != nil {
		return err
	}
	followers, err := db.IDs(ctx, q, `SELECT account_id FROM ticket_followers WHERE ticket_id = $1`, id)
	if err != nil {
		return fmt.Errorf("helpdesk: index ticket: %w", err)
	}
	return search.Put(ctx, q, TicketDoc(t, msgs, followers))
}

// TicketDoc is a ticket's search document, from the ticket, its public
// replies and the accounts of its followers: filing, the hottest write of
// the help desk, puts the ticket it holds without reading it back, and
// the demo's history (package demo) builds its tickets' documents with it.
func TicketDoc(t Ticket, replies []Message, followers []int64) search.Doc {
	audience := []string{search.Desk}
	if t.ReporterEmployeeID != 0 {
		audience = append(audience, search.Employee(t.ReporterEmployeeID))
	}
	if t.AgencyID != nil {
		audience = append(audience, search.AgencyLeads(*t.AgencyID))
	}
	for _, acc := range followers {
		audience = append(audience, search.Account(acc))
	}
	parts := []string{t.Body}
	for _, m := range replies { // public replies only: messages(…, false) and filing's none
		parts = append(parts, m.Body)
	}
	return search.Doc{Kind: search.KindTicket, ID: t.ID, Ref: t.Number, Title: t.Subject,
		Body: strings.Join(parts, "\n\n"), Audience: audience, AppID: deref(t.AppID), Updated: t.UpdatedAt}
}

// IndexMissing indexes the tickets that have no search document yet — those
// filed before search existed, or loaded by the demo — a batch at a time.
// It runs as a job; once every ticket is indexed it finds nothing to do.
func (s *Service) IndexMissing(ctx context.Context, _ time.Time) error {
	// after moves past each batch, so a ticket that leaves no document
	// behind is passed over rather than read again forever.
	var after int64
	for {
		ids, err := db.IDs(ctx, s.db.R, `SELECT t.id FROM tickets t WHERE t.id > $1 AND NOT EXISTS (SELECT 1
			FROM search_docs d WHERE d.kind = 'ticket' AND d.doc_id = t.id) ORDER BY t.id LIMIT 500`, after)
		if err != nil || len(ids) == 0 {
			return err
		}
		after = ids[len(ids)-1]
		err = s.db.Tx(ctx, func(tx *sql.Tx) error {
			for _, id := range ids {
				if err := indexTicket(ctx, tx, id); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
}
