package discuss

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// The reactions a post can get: a small fixed set, one of each per person.
// "helpful" (membantu) is the one that counts toward informal coaches and
// the post's rank in search.
const (
	ReactionHelpful = "helpful"
	ReactionThanks  = "thanks"
	ReactionAgree   = "agree"
	ReactionIdea    = "idea"
)

// Reactions lists the reactions in the order posts show them.
var Reactions = []string{ReactionHelpful, ReactionThanks, ReactionAgree, ReactionIdea}

// React toggles the actor's reaction kind on a post of a space they may
// read and reports whether it is now on. A hidden post takes none, and
// nobody marks their own post helpful.
func (s *Service) React(ctx context.Context, actor *policy.Actor, postID int64, kind string) (on bool, err error) {
	if !slices.Contains(Reactions, kind) {
		return false, errs.FieldErr("kind", "discuss.reaction")
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		// Reactions at once on one post take turns (lockPost), so each
		// counts those before it and the helpfulness indexed is never stale.
		if err := lockPost(ctx, tx, postID); err != nil {
			return err
		}
		p, t, sp, _, err := readablePost(ctx, tx, actor, postID)
		if err != nil {
			return err
		}
		if p.Hidden {
			return errs.New(errs.Conflict, "discuss.hidden")
		}
		if kind == ReactionHelpful && p.Author.ID == actor.AccountID {
			return errs.New(errs.Conflict, "discuss.own_helpful")
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM post_reactions WHERE post_id = $1 AND account_id = $2 AND kind = $3`,
			postID, actor.AccountID, kind)
		if err != nil {
			return fmt.Errorf("discuss: react: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO post_reactions (post_id, account_id, kind, created_at)
				VALUES ($1, $2, $3, $4)`, postID, actor.AccountID, kind, time.Now().UTC()); err != nil {
				return fmt.Errorf("discuss: react: %w", err)
			}
			on = true
		}
		// Every reaction, not only the one search counts, is refused in a
		// space closed since it was read (lockPlace).
		if err := s.lockPlace(ctx, tx, &sp, &t); err != nil || kind != ReactionHelpful {
			return err
		}
		return putPost(ctx, tx, sp, t, p)
	})
	return on, err
}

// FollowThread starts or stops the actor following a thread they may read.
// An unfollow is remembered: writing in the thread again does not bring
// it back, following it does.
func (s *Service) FollowThread(ctx context.Context, actor *policy.Actor, threadID int64, follow bool) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, _, _, err := readableThread(ctx, tx, actor, threadID); err != nil {
			return err
		}
		// One statement, so that the same choice sent twice at once is
		// stored once rather than colliding on the key.
		if _, err := tx.ExecContext(ctx, `INSERT INTO thread_follows (thread_id, account_id, following, created_at)
			VALUES ($1, $2, $3, $4) ON CONFLICT (thread_id, account_id)
			DO UPDATE SET following = excluded.following, created_at = excluded.created_at`,
			threadID, actor.AccountID, follow, time.Now().UTC()); err != nil {
			return fmt.Errorf("discuss: follow: %w", err)
		}
		return nil
	})
}

// FollowSpace starts or stops the actor following a space they may read:
// its followers are told of every new thread.
func (s *Service) FollowSpace(ctx context.Context, actor *policy.Actor, spaceID int64, follow bool) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, _, err := ReadableSpace(ctx, tx, actor, spaceID); err != nil {
			return err
		}
		q, args := `DELETE FROM space_follows WHERE space_id = $1 AND account_id = $2`, []any{spaceID, actor.AccountID}
		if follow { // kept once however often it is asked, also twice at once
			q, args = `INSERT INTO space_follows (space_id, account_id, created_at) VALUES ($1, $2, $3)
				ON CONFLICT (space_id, account_id) DO NOTHING`, append(args, time.Now().UTC())
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("discuss: follow space: %w", err)
		}
		return nil
	})
}
