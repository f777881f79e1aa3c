package discuss

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/notify"
	"github.com/lontara-id/lontara/internal/policy"
)

func checkReason(reason *string) error {
	*reason = strings.TrimSpace(*reason)
	switch {
	case *reason == "":
		return errs.FieldErr("reason", "required")
	case utf8.RuneCountInString(*reason) > maxReason:
		return errs.FieldErr("reason", "too_long", maxReason)
	}
	return nil
}

// Hide hides a post, with the reason its author is shown; a moderator's
// act. The post leaves the search index; its author is told. The first
// post of a thread is hidden like any other (the thread stays, its title
// visible). A hidden post hidden again keeps its first reason.
func (s *Service) Hide(ctx context.Context, actor *policy.Actor, postID int64, reason string) error {
	if err := checkReason(&reason); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		return s.hide(ctx, tx, actor, postID, reason)
	})
}

func (s *Service) hide(ctx context.Context, tx *sql.Tx, actor *policy.Actor, postID int64, reason string) error {
	if err := lockPost(ctx, tx, postID); err != nil {
		return err
	}
	p, t, sp, tg, err := readablePost(ctx, tx, actor, postID)
	if err != nil {
		return err
	}
	if err := policy.Check(actor, policy.SpaceModerate, tg); err != nil {
		return err
	}
	if p.Hidden {
		return nil
	}
	at := time.Now().UTC()
	if _, err := tx.ExecContext(ctx, `UPDATE posts SET hidden_at = $1, hidden_by = $2, hidden_reason = $3, updated_at = $1
		WHERE id = $4`, at, db.NullID(actor.AccountID), reason, postID); err != nil {
		return fmt.Errorf("discuss: hide: %w", err)
	}
	p.Hidden = true
	if err := s.indexPost(ctx, tx, sp, t, p); err != nil {
		return err
	}
	if err := audit.Write(ctx, tx, actor, audit.Entry{Action: "hide", Entity: "post", EntityID: postID,
		AgencyID: sp.OwnerAgencyID, After: map[string]any{"reason": reason}}); err != nil {
		return err
	}
	if p.Author.ID == actor.AccountID {
		return nil
	}
	return s.tellOne(ctx, tx, sp, notify.Message{AccountID: p.Author.ID, Kind: "discuss.hidden",
		Args: []string{t.Title, reason}, Link: ThreadLink(t.ID, p.ID)})
}

