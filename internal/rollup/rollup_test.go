package rollup_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/loindex"
	"github.com/lontara-id/lontara/internal/period"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/rollup"
)

var zone = time.FixedZone("WITA", 8*3600)

// TestRollupsEqualFullRecomputation generates random agencies, people and
// a year of tickets, ledger records, answers, articles and self-service on
// each engine, then changes them at random round after round — tickets
// resolved, reopened, paused, moved, deleted; records moved and deleted;
// answers accepted and hidden; articles published, unpublished, their
// first publication deleted; people moved and deactivated — and after each
// round checks that what the incremental refresh kept equals a rebuild from
// the rows, row for row, and that every agency's and the city's LO index
// read through the roll-ups equals the one computed from every row, for
// the periods a dashboard shows.
func TestRollupsEqualFullRecomputation(t *testing.T) {
	for seed := range uint64(5) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, d *db.DB) {
				g := newWorld(t, d, seed)
				g.populate()
				now := g.now
				svc := loindex.NewService(d, zone)
				svc.SetClock(func() time.Time { return now })
				if _, err := svc.Rollups().Refresh(context.Background(), now); err != nil {
					t.Fatal(err)
				}
				for round := range 4 {
					g.change(40)
					n, err := svc.Rollups().Refresh(context.Background(), now)
					if err != nil {
						t.Fatal(err)
					}
					if n == 0 {
						t.Fatalf("round %d: 40 changes marked no day", round)
					}
					g.compareRows(round, svc)
					g.compareIndexes(round, now)
					now = now.Add(7 * time.Hour) // windows close and tickets fall due between rounds
					g.now = now
				}
			})
		})
	}
}

// TestRefreshTwiceAtOnce runs two refreshes at a time (two nodes' jobs)
// over and over while rows change, and checks that what they kept equals
// a rebuild: no change slips between a run's reading of the marks and its
// recomputation, and two runs do not undo each other.
func TestRefreshTwiceAtOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		g := newWorld(t, d, 42)
		g.populate()
		svc := loindex.NewService(d, zone)
		ctx := context.Background()
		if _, err := svc.Rollups().Refresh(ctx, g.now); err != nil {
			t.Fatal(err)
		}
		errs := make(chan error, 2)
		done := make(chan struct{})
		for range 2 {
			go func() {
				var err error
				for err == nil {
					select {
					case <-done:
						errs <- nil
						return
					default:
					}
					_, err = rollup.New(d, zone).Refresh(ctx, g.now)
				}
				errs <- err
			}()
		}
		g.change(80)
		close(done)
		for range 2 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		if _, err := svc.Rollups().Refresh(ctx, g.now); err != nil {
			t.Fatal(err)
		}
		g.compareRows(0, svc)
	})
}

// compareRows checks the kept rows against a rebuild from scratch.
func (g *world) compareRows(round int, svc *loindex.Service) {
	g.t.Helper()
	kept := g.rows()
	if len(kept) == 0 {
		g.t.Fatal("nothing kept")
	}
	if err := svc.Rollups().Rebuild(context.Background(), g.now); err != nil {
		g.t.Fatal(err)
	}
	built := g.rows()
	for k, v := range built {
		if kept[k] != v {
			g.t.Errorf("round %d: %s kept %v, rebuilt %v", round, k, kept[k], v)
		}
	}
	for k, v := range kept {
		if _, ok := built[k]; !ok {
			g.t.Errorf("round %d: %s kept %v, rebuilt none", round, k, v)
		}
	}
}

func (g *world) rows() map[string][3]int64 {
	g.t.Helper()
	rows, err := g.d.R.Query(`SELECT figure, day, agency_id, n, m, k FROM rollup_days`)
	if err != nil {
		g.t.Fatal(err)
	}
	defer rows.Close()
	out := map[string][3]int64{}
	for rows.Next() {
		var f, day string
		var a, n, m, k int64
		if err := rows.Scan(&f, &day, &a, &n, &m, &k); err != nil {
			g.t.Fatal(err)
		}
		out[fmt.Sprintf("%s/%s/%d", f, day, a)] = [3]int64{n, m, k}
	}
	if err := rows.Err(); err != nil {
		g.t.Fatal(err)
	}
	return out
}

// compareIndexes checks every index of the periods a dashboard reads, from
// the roll-ups (a fresh service: nothing cached) and from every row.
func (g *world) compareIndexes(round int, now time.Time) {
	g.t.Helper()
	ctx, sys := context.Background(), policy.SystemActor("test")
	rolled := loindex.NewService(g.d, zone)
	rolled.SetClock(func() time.Time { return now })
	full := rolled.Full()
	cur, _ := rolled.Period("")
	ps := []period.Period{cur, cur.Previous(), cur.Previous().Previous(), period.Of(now.In(zone), period.Half),
		period.Of(now.In(zone), period.Year), period.Of(now.In(zone), period.Year).Previous()}
	checked := 0
	for _, p := range ps {
		a, err := rolled.All(ctx, sys, p)
		if err != nil {
			g.t.Fatal(err)
		}
		b, err := full.All(ctx, sys, p)
		if err != nil {
			g.t.Fatal(err)
		}
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if string(ja) != string(jb) {
			g.t.Fatalf("round %d, %s:\nroll-ups %s\nfull     %s", round, p.Label, ja, jb)
		}
		for _, x := range b {
			for _, in := range x.Inputs {
				if in.Numerator > 0 {
					checked++
				}
			}
		}
	}
	if checked == 0 {
		g.t.Fatalf("round %d: no figure to compare", round)
	}
}

