package helpdesk

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/notify"
	"github.com/lontara-id/lontara/internal/policy"
)

// MergeInput names the ticket a duplicate is merged into, by its number.
type MergeInput struct {
	Into string `json:"into"`
}

// MergeTicket merges the duplicate number into the ticket in.Into, in one
// transaction: the duplicate is closed with a "merged into" link (its
// public replies stay where they are), the target gets an internal note
// naming it, and the duplicate's reporter follows the target, so they see
// its public side and are told where to look. version is the duplicate's,
// as for UpdateTicket. Merging into itself, into a closed or merged ticket,
// or in a circle is refused with the reason.
func (s *Service) MergeTicket(ctx context.Context, actor *policy.Actor, number string, version int, in MergeInput) (Ticket, error) {
	var out Ticket
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		dup, err := s.workTicket(ctx, tx, actor, number)
		if err != nil {
			return err
		}
		if version != AnyVersion && version != dup.Version {
			return s.stale(ctx, tx, dup.ID)
		}
		into, err := otherTicket(ctx, tx, "into", in.Into, dup.ID)
		if err != nil {
			return err
		}
		if err := mergeable(ctx, tx, dup, into); err != nil {
			return err
		}
		at := now()
		lo, hi := pair(dup.ID, into.ID)
		if _, err := tx.ExecContext(ctx, `DELETE FROM ticket_links WHERE ticket_id = $1 AND other_id = $2
			AND kind = 'related'`, lo, hi); err != nil {
			return fmt.Errorf("helpdesk: merge: %w", err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO ticket_links (ticket_id, other_id, kind, created_by, created_at)
			VALUES ($1, $2, 'duplicate_of', $3, $4)`, dup.ID, into.ID, accountOf(actor), at)
		if _, ok := s.db.Dialect.UniqueViolation(err); ok {
			return errs.New(errs.Conflict, "rel.merged_already", dup.Number)
		}
		if err != nil {
			return fmt.Errorf("helpdesk: merge: %w", err)
		}
		who := authorName(actor)
		note := Message{AuthorID: accountOf(actor), Author: who, Internal: true, CreatedAt: at,
			Body: i18n.T(i18n.ID, "rel.merge.note", dup.Number, dup.Subject)}
		if err := insertMessage(ctx, tx, into.ID, &note); err != nil {
			return fmt.Errorf("helpdesk: merge note: %w", err)
		}
		closed, after := dup, into
		cal, err := s.pauseCalendar(ctx, tx, dup)
		if err != nil {
			return err
		}
		if err := transition(&closed, StatusClosed, at, cal); err != nil {
			return err
		}
		closed.UpdatedAt, closed.Version, after.UpdatedAt = at, dup.Version+1, at
		saves := []struct {
			before, after Ticket
			events        []Event
		}{
			{dup, closed, []Event{{Actor: who, Kind: "merged_into", New: into.Number, At: at},
				{Actor: who, Kind: "status", Old: dup.Status, New: closed.Status, At: at}}},
			{into, after, []Event{{Actor: who, Kind: "note", New: strconv.FormatInt(note.ID, 10), At: at},
				{Actor: who, Kind: "merged_from", New: dup.Number, At: at}}},
		}
		// The lower id first, as every merge does, so two merges of the
		// same pair crossing each other wait instead of deadlocking.
		if into.ID < dup.ID {
			saves[0], saves[1] = saves[1], saves[0]
		}
		for _, sv := range saves {
			if err := s.save(ctx, tx, actor, sv.before, sv.after, sv.events); err != nil {
				return err
			}
		}
		if err := follow(ctx, tx, actor, dup, into); err != nil {
			return err
		}
		out = closed
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "merge", Entity: "ticket", EntityID: dup.ID,
			AgencyID: deref(dup.AgencyID), Before: dup, After: map[string]string{"into": into.Number}})
	})
	return out, err
}

// mergeable says why dup cannot be merged into into, nil when it can.
func mergeable(ctx context.Context, q db.Querier, dup, into Ticket) error {
	_, merged, err := duplicateOf(ctx, q, dup.ID)
	if err != nil {
		return err
	}
	if merged {
		return errs.New(errs.Conflict, "rel.merged_already", dup.Number)
	}
	if dup.Status == StatusClosed {
		return errs.New(errs.Conflict, "rel.merge_closed", dup.Number)
	}
	// Follow where into was merged; reaching dup would close a circle.
	at, next := into.ID, int64(0)
	for range 100 {
		n, merged, err := duplicateOf(ctx, q, at)
		if err != nil {
			return err
		}
		if !merged {
			break
		}
		if n == dup.ID {
			return errs.New(errs.Conflict, "rel.merge_circular", into.Number, dup.Number)
		}
		if next == 0 {
			next = n
		}
		at = n
	}
	if next != 0 {
		return errs.New(errs.Conflict, "rel.merge_into_merged", into.Number, Number(next))
	}
	if into.Status == StatusClosed {
		return errs.New(errs.Conflict, "rel.merge_into_closed", into.Number)
	}
	return nil
}

// duplicateOf returns the ticket id was merged into, if it was.
func duplicateOf(ctx context.Context, q db.Querier, id int64) (int64, bool, error) {
	var into int64
	err := q.QueryRowContext(ctx, `SELECT other_id FROM ticket_links WHERE ticket_id = $1 AND kind = 'duplicate_of'`,
		id).Scan(&into)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("helpdesk: merged into: %w", err)
	}
	return into, true, nil
}

// follow makes the duplicate's reporter, and whoever followed the
// duplicate, followers of the ticket it was merged into, and tells the
// reporter where their request now lives.
func follow(ctx context.Context, tx *sql.Tx, actor *policy.Actor, dup, into Ticket) error {
	at, own := now(), deref(into.ReporterID)
	if dup.ReporterID != nil && *dup.ReporterID != own {
		if _, err := tx.ExecContext(ctx, `INSERT INTO ticket_followers (ticket_id, account_id, created_at)
			VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, into.ID, *dup.ReporterID, at); err != nil {
			return fmt.Errorf("helpdesk: follower: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO ticket_followers (ticket_id, account_id, created_at)
		SELECT $1, account_id, $2 FROM ticket_followers WHERE ticket_id = $3 AND account_id <> $4
		ON CONFLICT DO NOTHING`, into.ID, at, dup.ID, own); err != nil {
		return fmt.Errorf("helpdesk: followers: %w", err)
	}
	if err := indexTicket(ctx, tx, into.ID); err != nil { // the new followers find it
		return err
	}
	if dup.ReporterID == nil || *dup.ReporterID == actor.AccountID {
		return nil
	}
	return notify.Send(ctx, tx, notify.Message{AccountID: *dup.ReporterID, Kind: "ticket.merged",
		Args: []string{dup.Number, into.Number}, Link: "/bantuan/" + into.Number})
}
