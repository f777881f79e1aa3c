package demo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/auth"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/discuss"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/knowledge"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/search"
	"github.com/lontara-id/lontara/internal/survey"
)

// TestGenerateHistory loads a ministry-shaped world of a few thousand
// people with its history on both engines and holds the history to the
// services' rules and readings.
func TestGenerateHistory(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		start := time.Now()
		res, err := load(ctx, d, ministry(), 3000, 7, true)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("loaded %d people and %d history rows in %v", res.Employees, sum(res.History), time.Since(start))
		t.Run("VocabularyLearnt", func(t *testing.T) { // before the checks below write documents of their own
			if n := count(t, d, `SELECT count(*) FROM search_unlearnt`); n > 0 {
				t.Errorf("%d search documents not learnt", n)
			}
			if n := count(t, d, `SELECT count(*) FROM search_terms WHERE term = 'aplikasi'`); n == 0 {
				t.Error("the vocabulary lacks aplikasi")
			}
		})
		t.Run("Sizes", func(t *testing.T) { checkHistorySizes(t, d, res) })
		t.Run("Helpdesk", func(t *testing.T) { checkHistoryDesk(t, d, res.History["tickets"]) })
		t.Run("Search", func(t *testing.T) { checkHistorySearch(t, d, res.SuperadminEmail) })
		t.Run("Training", func(t *testing.T) { checkHistoryTraining(t, d, res.Employees) })
		t.Run("Discussions", func(t *testing.T) { checkHistoryTalk(t, d) })
		t.Run("Survey", func(t *testing.T) { checkHistorySurvey(t, d, res.Employees) })
		t.Run("IndexesRestored", func(t *testing.T) { checkIndexesRestored(t, d) })
		t.Run("EveryDocFindable", func(t *testing.T) { // as search.Put leaves them
			if n := count(t, d, `SELECT count(*) FROM search_docs WHERE audience = ''`); n > 0 {
				t.Errorf("%d search documents found by no one", n)
			}
		})
		t.Run("NewRowsGetFreeIDs", func(t *testing.T) {
			for _, q := range []string{
				`INSERT INTO thanks (giver_id, receiver_id, reason, created_at) VALUES (1, 2, 'x', $1) RETURNING id`,
				`INSERT INTO threads (space_id, title, author_account_id, last_post_at, created_at, updated_at)
					VALUES (1, 'x', 1, $1, $1, $1) RETURNING id`,
				`INSERT INTO survey_campaigns (instrument_id, title, period, opens_at, closes_at, created_at, updated_at)
					VALUES (1, 'x', 'x', $1, $1, $1, $1) RETURNING id`,
			} {
				if _, err := db.InsertID(ctx, d.W, q, time.Now().UTC()); err != nil {
					t.Errorf("insert after the history: %v", err)
				}
			}
		})
	})
}

// TestHistoryFailedKeepsIndexes: a load cancelled while its parts write
// still gets back the indexes and foreign keys it dropped.
func TestHistoryFailedKeepsIndexes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		indexesDropped = cancel // the parts then start on a context already done
		defer func() { indexesDropped = nil }()
		_, err := load(ctx, d, ministry(), 1000, 7, true)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("load: %v, want it cancelled", err)
		}
		checkIndexesRestored(t, d)
	})
}

// checkIndexesRestored: d has the indexes and foreign keys of a freshly
// migrated database.
func checkIndexesRestored(t *testing.T, d *db.DB) {
	fresh, err := db.OpenMigrated(context.Background(), dbtest.DSN(t, d.Engine()))
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	if got, want := indexSet(t, d), indexSet(t, fresh); !slices.Equal(got, want) {
		t.Errorf("indexes and foreign keys after the load:\n%v\nwant those of a new database:\n%v", got, want)
	}
}