// world makes random rows and changes them.
type world struct {
	t        *testing.T
	d        *db.DB
	r        *rand.Rand
	now      time.Time
	agencies []int64
	people   [][2]int64 // employee, account
	tickets  []int64
	records  []int64
	threads  []int64
	posts    map[int64][]int64 // by thread
	articles []int64
	views    []int64
	space    int64
	source   int64
}

func newWorld(t *testing.T, d *db.DB, seed uint64) *world {
	return &world{t: t, d: d, r: rand.New(rand.NewPCG(seed, 8)), posts: map[int64][]int64{},
		now: time.Date(2026, 11, 20, 3, 17, 0, 0, time.UTC)}
}

func (g *world) exec(query string, args ...any) {
	g.t.Helper()
	if _, err := g.d.W.Exec(query, args...); err != nil {
		g.t.Fatalf("%s: %v", query, err)
	}
}

func (g *world) insert(query string, args ...any) int64 {
	g.t.Helper()
	id, err := db.InsertID(context.Background(), g.d.W, query, args...)
	if err != nil {
		g.t.Fatalf("%s: %v", query, err)
	}
	return id
}

// moment is a random time in the 400 days before now, often in the last
// days, where windows are open and tickets run.
func (g *world) moment() time.Time {
	if g.r.IntN(4) == 0 {
		return g.now.Add(-time.Duration(g.r.Int64N(int64(5 * 24 * time.Hour))))
	}
	return g.now.Add(-time.Duration(g.r.Int64N(int64(400 * 24 * time.Hour))))
}

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

func (g *world) populate() {
	for i := range 2 + g.r.IntN(4) {
		g.agencies = append(g.agencies, dbtest.Agency(g.t, g.d, fmt.Sprint("A", i), fmt.Sprint("Dinas ", i), "dinas"))
	}
	for i := range 12 + g.r.IntN(12) {
		e, a := dbtest.Person(g.t, g.d, pick(g.r, g.agencies), fmt.Sprint("Pegawai ", i), fmt.Sprintf("p%d@x.go.id", i))
		g.people = append(g.people, [2]int64{e, a})
	}
	g.space = g.insert(`INSERT INTO spaces (name, level, created_at, updated_at) VALUES ('Forum', 'city', $1, $1) RETURNING id`, g.now)
	for range 30 {
		g.ticket()
		g.record()
		g.view()
	}
	for range 10 {
		g.thread()
		g.article()
	}
}

func (g *world) ticket() {
	c := g.moment()
	due := c.Add(time.Duration(1+g.r.IntN(90)) * time.Hour)
	var resolved any
	status := "open"
	if g.r.IntN(3) > 0 {
		resolved, status = c.Add(time.Duration(1+g.r.IntN(120))*time.Hour), "resolved"
	}
	var agency any
	if g.r.IntN(8) > 0 {
		agency = pick(g.r, g.agencies)
	}
	g.tickets = append(g.tickets, g.insert(`INSERT INTO tickets (subject, reporter_account_id, channel, category, agency_id,
		priority, status, first_response_due, resolution_due, resolved_at, created_at, updated_at)
		VALUES ('Gangguan', $1, 'web', 'application', $2, 'normal', $3, $4, $5, $6, $7, $7) RETURNING id`,
		pick(g.r, g.people)[1], agency, status, c.Add(time.Hour), due, resolved, c))
}

func (g *world) record() {
	g.source++
	c := g.moment()
	g.records = append(g.records, g.insert(`INSERT INTO learning_records (employee_id, kind, title, jp, source_kind, source_id,
		completed_at, created_at) VALUES ($1, 'course', 'Kursus', $2, 'manual', $3, $4, $4) RETURNING id`,
		pick(g.r, g.people)[0], 1+g.r.IntN(8), g.source, c))
}

func (g *world) view() {
	c := g.moment()
	if len(g.articles) == 0 {
		g.article()
	}
	g.views = append(g.views, g.insert(`INSERT INTO search_self_service (article_id, account_id, viewed_at, window_ends_at)
		VALUES ($1, $2, $3, $4) RETURNING id`, pick(g.r, g.articles), pick(g.r, g.people)[1], c, c.Add(72*time.Hour)))
}

