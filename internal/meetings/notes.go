package meetings

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/discuss"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/ics"
	"github.com/lontara-id/lontara/internal/knowledge"
	"github.com/lontara-id/lontara/internal/policy"
)

// articleOf returns the id of the article made from a meeting's notes.
func articleOf(ctx context.Context, q db.Querier, id int64) (*int64, error) {
	a, found, err := knowledge.ByOrigin(ctx, q, knowledge.OriginMeeting, id)
	if err != nil || !found {
		return nil, err
	}
	return &a.ID, nil
}

// ToArticle makes the meeting's notes a draft article (its origin the
// meeting), or returns the one already made: a meeting becomes one article
// however often it is asked. Whoever may change the meeting and promote
// what is said in its space (policy.SpacePromote: a writer, and for a room
// not open to the whole city its moderator too, since every writer reads
// drafts) may; the notes must exist.
func (s *Service) ToArticle(ctx context.Context, actor *policy.Actor, id int64, lang string) (int64, error) {
	var article int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		m, space, err := s.manageable(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if err := s.mayPromote(ctx, tx, actor, space); err != nil {
			return err
		}
		if a, found, err := knowledge.ByOrigin(ctx, tx, knowledge.OriginMeeting, id); err != nil || found {
			article = a.ID
			return err
		}
		if m.Notes == "" {
			return errs.New(errs.Conflict, "meeting.no_notes")
		}
		a, err := knowledge.CreateDraft(ctx, tx, actor, knowledge.Draft{
			Title: i18n.T(lang, "meeting.article_title", m.Title), Body: s.articleBody(m, lang),
			OriginKind: knowledge.OriginMeeting, OriginID: m.ID})
		if err != nil {
			return err
		}
		article = a.ID
		return nil
	})
	return article, err
}

// articleBody is the draft's Markdown: when and where the meeting was,
// its agenda, then its notes; the reviewers edit it into an article.
func (s *Service) articleBody(m Meeting, lang string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n", i18n.T(lang, "meeting.article_intro", m.StartsAt.In(s.zone).Format("02-01-2006 15:04 MST"), m.SpaceName))
	if m.Agenda != "" {
		fmt.Fprintf(&b, "## %s\n\n%s\n\n", i18n.T(lang, "meeting.agenda"), m.Agenda)
	}
	fmt.Fprintf(&b, "## %s\n\n%s\n", i18n.T(lang, "meeting.notes"), m.Notes)
	return b.String()
}

// Calendar returns the meeting as an iCalendar file for the actor's
// calendar app; base is the site's public URL ("" for none).
func (s *Service) Calendar(ctx context.Context, actor *policy.Actor, id int64, base string) ([]byte, error) {
	m, _, err := s.readable(ctx, s.db.R, actor, id)
	if err != nil {
		return nil, err
	}
	// The page's address only from the configured public URL: a request's
	// Host header is the client's to say.
	desc := m.Agenda
	if base != "" {
		desc = strings.TrimSpace(desc + "\n\n" + strings.TrimSuffix(base, "/") + Link(m.ID))
	}
	return ics.Calendar(ics.Event{UID: fmt.Sprintf("meeting-%d@lontara", m.ID), Sequence: m.Sequence,
		Start: m.StartsAt, End: m.EndsAt, Summary: m.Title, Description: desc,
		Location: m.Link, URL: m.Link, Cancelled: m.CancelledAt != nil, Stamp: m.UpdatedAt}), nil
}

// mayPromote checks that actor may make an article of what was said in
// space (policy.SpacePromote).
func (s *Service) mayPromote(ctx context.Context, q db.Querier, actor *policy.Actor, space discuss.Space) error {
	t, err := discuss.Target(ctx, q, actor, space)
	if err != nil {
		return err
	}
	return policy.Check(actor, policy.SpacePromote, t)
}
