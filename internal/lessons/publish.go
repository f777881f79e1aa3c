package lessons

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/knowledge"
	"github.com/lontara-id/lontara/internal/policy"
)

// Publish makes the lesson a draft knowledge article, in lang's headings,
// and keeps the article's id on the lesson; the knowledge base's review
// takes the draft from there. The publisher must be allowed to write the
// lesson and to write articles. A lesson already published is a Conflict.
func (s *Service) Publish(ctx context.Context, actor *policy.Actor, id int64, lang string) (Lesson, error) {
	if err := signedIn(actor); err != nil {
		return Lesson{}, err
	}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		l, err := load(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := policy.Check(actor, policy.LessonWrite, policy.Target{AgencyID: agencyOf(l.AgencyID)}); err != nil {
			return err
		}
		if l.ArticleID != nil {
			return errs.New(errs.Conflict, "lessons.published")
		}
		a, err := knowledge.CreateDraft(ctx, tx, actor, knowledge.Draft{Title: l.Title, Body: articleBody(lang, l)})
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE lessons SET article_id = $1 WHERE id = $2 AND article_id IS NULL`, a.ID, id)
		if err != nil {
			return fmt.Errorf("lessons: publish %d: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("lessons: publish %d: %w", id, err)
		} else if n == 0 {
			return errs.New(errs.Conflict, "lessons.published")
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "update", Entity: "lesson", EntityID: id,
			AgencyID: agencyOf(l.AgencyID), After: map[string]any{"article_id": a.ID}})
	})
	if err != nil {
		return Lesson{}, err
	}
	return s.Get(ctx, actor, id)
}

// articleBody writes the lesson's four parts under their headings, and
// the tickets and problems it came from.
func articleBody(lang string, l Lesson) string {
	var b strings.Builder
	for _, part := range []struct{ key, text string }{{"lessons.field.happened", l.Happened},
		{"lessons.field.expected", l.Expected}, {"lessons.field.learned", l.Learned}, {"lessons.field.changes", l.Changes}} {
		if part.text != "" {
			fmt.Fprintf(&b, "## %s\n\n%s\n\n", i18n.T(lang, part.key), part.text)
		}
	}
	var refs []string
	for _, r := range append(append([]Ref{}, l.Tickets...), l.Problems...) {
		refs = append(refs, r.Number)
	}
	if len(refs) > 0 {
		fmt.Fprintf(&b, "%s: %s\n", i18n.T(lang, "lessons.field.refs"), strings.Join(refs, ", "))
	}
	return strings.TrimSpace(b.String())
}
