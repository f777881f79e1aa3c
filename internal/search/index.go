package search

import (
	"context"
	"strconv"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/policy"
)

// The kinds of documents the one search finds. A discussion is indexed
// post by post (a thread's first post carries its title), and a post's
// result is its thread.
const (
	KindArticle = "article"
	KindPost    = "post"
	KindTicket  = "ticket"
)

// Doc is one searchable thing as the package that owns it describes it.
// Owners Put a Doc in the same transaction as the change that made or
// altered it and Remove it when it is deleted or hidden, so the index
// never shows what its owner no longer shows.
type Doc struct {
	Kind string // KindArticle, KindPost or KindTicket
	ID   int64  // the article's, post's or ticket's id
	// Ref is what a result names as its id and links to: an article's id,
	// a post's thread id, a ticket's number ("T-000123").
	Ref   string
	Title string // a post's thread title
	Body  string // Markdown or plain text
	// Audience lists the keys of who may find the document (Everyone,
	// Account(id), Agency(id), Space(id), Desk, Writers); a searcher finds
	// it when they hold at least one. An empty audience finds no one.
	Audience []string
	AppID    int64     // the application it is about, 0 for none
	Helpful  int       // votes, accepted answers: raises its rank
	Updated  time.Time // fresher ranks higher
}

// Audience keys. Documents carry them; a searcher's keys come from their
// grants and from the KeySources the owners register.
const (
	Everyone = "all"     // every signed-in person
	Desk     = "desk"    // the help desk (policy.HelpdeskRoles)
	Writers  = "writers" // those who write and review articles (policy.ArticleWrite)
)

// Account is the key of one person's account.
func Account(id int64) string { return "a" + strconv.FormatInt(id, 10) }

// Agency is the key of an agency's staff.
func Agency(id int64) string { return "g" + strconv.FormatInt(id, 10) }

// Space is the key of those who may read a discussion space.
func Space(id int64) string { return "s" + strconv.FormatInt(id, 10) }

// KeySource adds the keys an owner knows a searcher holds, for example the
// spaces a person may read. Sources are given to the search service when
// the server is put together.
type KeySource func(ctx context.Context, q db.Querier, actor *policy.Actor) ([]string, error)

// Put adds or replaces d in the index, in the caller's transaction.
func Put(ctx context.Context, q db.Querier, d Doc) error { return nil }

// Remove takes a document out of the index, in the caller's transaction.
func Remove(ctx context.Context, q db.Querier, kind string, id int64) error { return nil }
