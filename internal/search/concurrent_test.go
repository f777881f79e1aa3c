package search_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/search"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// Two transactions putting one indexed document at once both succeed, the
// later one's version kept (PostgreSQL: the second waits for the first).
func TestConcurrentPutsOfOneDocument(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		put(t, d, article(1, "Reset kata sandi", "awal"))
		ctx := context.Background()
		var wg sync.WaitGroup
		errc := make(chan error, 2)
		first := make(chan struct{})
		wg.Add(2)
		go func() {
			defer wg.Done()
			errc <- d.Tx(ctx, func(tx *sql.Tx) error {
				err := search.Put(ctx, tx, article(1, "Reset kata sandi", "pertama"))
				close(first)
				time.Sleep(200 * time.Millisecond) // still open while the other Put runs
				return err
			})
		}()
		go func() {
			defer wg.Done()
			<-first
			errc <- d.Tx(ctx, func(tx *sql.Tx) error {
				return search.Put(ctx, tx, article(1, "Reset kata sandi", "kedua"))
			})
		}()
		wg.Wait()
		close(errc)
		for err := range errc {
			if err != nil {
				t.Errorf("concurrent Put: %v", err)
			}
		}
		var docs, texts int
		var body string
		if err := d.R.QueryRow(`SELECT count(*), max(t.body) FROM search_docs d JOIN search_texts t ON t.doc = d.id
			WHERE d.kind = 'article' AND d.doc_id = 1`).Scan(&docs, &body); err != nil {
			t.Fatal(err)
		}
		if err := d.R.QueryRow(`SELECT count(*) FROM search_texts`).Scan(&texts); err != nil {
			t.Fatal(err)
		}
		if docs != 1 || body != "kedua" || texts != 1 {
			t.Errorf("%d documents, body %q, %d texts; want 1, kedua, 1", docs, body, texts)
		}
	})
}

// A dozen people voting on one article at once all succeed, and the
// article's helpfulness in the index counts every vote.
func TestConcurrentVotesAllCount(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		h.Agency(t, "DISKES", "Dinas Kesehatan", "dinas")
		h.Users(t, servertest.Person{Email: "ahli@makassar.go.id", Name: "Ahli", Role: policy.Expert})
		var people []servertest.Person
		for i := 0; i < 12; i++ {
			people = append(people, servertest.Person{Email: fmt.Sprintf("p%d@makassar.go.id", i), Name: "P",
				Role: policy.Employee, Agency: "DISKES"})
		}
		h.Users(t, people...)
		tok := h.Token(t, "ahli@makassar.go.id")
		r := h.Do(t, "POST", "/api/v1/articles", tok, map[string]any{"title": "Reset kata sandi", "body": "Cara reset"}, "application/json")
		var a struct {
			ID      int64
			Version int
		}
		r.JSON(t, &a)
		r = h.Do(t, "PATCH", fmt.Sprintf("/api/v1/articles/%d", a.ID), tok,
			map[string]any{"status": "published", "version": a.Version}, "application/json")
		if r.Status != http.StatusOK {
			t.Fatalf("publish: %d %s", r.Status, r.Body)
		}
		var wg sync.WaitGroup
		errc := make(chan error, len(people))
		for _, p := range people {
			actor := &policy.Actor{AccountID: h.AccountID(t, p.Email), Grants: []policy.Grant{{Role: policy.Employee, AgencyID: 1}}}
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := h.Svc.KB.Vote(context.Background(), actor, a.ID, true); err != nil {
					errc <- err
				}
			}()
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			t.Errorf("vote: %v", err)
		}
		var helpful int
		if err := d.R.QueryRow(`SELECT helpful FROM search_docs WHERE kind = 'article' AND doc_id = $1`, a.ID).Scan(&helpful); err != nil {
			t.Fatal(err)
		}
		if helpful != len(people) {
			t.Errorf("indexed helpfulness %d, want %d", helpful, len(people))
		}
	})
}
