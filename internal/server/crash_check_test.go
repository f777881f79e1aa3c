package server_test

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/rollup"
	"github.com/lontara-id/lontara/internal/search"
	"github.com/lontara-id/lontara/internal/survey"
	"github.com/lontara-id/lontara/internal/training"
)

// ledger is what the server acknowledged to the crash test's clients,
// and the survey answers sent without an answer back.
type ledger struct {
	mu         sync.Mutex
	n          int
	tickets    map[string]ticketAck
	replies    map[int64]replyAck
	enrolments map[int64]training.Enrolment
	answered   map[int64]*tally // by campaign: acknowledged
	unsure     map[int64]*tally // by campaign: in flight at a kill
}

type ticketAck struct {
	subject, body string
	reporter      int64
}

type replyAck struct{ number, body string }

// tally counts a campaign's responses and, over them, each value given
// to each item: what the survey's anonymity lets one compare.
type tally struct {
	responses int
	values    map[survey.Answer]int
}

func newLedger() *ledger {
	return &ledger{tickets: map[string]ticketAck{}, replies: map[int64]replyAck{},
		enrolments: map[int64]training.Enrolment{}, answered: map[int64]*tally{}, unsure: map[int64]*tally{}}
}

func (l *ledger) acked() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.n
}

func (l *ledger) ticket(number string, a ticketAck) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.tickets[number] = a
	l.n++
}

func (l *ledger) reply(id int64, a replyAck) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.replies[id] = a
	l.n++
}

func (l *ledger) enrolment(e training.Enrolment) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.enrolments[e.ID] = e
	l.n++
}

func (l *ledger) answers(campaign int64, answers []survey.Answer, acked bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	to := l.unsure
	if acked {
		to = l.answered
		l.n++
	}
	tallyOf(to, campaign).add(answers)
}

func tallyOf(m map[int64]*tally, campaign int64) *tally {
	if m[campaign] == nil {
		m[campaign] = &tally{values: map[survey.Answer]int{}}
	}
	return m[campaign]
}

func (t *tally) add(answers []survey.Answer) {
	t.responses++
	for _, a := range answers {
		t.values[a]++
	}
}

// repliesOf returns the bodies of the replies acknowledged on a ticket.
func (l *ledger) repliesOf(number string) map[string]bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := map[string]bool{}
	for _, r := range l.replies {
		if r.number == number {
			out[r.body] = true
		}
	}
	return out
}

func (l *ledger) summary() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	answers, unsure := 0, 0
	for _, t := range l.answered {
		answers += t.responses
	}
	for _, t := range l.unsure {
		unsure += t.responses
	}
	return fmt.Sprintf("%d writes acknowledged: %d tickets, %d replies, %d enrolments, %d survey answers (%d more sent unanswered)",
		l.n, len(l.tickets), len(l.replies), len(l.enrolments), answers, unsure)
}

