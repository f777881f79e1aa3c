package discuss

import (
	"context"
	"fmt"
	"strconv"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/search"
)

// AcceptedWeight is what an accepted answer adds to a post's helpfulness
// in search, on top of its "helpful" reactions.
const AcceptedWeight = 5

// indexPost puts one post into the search index (putPost), with its
// thread's space and that space's openness as committed (lockPlace). It
// runs in the transaction of every change to the post's text, visibility
// or helpfulness.
func (s *Service) indexPost(ctx context.Context, q db.Querier, sp Space, t Thread, p Post) error {
	if err := s.lockPlace(ctx, q, &sp, &t); err != nil {
		return err
	}
	return putPost(ctx, q, sp, t, p)
}

// lockPlace reads thread t again as committed, holding it (heldThread),
// makes sure it is still in sp, and reads sp's openness (lockOpenness).
// Whoever changes a post read its thread and space when the transaction
// began; a move committed since (Move, which puts the thread's posts again
// for the new space's readers) would leave the post found by the old
// space's readers, and written by someone who was allowed into the old
// space only. So the change fails with Conflict, and tried again it is
// checked against the new space. So does a change allowed by sp as open
// when sp has since become members-only: whoever made it may be no member.
// A rename or an accepted answer committed since is in t, and indexed, not
// undone. On PostgreSQL a share lock on the thread makes a move wait for
// the change, or the change wait for the move and see it; SQLite's
// transactions already take turns.
func (s *Service) lockPlace(ctx context.Context, q db.Querier, sp *Space, t *Thread) error {
	held, err := s.heldThread(ctx, q, t.ID)
	if err != nil {
		return err
	}
	if held.SpaceID != sp.ID {
		return errs.New(errs.Conflict, "discuss.thread_moved")
	}
	*t = held
	wasOpen := !sp.MembersOnly
	if err := s.lockOpenness(ctx, q, sp); err != nil {
		return err
	}
	if wasOpen && sp.MembersOnly {
		return errs.New(errs.Conflict, "discuss.space_changed")
	}
	return nil
}

