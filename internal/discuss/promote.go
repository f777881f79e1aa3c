package discuss

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/knowledge"
	"github.com/lontara-id/lontara/internal/policy"
)

// Promote makes a draft knowledge article of a thread the actor may read
// (those policy.SpacePromote allows: article writers, and for a space not
// open to the whole city one who moderates it too, since every writer
// reads drafts): the thread's title, and as its body
// the question and its accepted answer or, without one, the thread's
// visible posts in order, with who wrote them and a link back. A thread
// makes one article: asked again, Promote returns the one made before with
// created false.
func (s *Service) Promote(ctx context.Context, actor *policy.Actor, threadID int64) (a knowledge.Article, created bool, err error) {
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		// Who may promote, and so who reads the draft, follows the
		// thread's space and its openness as they are (holdPlace).
		if err := s.holdPlace(ctx, tx, threadID); err != nil {
			return err
		}
		t, sp, tg, err := readableThread(ctx, tx, actor, threadID)
		if err != nil {
			return err
		}
		if err := policy.Check(actor, policy.SpacePromote, tg); err != nil {
			return err
		}
		var found bool
		if a, found, err = knowledge.ByOrigin(ctx, tx, knowledge.OriginThread, t.ID); err != nil || found {
			return err
		}
		body, err := articleBody(ctx, tx, t, sp)
		if err != nil {
			return err
		}
		a, err = knowledge.CreateDraft(ctx, tx, actor, knowledge.Draft{Title: t.Title, Body: body,
			OriginKind: knowledge.OriginThread, OriginID: t.ID})
		created = err == nil
		return err
	})
	if _, unique := s.db.Dialect.UniqueViolation(err); unique {
		return s.Promote(ctx, actor, threadID) // made at the same moment by someone else: theirs is the one
	}
	return a, created, err
}

// articleBody writes a thread as an article's Markdown, in the city's
// first language (the draft is edited from there).
func articleBody(ctx context.Context, q db.Querier, t Thread, sp Space) (string, error) {
	posts, err := queryPosts(ctx, q, `SELECT `+postColumns+postFrom+` WHERE p.thread_id = $1 AND p.hidden_at IS NULL
		ORDER BY p.id LIMIT 200`, t.ID)
	if err != nil {
		return "", err
	}
	lang := i18n.ID
	var b strings.Builder
	var names []string
	named := map[string]bool{}
	name := func(n string) {
		if !named[n] {
			named[n] = true
			names = append(names, n)
		}
	}
	var accepted *Post
	for i := range posts {
		if t.AcceptedPostID != nil && posts[i].ID == *t.AcceptedPostID {
			accepted = &posts[i]
		}
	}
	switch {
	case len(posts) > 0 && accepted != nil && posts[0].ID != accepted.ID:
		fmt.Fprintf(&b, "## %s\n\n%s\n\n## %s\n\n%s\n\n", i18n.T(lang, "discuss.article.question"), posts[0].Body,
			i18n.T(lang, "discuss.article.answer"), accepted.Body)
		name(posts[0].Author.Name)
		name(accepted.Author.Name)
	default:
		for i, p := range posts {
			if i > 0 {
				fmt.Fprintf(&b, "**%s:**\n\n", p.Author.Name)
			}
			b.WriteString(p.Body + "\n\n")
			name(p.Author.Name)
		}
	}
	fmt.Fprintf(&b, "---\n\n_%s_\n", i18n.T(lang, "discuss.article.origin", escapeMD(t.Title), ThreadLink(t.ID, 0),
		escapeMD(sp.Name), escapeMD(strings.Join(names, ", "))))
	return b.String(), nil
}

// escapeMD keeps names and titles literal inside the attribution's Markdown.
func escapeMD(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`, `*`, `\*`, `_`, `\_`, "`", "\\`", `<`, `\<`)
	return r.Replace(s)
}
