package discuss

import (
	"context"
	"fmt"
	"strconv"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/search"
)

// AcceptedWeight is what an accepted answer adds to a post's helpfulness
// in search, on top of its "helpful" reactions.
const AcceptedWeight = 5

// indexPost puts a visible post into the search index (hidden ones are
// removed): one document per post, found by those who may read its space,
// ranked by its accepted mark and "helpful" reactions. It runs in the
// transaction of every change to the post's text, visibility, thread
// (title, space) or helpfulness.
func indexPost(ctx context.Context, q db.Querier, sp Space, t Thread, p Post) error {
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
		Audience: []string{search.Space(sp.ID)}, Helpful: helpful, Updated: p.CreatedAt}
	if sp.AppID != nil {
		d.AppID = *sp.AppID
	}
	return d
}

// reindexThread puts every post of t again (after a move or a rename).
func reindexThread(ctx context.Context, q db.Querier, sp Space, t Thread) error {
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
		if err := indexPost(ctx, q, sp, t, p); err != nil {
			return err
		}
	}
	return nil
}

// reindexPost puts one post of t again (its helpfulness or visibility changed).
func reindexPost(ctx context.Context, q db.Querier, sp Space, t Thread, postID int64) error {
	p, err := postByID(ctx, q, postID)
	if err != nil {
		return err
	}
	return indexPost(ctx, q, sp, t, p)
}

// SearchKeys is the search.KeySource of discussions: the key
// search.Space(id) of every space actor may read, so a searcher finds the
// posts of those spaces and no others.
func SearchKeys(ctx context.Context, q db.Querier, actor *policy.Actor) ([]string, error) {
	if actor == nil {
		return nil, nil
	}
	ids, err := readableSpaceIDs(ctx, q, actor)
	if err != nil {
		return nil, err
	}
	keys := make([]string, len(ids))
	for i, id := range ids {
		keys[i] = search.Space(id)
	}
	return keys, nil
}

var _ search.KeySource = SearchKeys
