package search_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/search"
)

var deskAgent = &policy.Actor{AccountID: 9, EmployeeID: 90, AgencyID: 1,
	Grants: []policy.Grant{{Role: policy.HelpdeskRoles[0], AgencyID: 1}}}

// "Did you mean" draws only on documents the searcher may see: a word of a
// desk-only ticket is offered to the desk, never to an employee.
func TestCorrectionOffersOnlyWordsTheSearcherMaySee(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		put(t, d, search.Doc{Kind: search.KindTicket, ID: 1, Ref: "T-000001", Title: "Dugaan penggelapan dana BOS",
			Body: "Bendahara melakukan penggelapan anggaran", Audience: []string{search.Desk}, Updated: time.Now()},
			article(2, "Reset kata sandi", "Cara reset kata sandi SIMPEG"))
		s := search.NewService(d)
		if err := s.Learn(context.Background(), time.Now()); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"bendaharq", "penggelapn"} {
			if ans := find(t, s, employee, q, ""); ans.Corrected != "" || len(ans.Items) != 0 {
				t.Errorf("employee %q: corrected %q, items %v; want nothing", q, ans.Corrected, ids(ans))
			}
		}
		if ans := find(t, s, deskAgent, "bendaharq", ""); ans.Corrected != "bendahara" || len(ans.Items) != 1 {
			t.Errorf("desk: corrected %q, items %v; want bendahara and the ticket", ans.Corrected, ids(ans))
		}
		if got, err := s.Suggest(context.Background(), "bendaharq", 0, 5); err != nil || len(got) != 0 {
			t.Errorf("suggest: %v, %v; want nothing", got, err)
		}
	})
}

// A correction shows a word one edit from what was typed, not its stem.
func TestCorrectionShowsAWordNotAStem(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		put(t, d, article(1, "Dugaan penggelapan dana", "Laporan penggelapan anggaran"))
		s := search.NewService(d)
		if err := s.Learn(context.Background(), time.Now()); err != nil {
			t.Fatal(err)
		}
		ans := find(t, s, employee, "penggelapn", "")
		if ans.Corrected != "penggelapan" || len(ans.Items) != 1 {
			t.Errorf("corrected %q, items %v; want penggelapan and the article", ans.Corrected, ids(ans))
		}
	})
}

// The vocabulary learns a document whose transaction commits after a
// later document's was learnt (PostgreSQL assigns ids at insert).
func TestLearnTakesADocumentCommittedLate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := search.NewService(d)
		if d.Engine() == db.SQLite {
			// One writer at a time: the late commit cannot happen; the
			// order of learning still must not matter.
			put(t, d, article(2, "Jadwal rapat", "koordinasi"))
			if err := s.Learn(ctx, time.Now()); err != nil {
				t.Fatal(err)
			}
			put(t, d, article(1, "Sertifikat elektronik", "penandatanganan"))
		} else {
			tx1, err := d.W.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer tx1.Rollback()
			if err := search.Put(ctx, tx1, article(1, "Sertifikat elektronik", "penandatanganan")); err != nil {
				t.Fatal(err)
			}
			put(t, d, article(2, "Jadwal rapat", "koordinasi"))
			if err := s.Learn(ctx, time.Now()); err != nil {
				t.Fatal(err)
			}
			if err := tx1.Commit(); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Learn(ctx, time.Now()); err != nil {
			t.Fatal(err)
		}
		if ans := find(t, s, employee, "sertifkat", ""); ans.Corrected != "sertifikat" || len(ans.Items) != 1 {
			t.Errorf("corrected %q, items %v; want sertifikat and the article", ans.Corrected, ids(ans))
		}
		var left int
		if err := d.R.QueryRow(`SELECT count(*) FROM search_unlearnt`).Scan(&left); err != nil || left != 0 {
			t.Errorf("%d documents not learnt (%v)", left, err)
		}
	})
}

// Paging through results while documents are added and changed neither
// repeats a result nor skips one that was there when the first page ran.
func TestPagesHoldStillWhileDocumentsChange(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var docs []search.Doc
		for i := int64(1); i <= 25; i++ {
			docs = append(docs, article(i, fmt.Sprintf("Layanan nomor %d", i), "Pelayanan perizinan"))
		}
		put(t, d, docs...)
		s := search.NewService(d)
		seen := map[string]bool{}
		req := search.Request{Text: "layanan", Page: db.Page{Limit: 10}}
		for page := 0; ; page++ {
			ans, err := s.Search(ctx, employee, req)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range ans.Items {
				if seen[r.ID] {
					t.Errorf("page %d repeats article %s", page+1, r.ID)
				}
				seen[r.ID] = true
			}
			if ans.Next == "" {
				break
			}
			// Newer matches arrive between pages, ranking above the rest.
			put(t, d, article(int64(100+page), "Layanan baru", "Pelayanan perizinan terbaru"))
			req.Page.After = ans.Next
		}
		if len(seen) != 25 {
			t.Errorf("%d articles over the pages, want the 25 there at the first", len(seen))
		}
		if _, err := s.Search(ctx, employee, search.Request{Text: "layanan", Page: db.Page{After: db.Cursor(10)}}); err == nil {
			t.Error("an old cursor without its bound is accepted")
		}
	})
}

// Learning does not wait for a document an owner's open transaction is
// replacing (PostgreSQL): it leaves that document for its next run, when
// the new row is there to learn.
func TestLearnPassesOverARowBeingChanged(t *testing.T) {
	// PostgreSQL only: on SQLite the open transaction holds the one write
	// lock, so no learner runs beside it to pass anything over.
	d := dbtest.Postgres(t)
	ctx := context.Background()
	put(t, d, article(1, "Sertifikat elektronik", "penandatanganan"), article(2, "Jadwal rapat", "koordinasi"))
	tx, err := d.W.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if err := search.Put(ctx, tx, article(1, "Sertifikat elektronik", "penandatanganan digital")); err != nil {
		t.Fatal(err)
	}
	s := search.NewService(d)
	short, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := s.Learn(short, time.Now()); err != nil {
		t.Fatalf("learn while a row is locked: %v", err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	var left int
	if err := d.R.QueryRow(`SELECT count(*) FROM search_unlearnt`).Scan(&left); err != nil || left != 1 {
		t.Errorf("%d documents left to learn (%v), want the replaced one's new row", left, err)
	}
	if err := s.Learn(ctx, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := d.R.QueryRow(`SELECT count(*) FROM search_unlearnt`).Scan(&left); err != nil || left != 0 {
		t.Errorf("%d documents left to learn (%v), want 0", left, err)
	}
}