func (g *world) thread() {
	c := g.moment()
	asker := pick(g.r, g.people)[1]
	id := g.insert(`INSERT INTO threads (space_id, title, author_account_id, question, post_count, last_post_at, created_at, updated_at)
		VALUES ($1, 'Bagaimana?', $2, TRUE, 0, $3, $3, $3) RETURNING id`, g.space, asker, c)
	g.threads = append(g.threads, id)
	for i := range 1 + g.r.IntN(3) {
		at := c.Add(time.Duration(i+1) * time.Hour)
		g.posts[id] = append(g.posts[id], g.insert(`INSERT INTO posts (thread_id, author_account_id, body, created_at, updated_at)
			VALUES ($1, $2, 'Jawaban', $3, $3) RETURNING id`, id, pick(g.r, g.people)[1], at))
	}
	if g.r.IntN(3) > 0 {
		g.exec(`UPDATE threads SET accepted_post_id = $1 WHERE id = $2`, pick(g.r, g.posts[id]), id)
	}
}

func (g *world) article() {
	c := g.moment()
	id := g.insert(`INSERT INTO articles (title, body, status, author_account_id, version, created_at, updated_at)
		VALUES ('Panduan', 'Langkah.', 'published', $1, 1, $2, $2) RETURNING id`, pick(g.r, g.people)[1], c)
	g.articles = append(g.articles, id)
	g.publish(id, c)
}

func (g *world) publish(article int64, at time.Time) {
	g.exec(`INSERT INTO article_events (article_id, from_status, to_status, actor_account_id, created_at)
		VALUES ($1, 'review', 'published', $2, $3)`, article, pick(g.r, g.people)[1], at)
}

// change makes n random changes, each its own transaction as the
// application's writes are.
func (g *world) change(n int) {
	for range n {
		g.step()
	}
}

func (g *world) step() {
	switch g.r.IntN(18) {
	case 0:
		g.ticket()
	case 1:
		g.exec(`UPDATE tickets SET resolved_at = $1, status = 'resolved', pending_since = NULL WHERE id = $2`, g.moment(), pick(g.r, g.tickets))
	case 2:
		g.exec(`UPDATE tickets SET resolved_at = NULL, status = 'open', pending_since = NULL WHERE id = $1`, pick(g.r, g.tickets))
	case 3:
		g.exec(`UPDATE tickets SET resolved_at = NULL, status = 'pending', pending_since = $1 WHERE id = $2`, g.moment(), pick(g.r, g.tickets))
	case 4:
		g.exec(`UPDATE tickets SET resolution_due = $1 WHERE id = $2`, g.moment(), pick(g.r, g.tickets))
	case 5:
		g.exec(`UPDATE tickets SET agency_id = $1 WHERE id = $2`, pick(g.r, g.agencies), pick(g.r, g.tickets))
	case 6:
		i := g.r.IntN(len(g.tickets))
		g.exec(`DELETE FROM tickets WHERE id = $1`, g.tickets[i])
		g.tickets = append(g.tickets[:i], g.tickets[i+1:]...)
		g.ticket()
	case 7:
		g.record()
	case 8:
		i := g.r.IntN(len(g.records))
		g.exec(`DELETE FROM learning_records WHERE id = $1`, g.records[i])
		g.records = append(g.records[:i], g.records[i+1:]...)
		g.record()
	case 9:
		g.exec(`UPDATE learning_records SET completed_at = $1, jp = $2 WHERE id = $3`, g.moment(), g.r.IntN(9), pick(g.r, g.records))
	case 10:
		g.exec(`UPDATE employees SET agency_id = $1 WHERE id = $2`, pick(g.r, g.agencies), pick(g.r, g.people)[0])
	case 11:
		g.exec(`UPDATE employees SET active = NOT active, end_reason = CASE WHEN active THEN 'resigned' END WHERE id = $1`, pick(g.r, g.people)[0])
	case 12:
		th := pick(g.r, g.threads)
		var post any
		if g.r.IntN(4) > 0 {
			post = pick(g.r, g.posts[th])
		}
		g.exec(`UPDATE threads SET accepted_post_id = $1 WHERE id = $2`, post, th)
	case 13:
		var hidden any
		if g.r.IntN(2) == 0 {
			hidden = g.now
		}
		g.exec(`UPDATE posts SET hidden_at = $1 WHERE id = $2`, hidden, pick(g.r, g.posts[pick(g.r, g.threads)]))
	case 14:
		g.thread()
	case 15:
		a := pick(g.r, g.articles)
		switch g.r.IntN(4) {
		case 0:
			g.exec(`UPDATE articles SET status = 'draft' WHERE id = $1`, a)
		case 1:
			g.exec(`UPDATE articles SET status = 'published' WHERE id = $1`, a)
		case 2:
			g.publish(a, g.moment()) // a publication earlier or later than the first
		default:
			g.exec(`DELETE FROM article_events WHERE id = (SELECT MIN(id) FROM article_events WHERE article_id = $1)`, a)
		}
	case 16:
		g.view()
	default:
		i := g.r.IntN(len(g.views))
		g.exec(`DELETE FROM search_self_service WHERE id = $1`, g.views[i])
		g.views = append(g.views[:i], g.views[i+1:]...)
		g.view()
	}
}
