package discuss

import (
	"context"
	"fmt"
	"strings"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/knowledge"
	"github.com/lontara-id/lontara/internal/policy"
)

// ThreadView is a thread as its page and the API show it: one page of its
// posts in order, the accepted answer (also marked in place), and what the
// reader may do.
type ThreadView struct {
	Thread
	Space       Space  `json:"-"`
	Posts       []Post `json:"posts"`
	Next        string `json:"next"`
	Accepted    *Post  `json:"-"`
	Following   bool   `json:"following"`
	ArticleID   *int64 `json:"article_id"`
	CanModerate bool   `json:"-"`
	CanReply    bool   `json:"-"`
	CanAccept   bool   `json:"-"`
	CanPromote  bool   `json:"-"`
	// PromoteWarns says the space is not open to the whole city: its
	// moderator is told, next to the button, that the draft will be read
	// by the city's article writers.
	PromoteWarns bool `json:"-"`
}

// postsPerPage is how many posts a thread's page shows.
const postsPerPage = 30

// ThreadView loads thread id for actor (NotFound when they may not read
// its space) with one page of its posts.
func (s *Service) ThreadView(ctx context.Context, actor *policy.Actor, id int64, p db.Page) (ThreadView, error) {
	q := s.db.R
	t, sp, tg, err := readableThread(ctx, q, actor, id)
	if err != nil {
		return ThreadView{}, err
	}
	v := ThreadView{Thread: t, Space: sp, CanModerate: policy.Can(actor, policy.SpaceModerate, tg)}
	v.CanReply = !t.Locked || v.CanModerate
	v.CanAccept = t.Question && (t.Author.ID == actor.AccountID || v.CanModerate)
	v.CanPromote = policy.Can(actor, policy.SpacePromote, tg)
	v.PromoteWarns = v.CanPromote && !tg.Space.OpenToCity()
	if p.Limit == 0 {
		p.Limit = postsPerPage
	}
	where, args := []string{"p.thread_id = $1"}, []any{id}
	if p.After != "" {
		var after int64
		if err := db.ParseCursor(p.After, &after); err != nil {
			return ThreadView{}, err
		}
		args = append(args, after)
		where = append(where, fmt.Sprintf("p.id > $%d", len(args)))
	}
	args = append(args, p.Size()+1)
	if v.Posts, err = queryPosts(ctx, q, `SELECT `+postColumns+postFrom+` WHERE `+strings.Join(where, " AND ")+
		fmt.Sprintf(` ORDER BY p.id LIMIT $%d`, len(args)), args...); err != nil {
		return ThreadView{}, err
	}
	if len(v.Posts) > p.Size() {
		v.Posts = v.Posts[:p.Size()]
		v.Next = cursorAfter(v.Posts[len(v.Posts)-1].ID)
	}
	first, err := firstPostID(ctx, q, id)
	if err != nil {
		return ThreadView{}, err
	}
	if t.AcceptedPostID != nil {
		acc, err := postByID(ctx, q, *t.AcceptedPostID)
		if err != nil {
			return ThreadView{}, err
		}
		v.Accepted = &acc
		v.Posts = append(v.Posts, acc) // decorated with the others, taken off below
	}
	if err := s.decorate(ctx, actor, v.Posts, t, first, v.CanModerate); err != nil {
		return ThreadView{}, err
	}
	if v.Accepted != nil {
		*v.Accepted = v.Posts[len(v.Posts)-1]
		v.Posts = v.Posts[:len(v.Posts)-1]
		if v.Accepted.Hidden && v.Accepted.Body == "" {
			v.Accepted = nil
		}
	}
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM thread_follows WHERE thread_id = $1 AND account_id = $2
		AND following = TRUE`, id, actor.AccountID).Scan(&n); err != nil {
		return ThreadView{}, fmt.Errorf("discuss: following: %w", err)
	}
	v.Following = n > 0
	a, found, err := knowledge.ByOrigin(ctx, q, knowledge.OriginThread, id)
	if err != nil {
		return ThreadView{}, err
	}
	if found {
		v.ArticleID = &a.ID
	}
	return v, nil
}

// cursorAfter is the cursor of the thread page after post id.
func cursorAfter(id int64) string { return db.Cursor(id) }

func queryPosts(ctx context.Context, q db.Querier, query string, args ...any) ([]Post, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("discuss: posts: %w", err)
	}
	defer rows.Close()
	var list []Post
	for rows.Next() {
		p, err := scanPost(rows)
		if err != nil {
			return nil, fmt.Errorf("discuss: posts: %w", err)
		}
		list = append(list, p)
	}
	return list, rows.Err()
}

func firstPostID(ctx context.Context, q db.Querier, threadID int64) (int64, error) {
	var id int64
	if err := q.QueryRowContext(ctx, `SELECT COALESCE(MIN(id), 0) FROM posts WHERE thread_id = $1`, threadID).Scan(&id); err != nil {
		return 0, fmt.Errorf("discuss: first post: %w", err)
	}
	return id, nil
}

// decorate marks the first and accepted posts, blanks hidden posts for
// those who may not see them, counts reactions and renders the Markdown.
func (s *Service) decorate(ctx context.Context, actor *policy.Actor, posts []Post, t Thread, first int64, moderator bool) error {
	if len(posts) == 0 {
		return nil
	}
	idx := map[int64][]int{}
	var in []string
	var args []any
	for i := range posts {
		p := &posts[i]
		p.First = p.ID == first
		p.Accepted = t.AcceptedPostID != nil && *t.AcceptedPostID == p.ID
		p.Reactions = map[string]int{}
		p.Mine = []string{}
		if p.Hidden && !moderator && p.Author.ID != actor.AccountID {
			p.Body, p.HiddenReason = "", ""
		}
		if _, seen := idx[p.ID]; !seen {
			args = append(args, p.ID)
			in = append(in, fmt.Sprintf("$%d", len(args)))
		}
		idx[p.ID] = append(idx[p.ID], i)
	}
	rows, err := s.db.R.QueryContext(ctx, `SELECT post_id, kind, account_id FROM post_reactions
		WHERE post_id IN (`+strings.Join(in, ", ")+`)`, args...)
	if err != nil {
		return fmt.Errorf("discuss: reactions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var post, account int64
		var kind string
		if err := rows.Scan(&post, &kind, &account); err != nil {
			return fmt.Errorf("discuss: reactions: %w", err)
		}
		for _, i := range idx[post] {
			posts[i].Reactions[kind]++
			if account == actor.AccountID {
				posts[i].Mine = append(posts[i].Mine, kind)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("discuss: reactions: %w", err)
	}
	return renderAll(ctx, s.db.R, posts)
}