// Unhide shows a hidden post again; a moderator's act.
func (s *Service) Unhide(ctx context.Context, actor *policy.Actor, postID int64) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := lockPost(ctx, tx, postID); err != nil {
			return err
		}
		p, t, sp, tg, err := readablePost(ctx, tx, actor, postID)
		if err != nil {
			return err
		}
		if err := policy.Check(actor, policy.SpaceModerate, tg); err != nil {
			return err
		}
		if !p.Hidden {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE posts SET hidden_at = NULL, hidden_by = NULL, hidden_reason = '',
			updated_at = $1 WHERE id = $2`, time.Now().UTC(), postID); err != nil {
			return fmt.Errorf("discuss: unhide: %w", err)
		}
		p.Hidden = false
		if err := s.indexPost(ctx, tx, sp, t, p); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "unhide", Entity: "post", EntityID: postID,
			AgencyID: sp.OwnerAgencyID, Before: map[string]any{"reason": p.HiddenReason}})
	})
}

// SetFlag locks or unlocks ("locked"), pins or unpins ("pinned") a
// thread; a moderator's act.
func (s *Service) SetFlag(ctx context.Context, actor *policy.Actor, threadID int64, flag string, on bool) error {
	if flag != "locked" && flag != "pinned" {
		return errs.FieldErr("flag", "discuss.flag")
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		t, sp, tg, err := readableThread(ctx, tx, actor, threadID)
		if err != nil {
			return err
		}
		if err := policy.Check(actor, policy.SpaceModerate, tg); err != nil {
			return err
		}
		before := map[string]bool{"locked": t.Locked, "pinned": t.Pinned}[flag]
		if before == on {
			return nil
		}
		// flag is one of the two column names checked above, never user text.
		res, err := tx.ExecContext(ctx, `UPDATE threads SET `+flag+` = $1, updated_at = $2 WHERE id = $3 AND space_id = $4`,
			on, time.Now().UTC(), threadID, sp.ID)
		if err := stillIn(res, err, flag); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "update", Entity: "thread", EntityID: threadID,
			AgencyID: sp.OwnerAgencyID, Before: map[string]bool{flag: before}, After: map[string]bool{flag: on}})
	})
}

// Move moves a thread to another space: the actor moderates the space it
// is in and may read the one it goes to (NotFound otherwise). Its posts
// are indexed again for their new readers; the move is audited.
func (s *Service) Move(ctx context.Context, actor *policy.Actor, threadID, toSpaceID int64) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		t, sp, tg, err := readableThread(ctx, tx, actor, threadID)
		if err != nil {
			return err
		}
		if err := policy.Check(actor, policy.SpaceModerate, tg); err != nil {
			return err
		}
		to, _, err := ReadableSpace(ctx, tx, actor, toSpaceID)
		if errs.Is(err, errs.NotFound) {
			return errs.FieldErr("space_id", "discuss.unknown")
		}
		if err != nil {
			return err
		}
		if to.ID == sp.ID {
			return nil
		}
		res, err := tx.ExecContext(ctx, `UPDATE threads SET space_id = $1, updated_at = $2 WHERE id = $3 AND space_id = $4`,
			to.ID, time.Now().UTC(), threadID, sp.ID)
		if err := stillIn(res, err, "move"); err != nil {
			return err
		}
		t.SpaceID = to.ID
		if err := s.reindexThread(ctx, tx, to, t); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "move", Entity: "thread", EntityID: threadID,
			AgencyID: sp.OwnerAgencyID, Before: map[string]any{"space_id": sp.ID, "space": sp.Name},
			After: map[string]any{"space_id": to.ID, "space": to.Name}})
	})
}

// stillIn checks the result of an update of a thread made only while it
// is in the space its moderator's right was checked in: moved meanwhile by
// another moderator, it changes nothing and fails with Conflict, and tried
// again it is checked against the new space.
func stillIn(res sql.Result, err error, what string) error {
	if err != nil {
		return fmt.Errorf("discuss: %s: %w", what, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("discuss: %s: %w", what, err)
	} else if n == 0 {
		return errs.New(errs.Conflict, "discuss.thread_moved")
	}
	return nil
}

// Accept marks a reply as the answer of a question thread (on false, takes
// the mark off); its asker or a moderator does it. The first post, a
// hidden post or a post of another thread cannot be the answer, and nobody
// accepts their own reply (Conflict: an answer is accepted by someone it
// helped, and it makes its author a coach); a moderator may accept the
// asker's own reply, which counts toward no coach score. The answer's
// author is told if they may still read the space.
func (s *Service) Accept(ctx context.Context, actor *policy.Actor, threadID, postID int64, on bool) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		// Acceptances take turns on the thread, each reading the answer
		// the one before left: the same one accepted twice at once tells
		// its author once.
		if err := db.HoldRow(ctx, tx, "threads", threadID); err != nil {
			return err
		}
		t, sp, tg, err := readableThread(ctx, tx, actor, threadID)
		if err != nil {
			return err
		}
		if t.Author.ID != actor.AccountID {
			if err := policy.Check(actor, policy.SpaceModerate, tg); err != nil {
				return err
			}
		}
		if !t.Question {
			return errs.New(errs.Conflict, "discuss.not_question")
		}
		p, err := postByID(ctx, tx, postID)
		if err != nil {
			return err
		}
		first, err := firstPostID(ctx, tx, threadID)
		if err != nil {
			return err
		}
		switch {
		case p.ThreadID != threadID:
			return errs.New(errs.NotFound, "discuss.post_not_found")
		case on && (p.ID == first || p.Hidden):
			return errs.New(errs.Conflict, "discuss.not_answer")
		case on && p.Author.ID == actor.AccountID:
			return errs.New(errs.Conflict, "discuss.own_answer")
		}
		previous := t.AcceptedPostID
		var accepted any
		if on {
			accepted = postID
		} else if previous == nil || *previous != postID {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE threads SET accepted_post_id = $1, updated_at = $2 WHERE id = $3`,
			accepted, time.Now().UTC(), threadID); err != nil {
			return fmt.Errorf("discuss: accept: %w", err)
		}
		t.AcceptedPostID = nil
		if on {
			t.AcceptedPostID = &postID
		}
		for _, id := range []*int64{previous, &postID} {
			if id != nil {
				if err := s.reindexPost(ctx, tx, sp, t, *id); err != nil {
					return err
				}
			}
		}
		if err := audit.Write(ctx, tx, actor, audit.Entry{Action: "accept", Entity: "thread", EntityID: threadID,
			AgencyID: sp.OwnerAgencyID, Before: map[string]any{"accepted_post_id": previous},
			After: map[string]any{"accepted_post_id": t.AcceptedPostID}}); err != nil {
			return err
		}
		if !on || p.Author.ID == actor.AccountID || (previous != nil && *previous == postID) {
			return nil
		}
		return s.tellOne(ctx, tx, sp, notify.Message{AccountID: p.Author.ID, Kind: "discuss.accepted",
			Args: []string{t.Title}, Link: ThreadLink(t.ID, p.ID)})
	})
}