// holdPlace holds thread id and its space, before the caller reads them
// to decide on both: a move or a change of openness waits for the
// decision, or the decision for it, and sees it. A missing thread is
// left to the caller's read to find.
func (s *Service) holdPlace(ctx context.Context, q db.Querier, id int64) error {
	t, err := s.heldThread(ctx, q, id)
	if errs.Is(err, errs.NotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return s.lockOpenness(ctx, q, &Space{ID: t.SpaceID})
}

// lockOpenness reads whether sp is members-only as committed, not as read
// when the caller's transaction began: who finds its posts follows it
// (PostAudience). On PostgreSQL a share lock makes a change of openness
// (UpdateSpace, which gives the space's posts their new audience) wait
// for the posts being put, or those wait for it and read it; SQLite's
// transactions already take turns. Whoever puts several posts of a space
// reads it once.
func (s *Service) lockOpenness(ctx context.Context, q db.Querier, sp *Space) error {
	if err := q.QueryRowContext(ctx, `SELECT members_only FROM spaces WHERE id = $1`+s.shareLock(), sp.ID).Scan(&sp.MembersOnly); err != nil {
		return fmt.Errorf("discuss: space %d: %w", sp.ID, err)
	}
	return nil
}

// shareLock is the clause that makes a read of one row hold it (see
// lockPlace): none on SQLite, whose transactions take turns.
func (s *Service) shareLock() string {
	if s.db.Engine() == db.Postgres {
		return " FOR SHARE"
	}
	return ""
}

// putPost puts a visible post into the search index (hidden ones are
// removed): one document per post, found by those who may read its space
// as sp says (see lockOpenness), ranked by its accepted mark and "helpful"
// reactions.
func putPost(ctx context.Context, q db.Querier, sp Space, t Thread, p Post) error {
	if p.Hidden {
		return search.Remove(ctx, q, search.KindPost, p.ID)
	}
	var helpful int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM post_reactions WHERE post_id = $1 AND kind = $2`,
		p.ID, ReactionHelpful).Scan(&helpful); err != nil {
		return fmt.Errorf("discuss: index post %d: %w", p.ID, err)
	}
	d := postDoc(sp, t, p, helpful)
	if err := search.Put(ctx, q, d); err != nil {
		return fmt.Errorf("discuss: index post %d: %w", p.ID, err)
	}
	return nil
}

// postDoc is the search document of post p of thread t in space sp with
// helpful "helpful" reactions: found by the space's readers, its result
// the thread, ranked up by an accepted mark and the reactions.
func postDoc(sp Space, t Thread, p Post, helpful int) search.Doc {
	if t.AcceptedPostID != nil && *t.AcceptedPostID == p.ID {
		helpful += AcceptedWeight
	}
	d := search.Doc{Kind: search.KindPost, ID: p.ID, Ref: strconv.FormatInt(t.ID, 10), Title: t.Title, Body: p.Body,
		Audience: PostAudience(sp), Helpful: helpful, Updated: p.CreatedAt}
	if sp.AppID != nil {
		d.AppID = *sp.AppID
	}
	return d
}

// PostAudience is who finds the posts of sp in search: those who hold the
// space's key (SearchKeys gives it to its readers) and, for an open space,
// those who hold a key that all its readers hold anyway, so that search
// need not name the space among their keys: search.Everyone for a space
// open to the whole city, search.CityWide for an agency's open space (read
// by the agency's staff, who hold the space's key, and by the city-wide
// roles). A members-only room is found by its own key alone. When a space
// becomes members-only or open, its posts' audience follows (reindexSpace).
func PostAudience(sp Space) []string {
	keys := []string{search.Space(sp.ID)}
	switch f := (policy.SpaceFacts{Level: sp.Level, MembersOnly: sp.MembersOnly}); {
	case f.MembersOnly:
	case f.OpenToCity():
		keys = append(keys, search.Everyone)
	default:
		keys = append(keys, search.CityWide)
	}
	return keys
}

// holdThreads holds the threads of space id until the transaction ends;
// it comes before the space's openness is changed (UpdateSpace). Every
// change of a post holds its thread before its space (lockPlace), so the
// two wait for each other in one order, never each for the other; and a
// thread cannot move out of the space between the change and its
// reindexSpace, which would leave the thread's posts with the audience of
// the wrong space.
func (s *Service) holdThreads(ctx context.Context, q db.Querier, id int64) error {
	if _, err := db.IDs(ctx, q, `SELECT id FROM threads WHERE space_id = $1`+s.shareLock(), id); err != nil {
		return fmt.Errorf("discuss: space %d: %w", id, err)
	}
	return nil
}

// reindexSpace gives the posts of sp in the index the audience of its
// openness now (PostAudience), in one statement: their texts did not
// change. Hidden posts are not in the index and stay out.
func reindexSpace(ctx context.Context, q db.Querier, sp Space) error {
	if err := search.SetAudience(ctx, q, search.KindPost, PostAudience(sp),
		`SELECT p.id FROM posts p JOIN threads t ON t.id = p.thread_id WHERE t.space_id = $3`, sp.ID); err != nil {
		return fmt.Errorf("discuss: reindex space %d: %w", sp.ID, err)
	}
	return nil
}

// reindexThread puts every post of t again (after a move or a rename).
func (s *Service) reindexThread(ctx context.Context, q db.Querier, sp Space, t Thread) error {
	if err := s.lockPlace(ctx, q, &sp, &t); err != nil {
		return err
	}
	return putThread(ctx, q, sp, t)
}

// putThread puts every post of t in sp (see putPost).
func putThread(ctx context.Context, q db.Querier, sp Space, t Thread) error {
	rows, err := q.QueryContext(ctx, `SELECT `+postColumns+postFrom+` WHERE p.thread_id = $1 ORDER BY p.id`, t.ID)
	if err != nil {
		return fmt.Errorf("discuss: reindex thread %d: %w", t.ID, err)
	}
	var posts []Post
	for rows.Next() {
		p, err := scanPost(rows)
		if err != nil {
			rows.Close()
			return fmt.Errorf("discuss: reindex thread %d: %w", t.ID, err)
		}
		posts = append(posts, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("discuss: reindex thread %d: %w", t.ID, err)
	}
	for _, p := range posts {
		if err := putPost(ctx, q, sp, t, p); err != nil {
			return err
		}
	}
	return nil
}

// reindexPost puts one post of t again (its helpfulness or visibility changed).
func (s *Service) reindexPost(ctx context.Context, q db.Querier, sp Space, t Thread, postID int64) error {
	p, err := postByID(ctx, q, postID)
	if err != nil {
		return err
	}
	return s.indexPost(ctx, q, sp, t, p)
}

// SearchKeys is the search.KeySource of discussions: the keys that find
// the posts of every space actor may read and of no other (PostAudience).
// Those who read every open space (policy.ReadsOpenSpaces) hold
// search.CityWide; beside it, and beside search.Everyone, which every
// searcher holds, a reader holds the key of each space they may read that
// neither covers: an agency's open space of their own, a members-only
// room.
func SearchKeys(ctx context.Context, q db.Querier, actor *policy.Actor) ([]string, error) {
	if actor == nil {
		return nil, nil
	}
	wide := policy.ReadsOpenSpaces(actor)
	ids, err := keyedSpaceIDs(ctx, q, actor, wide)
	if err != nil {
		return nil, err
	}
	var keys []string
	if wide {
		keys = append(keys, search.CityWide)
	}
	for _, id := range ids {
		keys = append(keys, search.Space(id))
	}
	return keys, nil
}

var _ search.KeySource = SearchKeys