// check compares the database with the ledger; see the test's comment.
func (c *crashCity) check(t *testing.T, d *db.DB) {
	t.Helper()
	l := c.ledger
	l.mu.Lock()
	defer l.mu.Unlock()
	// One snapshot for all the counts: on PostgreSQL a backend of the
	// killed server may still finish a commit it had received, and a
	// survey move between two counts would show answers in neither place.
	opts := &sql.TxOptions{ReadOnly: true}
	if d.Engine() == db.Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := d.R.BeginTx(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	q := &querier{t: t, q: tx}
	c.checkTickets(q)
	c.checkReplies(q)
	c.checkEnrolments(q)
	for _, campaign := range c.campaigns {
		c.checkSurvey(q, campaign)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	c.checkRollups(t, d)
	dbtest.Integrity(t, d)
}

func (c *crashCity) checkTickets(q *querier) {
	for number, want := range c.ledger.tickets {
		var subject, body string
		var reporter int64
		if !q.row(`SELECT subject, body, reporter_account_id FROM tickets WHERE id = $1`, []any{ticketID(q.t, number)},
			&subject, &body, &reporter) {
			q.t.Errorf("ticket %s was acknowledged and is gone", number)
			continue
		}
		if subject != want.subject || body != want.body || reporter != want.reporter {
			q.t.Errorf("ticket %s is %q / %q by %d, acknowledged as %q / %q by %d", number, subject, body, reporter,
				want.subject, want.body, want.reporter)
		}
	}
	// Every ticket, acknowledged or not, is whole.
	q.none("tickets without their history's first entry", `SELECT count(*) FROM tickets t WHERE NOT EXISTS
		(SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND e.kind = 'created')`)
	q.none("tickets without their audit record", `SELECT count(*) FROM tickets t WHERE NOT EXISTS
		(SELECT 1 FROM audit_log a WHERE a.entity = 'ticket' AND a.action = 'create' AND a.entity_id = CAST(t.id AS TEXT))`)
	q.none("tickets without a search document", `SELECT count(*) FROM tickets t WHERE NOT EXISTS
		(SELECT 1 FROM search_docs s WHERE s.kind = 'ticket' AND s.doc_id = t.id)`)
}

func (c *crashCity) checkReplies(q *querier) {
	terms := map[int64]map[string]bool{} // by ticket: the words of its search document
	for id, want := range c.ledger.replies {
		ticket := ticketID(q.t, want.number)
		var on int64
		var body string
		if !q.row(`SELECT ticket_id, body FROM ticket_messages WHERE id = $1`, []any{id}, &on, &body) {
			q.t.Errorf("reply %d on %s was acknowledged and is gone", id, want.number)
			continue
		}
		if on != ticket || body != want.body {
			q.t.Errorf("reply %d is %q on ticket %d, acknowledged as %q on %s", id, body, on, want.body, want.number)
		}
		if terms[ticket] == nil {
			var doc string
			q.row(`SELECT body_terms FROM search_docs WHERE kind = 'ticket' AND doc_id = $1`, []any{ticket}, &doc)
			terms[ticket] = map[string]bool{}
			for _, w := range strings.Fields(doc) {
				terms[ticket][w] = true
			}
		}
		var missing []string
		for _, w := range strings.Fields(search.AnalyseText("", want.body).BodyTerms) {
			if !terms[ticket][w] {
				missing = append(missing, w)
			}
		}
		if len(missing) > 0 {
			q.t.Errorf("reply %d on %s: %q not in the ticket's search document", id, want.number, missing)
		}
	}
	q.none("replies without their history entry", `SELECT count(*) FROM ticket_messages m WHERE NOT EXISTS
		(SELECT 1 FROM ticket_events e WHERE e.ticket_id = m.ticket_id AND e.kind IN ('reply', 'note')
		AND e.new_value = CAST(m.id AS TEXT))`)
	q.none("public replies newer than their ticket's search document", `SELECT count(*) FROM ticket_messages m
		JOIN search_docs s ON s.kind = 'ticket' AND s.doc_id = m.ticket_id WHERE NOT m.internal AND s.updated_at < m.created_at`)
}

func (c *crashCity) checkEnrolments(q *querier) {
	for id, want := range c.ledger.enrolments {
		var event, employee int64
		var status, approval string
		if !q.row(`SELECT event_id, employee_id, status, approval FROM enrolments WHERE id = $1`, []any{id},
			&event, &employee, &status, &approval) {
			q.t.Errorf("enrolment %d was acknowledged and is gone", id)
			continue
		}
		if event != want.EventID || employee != want.EmployeeID || status != want.Status || approval != want.Approval {
			q.t.Errorf("enrolment %d is %d/%d %s/%s, acknowledged as %d/%d %s/%s", id, event, employee, status, approval,
				want.EventID, want.EmployeeID, want.Status, want.Approval)
		}
	}
	q.none("enrolments without their audit record", `SELECT count(*) FROM enrolments n WHERE NOT EXISTS
		(SELECT 1 FROM audit_log a WHERE a.entity = 'enrolment' AND a.action = 'enrol' AND a.entity_id = CAST(n.id AS TEXT))`)
	q.none("events with more people seated than seats", `SELECT count(*) FROM events e
		WHERE (SELECT count(*) FROM enrolments n WHERE n.event_id = e.id AND n.status = 'enrolled') > e.capacity`)
}

// checkSurvey counts a campaign's answers: answered invitations against
// those acknowledged (and those in flight), held plus moved responses
// against answered invitations, whole responses, and how often each value
// was given to each item. Nothing here pairs a person with an answer.
func (c *crashCity) checkSurvey(q *querier, campaign int64) {
	acked, unsure := tallyOf(c.ledger.answered, campaign), tallyOf(c.ledger.unsure, campaign)
	answered := q.count(`SELECT count(*) FROM survey_invitations WHERE campaign_id = $1 AND answered`, campaign)
	held := q.count(`SELECT count(*) FROM survey_pending WHERE campaign_id = $1`, campaign)
	moved := q.count(`SELECT count(*) FROM survey_responses WHERE campaign_id = $1`, campaign)
	if answered < acked.responses || answered > acked.responses+unsure.responses {
		q.t.Errorf("campaign %d: %d invitations answered; %d answers acknowledged, %d more in flight",
			campaign, answered, acked.responses, unsure.responses)
	}
	if held+moved != answered {
		q.t.Errorf("campaign %d: %d answers held and %d moved for %d invitations answered", campaign, held, moved, answered)
	}
	if n := q.count(`SELECT count(*) FROM survey_responses r WHERE r.campaign_id = $1
		AND (SELECT count(*) FROM survey_answers a WHERE a.response_id = r.id) <> $2`, campaign, len(c.items)); n > 0 {
		q.t.Errorf("campaign %d: %d responses without an answer to each of the %d items", campaign, n, len(c.items))
	}
	got := map[survey.Answer]int{}
	rows, err := q.q.QueryContext(context.Background(), `SELECT a.item_id, a.value, count(*) FROM survey_answers a JOIN survey_responses r
		ON r.id = a.response_id WHERE r.campaign_id = $1 GROUP BY a.item_id, a.value`, campaign)
	if err != nil {
		q.t.Fatal(err)
	}
	for rows.Next() {
		var a survey.Answer
		var n int
		if err := rows.Scan(&a.ItemID, &a.Value, &n); err != nil {
			q.t.Fatal(err)
		}
		got[a] += n
	}
	rows.Close()
	packed := q.texts(`SELECT answers FROM survey_pending WHERE campaign_id = $1`, campaign)
	for _, p := range packed { // "item:value,…", as survey.Submit holds them
		for pair := range strings.SplitSeq(p, ",") {
			item, value, _ := strings.Cut(pair, ":")
			id, _ := strconv.ParseInt(item, 10, 64)
			v, _ := strconv.Atoi(value)
			got[survey.Answer{ItemID: id, Value: v}]++
		}
	}
	for _, item := range c.items {
		for v := 1; v <= 6; v++ {
			a := survey.Answer{ItemID: item, Value: v}
			if got[a] < acked.values[a] || got[a] > acked.values[a]+unsure.values[a] {
				q.t.Errorf("campaign %d, item %d: value %d given %d times; acknowledged %d, %d more in flight",
					campaign, item, v, got[a], acked.values[a], unsure.values[a])
			}
		}
	}
}

// checkRollups refreshes the roll-ups from the marks the writes left and
// compares them with a rebuild from every row: a write whose mark was
// lost, or a mark without its write, shows as a difference.
func (c *crashCity) checkRollups(t *testing.T, d *db.DB) {
	t.Helper()
	ctx, r := context.Background(), rollup.New(d, c.zone)
	if _, err := r.Refresh(ctx, time.Now()); err != nil {
		t.Fatal(err)
	}
	kept := rollupRows(t, d)
	if err := r.Rebuild(ctx, time.Now()); err != nil {
		t.Fatal(err)
	}
	built := rollupRows(t, d)
	if len(built) == 0 {
		t.Error("the roll-ups hold nothing after the load")
	}
	for k, v := range built {
		if kept[k] != v {
			t.Errorf("roll-up %s: refreshed %q, rebuilt %q", k, kept[k], v)
		}
	}
	for k, v := range kept {
		if _, ok := built[k]; !ok {
			t.Errorf("roll-up %s: refreshed %q, rebuilt none", k, v)
		}
	}
}

func rollupRows(t *testing.T, d *db.DB) map[string]string {
	t.Helper()
	q := &querier{t: t, q: d.R}
	out := map[string]string{}
	for _, r := range q.texts(`SELECT figure || '/' || day || '/' || CAST(agency_id AS TEXT) || ' ' || CAST(n AS TEXT) || ' ' ||
		CAST(m AS TEXT) || ' ' || CAST(k AS TEXT) FROM rollup_days`) {
		k, v, _ := strings.Cut(r, " ")
		out[k] = v
	}
	return out
}

// querier reads the database for the checks, failing the test on an error.
type querier struct {
	t *testing.T
	q db.Querier
}

// row scans one row into dst and reports whether there was one.
func (q *querier) row(query string, args []any, dst ...any) bool {
	q.t.Helper()
	rows, err := q.q.QueryContext(context.Background(), query, args...)
	if err != nil {
		q.t.Fatal(err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			q.t.Fatal(err)
		}
		return false
	}
	if err := rows.Scan(dst...); err != nil {
		q.t.Fatal(err)
	}
	return true
}

func (q *querier) count(query string, args ...any) int {
	q.t.Helper()
	var n int
	q.row(query, args, &n)
	return n
}

// none fails the test when the count query finds any row: what names it.
func (q *querier) none(what, query string) {
	q.t.Helper()
	if n := q.count(query); n > 0 {
		q.t.Errorf("%d %s", n, what)
	}
}

func (q *querier) texts(query string, args ...any) []string {
	q.t.Helper()
	rows, err := q.q.QueryContext(context.Background(), query, args...)
	if err != nil {
		q.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			q.t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		q.t.Fatal(err)
	}
	return out
}