// indexQuery lists the indexes and foreign keys of a database.
func indexQuery(d *db.DB) string {
	if d.Engine() == db.Postgres {
		return `SELECT 'index ' || indexname FROM pg_indexes WHERE schemaname = current_schema()
			UNION ALL SELECT 'foreign key ' || c.conname || ' on ' || r.relname FROM pg_constraint c
			JOIN pg_class r ON r.oid = c.conrelid JOIN pg_namespace n ON n.oid = r.relnamespace
			WHERE c.contype = 'f' AND n.nspname = current_schema() ORDER BY 1`
	}
	return `SELECT 'index ' || name FROM sqlite_master WHERE type = 'index' ORDER BY 1`
}

func indexSet(t *testing.T, d *db.DB) []string { return column(t, d, indexQuery(d)) }

// column runs a query of one text column.
func column(t *testing.T, d *db.DB, q string, args ...any) []string {
	t.Helper()
	rows, err := d.R.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// count runs a query of one number.
func count(t *testing.T, d *db.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := d.R.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// checkHistorySizes: the rates give the sizes, the result counts what the
// tables hold.
func checkHistorySizes(t *testing.T, d *db.DB, res Result) {
	days := historyYears * 365
	want := map[string]int{
		"tickets":          res.Employees * ticketsPerThousandDaily * days / 1000,
		"enrolments":       res.Employees * enrolmentsPerPersonYearly * historyYears,
		"posts":            res.Employees * postsPerHundredYearly * historyYears / 100,
		"articles":         res.Employees * articlesPerThousand / 1000,
		"survey_campaigns": surveysPerYear * historyYears,
		"thanks":           res.Employees * thanksPerHundredYearly * historyYears / 100,
	}
	for table, n := range want {
		if got := res.History[table]; got < n*8/10 || got > n*12/10 {
			t.Errorf("%s: %d rows, want about %d", table, got, n)
		}
	}
	for _, table := range []string{"survey_invitations", "survey_answers", "learning_records", "search_docs"} {
		// The demo's own activity (LoadCity's) adds a few rows to some.
		if got := count(t, d, `SELECT count(*) FROM `+table); got < res.History[table] || res.History[table] == 0 {
			t.Errorf("%s: %d rows, the result says %d of the history", table, got, res.History[table])
		}
	}
}

// checkHistoryDesk: SLA dues as the policies set them, a settled past,
// and the help desk reads the tickets whole.
func checkHistoryDesk(t *testing.T, d *db.DB, tickets int) {
	ctx, sys := context.Background(), policy.SystemActor("test")
	// The history's tickets come after the demo desk's, which keep some
	// older than settled open.
	first := count(t, d, `SELECT max(id) FROM tickets`) - tickets + 1
	targets, err := helpdesk.SLATargets(ctx, d.R)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := d.R.Query(`SELECT id, priority, created_at, first_response_due, resolution_due FROM tickets`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var p string
		var created, first, resolution time.Time
		if err := rows.Scan(&id, &p, &created, &first, &resolution); err != nil {
			t.Fatal(err)
		}
		if first.Sub(created) != time.Duration(targets[p][0])*time.Minute ||
			resolution.Sub(created) != time.Duration(targets[p][1])*time.Minute {
			t.Fatalf("ticket %d (%s): dues %v and %v after filing", id, p, first.Sub(created), resolution.Sub(created))
		}
	}
	if n := count(t, d, `SELECT count(*) FROM tickets WHERE created_at < $1 AND status NOT IN ('resolved', 'closed')
		AND id >= $2`, time.Now().UTC().Add(-settled-time.Hour), first); n != 0 {
		t.Errorf("%d tickets older than %v still open", n, settled)
	}
	if n := count(t, d, `SELECT count(*) FROM tickets t WHERE t.status <> 'new' AND NOT EXISTS (SELECT 1 FROM ticket_events e
		WHERE e.ticket_id = t.id AND e.kind = 'first_response')`); n != 0 {
		t.Errorf("%d answered tickets without a first response", n)
	}
	desk := helpdesk.NewService(d)
	last := int64(count(t, d, `SELECT max(id) FROM tickets WHERE created_at < $1`, time.Now().UTC().Add(-settled)))
	tk, err := desk.GetTicket(ctx, sys, helpdesk.Number(last))
	if err != nil || (tk.Status != "closed" && tk.Status != "resolved") || len(tk.Messages) < 2 || len(tk.History) < 4 {
		t.Errorf("ticket %d: %s, %d messages, %d events, %v", last, tk.Status, len(tk.Messages), len(tk.History), err)
	}
	now := time.Now().UTC()
	r, err := desk.HelpdeskReport(ctx, sys, helpdesk.ReportFilter{From: now.AddDate(-1, 0, 0), To: now})
	if err != nil || r.Tickets < 1000 || r.Satisfaction.Count == 0 || r.SLA.Resolution.Met == 0 {
		t.Errorf("a year's report: %d tickets, %+v, SLA %+v, %v", r.Tickets, r.Satisfaction, r.SLA, err)
	}
}

// checkHistorySearch: every ticket, post and article of the history is in
// the index as its owner would put it there — taken out, the owner's
// IndexMissing puts it back the same — and a search finds them.
func checkHistorySearch(t *testing.T, d *db.DB, super string) {
	ctx := context.Background()
	for _, table := range []struct{ kind, table, where string }{
		{search.KindTicket, "tickets", "TRUE"}, {search.KindPost, "posts", "hidden_at IS NULL"},
		{search.KindArticle, "articles", "TRUE"}} {
		if n := count(t, d, `SELECT count(*) FROM `+table.table+` x WHERE `+table.where+` AND NOT EXISTS
			(SELECT 1 FROM search_docs s WHERE s.kind = $1 AND s.doc_id = x.id)`, table.kind); n != 0 {
			t.Errorf("%d %s not indexed", n, table.table)
		}
	}
	jobs := map[string]func(context.Context, time.Time) error{
		search.KindTicket:  helpdesk.NewService(d).IndexMissing,
		search.KindPost:    discuss.NewService(d, auth.ActorsIn).IndexMissing,
		search.KindArticle: knowledge.NewService(d).IndexMissing,
	}
	for kind, job := range jobs {
		// The newest document of the kind, and an accepted answer's (ranked up).
		ids, err := db.IDs(ctx, d.R, `SELECT COALESCE(max(doc_id), 0) FROM search_docs WHERE kind = $1
			UNION SELECT COALESCE(min(accepted_post_id), 0) FROM threads WHERE $1 = 'post'`, kind)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			if id == 0 {
				continue
			}
			loaded := indexed(t, d, kind, id)
			if err := search.Remove(ctx, d.W, kind, id); err != nil {
				t.Fatal(err)
			}
			if err := job(ctx, time.Now()); err != nil {
				t.Fatal(err)
			}
			if again := indexed(t, d, kind, id); again != loaded {
				t.Errorf("%s %d loaded as\n%s\nindexed by its owner as\n%s", kind, id, loaded, again)
			}
		}
	}
	var superID int64
	if err := d.R.QueryRow(`SELECT a.id FROM accounts a JOIN employees e ON e.id = a.employee_id WHERE e.email = $1`,
		super).Scan(&superID); err != nil {
		t.Fatal(err)
	}
	actors, err := auth.ActorsIn(ctx, d.R, []int64{superID})
	if err != nil {
		t.Fatal(err)
	}
	// Each type finds one of its own by its title.
	for typ, q := range map[string]string{
		search.TypeTicket:  `SELECT subject FROM tickets ORDER BY id DESC LIMIT 1`,
		search.TypeThread:  `SELECT title FROM threads ORDER BY id DESC LIMIT 1`,
		search.TypeArticle: `SELECT title FROM articles WHERE status = 'published' ORDER BY id DESC LIMIT 1`,
	} {
		var title string
		if err := d.R.QueryRow(q).Scan(&title); err != nil {
			t.Fatal(err)
		}
		a, err := search.NewService(d, discuss.SearchKeys).Search(ctx, actors[superID], search.Request{Text: title, Type: typ})
		if err != nil || len(a.Items) == 0 {
			t.Errorf("search %s for %q: %d found, %v", typ, title, len(a.Items), err)
		}
	}
}

// indexed describes a document's index entry, its row id aside.
func indexed(t *testing.T, d *db.DB, kind string, id int64) string {
	t.Helper()
	var row int64
	var ref, title, body, audience, titleText, bodyText string
	var app *int64
	var helpful int
	var updated time.Time
	if err := d.R.QueryRow(`SELECT s.id, s.ref, s.app_id, s.helpful, s.updated_at, s.title_terms, s.body_terms, s.audience,
		x.title, x.body FROM search_docs s JOIN search_texts x ON x.doc = s.id WHERE s.kind = $1 AND s.doc_id = $2`, kind, id).
		Scan(&row, &ref, &app, &helpful, &updated, &title, &body, &audience, &titleText, &bodyText); err != nil {
		t.Fatalf("%s %d: %v", kind, id, err)
	}
	keys := strings.Fields(audience)
	slices.Sort(keys)
	appID := int64(0)
	if app != nil {
		appID = *app
	}
	return fmt.Sprintf("ref %s app %d helpful %d updated %s keys %v\n title %q\n body %q\n text %q / %q", ref, appID,
		helpful, updated.UTC().Format(time.RFC3339Nano), keys, title, body, titleText, bodyText)
}

// checkHistoryTraining: completions as finishing an event leaves them —
// enough attendance, one ledger record with the event's JP dated when its
// last session ended — and about enrolmentsPerPersonYearly a person.
func checkHistoryTraining(t *testing.T, d *db.DB, people int) {
	if n := count(t, d, `SELECT count(*) FROM enrolments n WHERE n.status = 'completed' AND NOT EXISTS (SELECT 1
		FROM learning_records r JOIN events e ON e.id = r.event_id WHERE r.source_kind = 'enrolment' AND r.source_id = n.id
		AND r.employee_id = n.employee_id AND r.jp = e.jp AND r.completed_at = e.ends_at AND n.completed_at = e.ends_at)`); n != 0 {
		t.Errorf("%d completions without their ledger record", n)
	}
	if n := count(t, d, `SELECT count(*) FROM learning_records r WHERE r.source_kind = 'enrolment' AND NOT EXISTS
		(SELECT 1 FROM enrolments n WHERE n.id = r.source_id AND n.status = 'completed')`); n != 0 {
		t.Errorf("%d ledger records of no completion", n)
	}
	if n := count(t, d, `SELECT count(*) FROM enrolments n WHERE n.status = 'completed' AND
		(SELECT count(*) FROM session_attendance a WHERE a.enrolment_id = n.id) * 4 <
		(SELECT count(*) FROM event_sessions s WHERE s.event_id = n.event_id) * 3`); n != 0 {
		t.Errorf("%d completions without enough attendance", n)
	}
	if n := count(t, d, `SELECT count(*) FROM events e WHERE e.finished_at IS NOT NULL AND e.finished_at <
		(SELECT max(s.starts_at) FROM event_sessions s WHERE s.event_id = e.id)`); n != 0 {
		t.Errorf("%d events finished before their last session", n)
	}
	jp := count(t, d, `SELECT COALESCE(SUM(jp), 0) FROM learning_records WHERE completed_at >= $1`,
		time.Now().UTC().AddDate(-1, 0, 0))
	if per := jp / people; per < 5 || per > 30 {
		t.Errorf("%d JP a person in the last year", per)
	}
}

// checkHistoryTalk: threads count their posts and name their last, an
// accepted answer is a reply of someone else in the thread, and ideas
// count their votes.
func checkHistoryTalk(t *testing.T, d *db.DB) {
	if n := count(t, d, `SELECT count(*) FROM threads t WHERE t.post_count <> (SELECT count(*) FROM posts p
		WHERE p.thread_id = t.id) OR t.last_post_id <> (SELECT max(p.id) FROM posts p WHERE p.thread_id = t.id)`); n != 0 {
		t.Errorf("%d threads miscount their posts", n)
	}
	if n := count(t, d, `SELECT count(*) FROM threads t JOIN posts p ON p.id = t.accepted_post_id
		WHERE p.thread_id <> t.id OR p.author_account_id = t.author_account_id OR NOT t.question`); n != 0 {
		t.Errorf("%d answers accepted wrongly", n)
	}
	if n := count(t, d, `SELECT count(*) FROM ideas i WHERE i.votes <> (SELECT count(*) FROM idea_votes v
		WHERE v.idea_id = i.id) OR (i.answered_at IS NULL) <> (i.status = 'new')`); n != 0 {
		t.Errorf("%d ideas miscount their votes or answers", n)
	}
	if n := count(t, d, `SELECT count(*) FROM articles a WHERE a.status = 'published' AND NOT EXISTS
		(SELECT 1 FROM article_events e WHERE e.article_id = a.id AND e.to_status = 'published')`); n != 0 {
		t.Errorf("%d articles published without the event", n)
	}
}

// checkHistorySurvey: six closed campaigns, a half-year each; invitations
// tell who answered, responses only their agency, as many per agency as
// answered; the survey reads the last with its change and reliability.
func checkHistorySurvey(t *testing.T, d *db.DB, people int) {
	ctx := context.Background()
	ids, err := db.IDs(ctx, d.R, `SELECT id FROM survey_campaigns WHERE status = 'closed' ORDER BY closes_at`)
	if err != nil || len(ids) != surveysPerYear*historyYears {
		t.Fatalf("closed campaigns %v, %v", ids, err)
	}
	if n := count(t, d, `SELECT count(*) FROM survey_campaigns WHERE period NOT LIKE '%-H_'`); n != 0 {
		t.Errorf("%d campaigns not of a half-year", n)
	}
	if n := count(t, d, `SELECT count(*) FROM survey_campaign_agencies ca WHERE (SELECT count(*) FROM survey_invitations i
		WHERE i.campaign_id = ca.campaign_id AND i.agency_id = ca.agency_id AND i.answered) <>
		(SELECT count(*) FROM survey_responses r WHERE r.campaign_id = ca.campaign_id AND r.agency_id = ca.agency_id)
		AND (SELECT count(*) FROM survey_responses r WHERE r.campaign_id = ca.campaign_id AND r.agency_id = ca.agency_id) > 0`); n != 0 {
		t.Errorf("%d agencies whose responses differ from their answered invitations", n)
	}
	if n := count(t, d, `SELECT count(*) FROM survey_responses r WHERE (SELECT count(*) FROM survey_answers a
		WHERE a.response_id = r.id) <> (SELECT count(*) FROM survey_items)`); n != 0 {
		t.Errorf("%d responses without every item answered", n)
	}
	s := survey.NewService(d, cityZone())
	exec := &policy.Actor{Grants: []policy.Grant{{Role: policy.Executive}}}
	ov, err := s.Overview(ctx, exec, ids[len(ids)-1], "id")
	if err != nil {
		t.Fatal(err)
	}
	c := ov.City
	if c == nil || c.Suppressed || float64(c.Respondents) < float64(people)*surveyRateMin*0.9 || len(c.Dimensions) != 7 ||
		c.PreviousID == nil || *c.PreviousID != ids[len(ids)-2] {
		t.Fatalf("city = %+v", c)
	}
	for _, dim := range c.Dimensions {
		if dim.Change == nil || dim.Alpha == nil || *dim.Alpha < 0.5 {
			t.Errorf("%s: score %.2f, change %v, alpha %v", dim.Key, dim.Score, dim.Change, dim.Alpha)
		}
	}
	if !strings.HasSuffix(ov.Campaign.Period, "-H1") && !strings.HasSuffix(ov.Campaign.Period, "-H2") {
		t.Errorf("period %q", ov.Campaign.Period)
	}
}
