package search_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/search"
)

// A document put again replaces the earlier version: its old words and
// old readers no longer find it, its row becomes the newest, and a Put
// that fails leaves the earlier version in place.
func TestPutAgainReplacesTheDocument(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := search.NewService(d)
		put(t, d, article(1, "Printer kantor", "Printer tidak mau mencetak."), article(2, "Jadwal rapat", "Rapat Senin."))
		moved := article(1, "Sertifikat elektronik", "Cara memperpanjang sertifikat.")
		moved.Audience = []string{search.Writers}
		put(t, d, moved)
		if got := ids(find(t, s, employee, "printer", "")); len(got) != 0 {
			t.Errorf("old words still find it: %v", got)
		}
		if got := ids(find(t, s, employee, "sertifikat", "")); len(got) != 0 {
			t.Errorf("a reader it no longer has finds it: %v", got)
		}
		var rows, texts, unlearnt int
		var newest int64
		var audience string
		err := d.R.QueryRowContext(ctx, `SELECT count(*), max(doc_id) FILTER (WHERE id = (SELECT max(id) FROM search_docs)),
			max(audience) FILTER (WHERE id = (SELECT max(id) FROM search_docs)),
			(SELECT count(*) FROM search_texts), (SELECT count(*) FROM search_unlearnt u JOIN search_docs d ON d.id = u.doc)
			FROM search_docs`).Scan(&rows, &newest, &audience, &texts, &unlearnt)
		if err != nil {
			t.Fatal(err)
		}
		if rows != 2 || texts != 2 || newest != 1 || audience != search.Writers {
			t.Errorf("rows %d, texts %d, newest doc %d with audience %q; want 2, 2, 1, %q", rows, texts, newest, audience, search.Writers)
		}
		// The replaced row left the list of documents to learn with it; the
		// new one is on it.
		var listed int
		if err := d.R.QueryRowContext(ctx, `SELECT count(*) FROM search_unlearnt`).Scan(&listed); err != nil {
			t.Fatal(err)
		}
		if listed != 2 || unlearnt != 2 {
			t.Errorf("%d documents to learn, %d of them indexed; want 2 and 2", listed, unlearnt)
		}
		// A failing transaction keeps the earlier version.
		failed := d.Tx(ctx, func(tx *sql.Tx) error {
			if err := search.Put(ctx, tx, article(1, "Printer lagi", "Printer.")); err != nil {
				return err
			}
			return sql.ErrTxDone
		})
		if failed == nil {
			t.Fatal("the transaction did not fail")
		}
		var title string
		if err := d.R.QueryRowContext(ctx, `SELECT t.title FROM search_texts t JOIN search_docs d ON d.id = t.doc
			WHERE d.kind = 'article' AND d.doc_id = 1`).Scan(&title); err != nil || title != "Sertifikat elektronik" {
			t.Errorf("after a rolled-back Put the document is %q (%v), want the earlier version", title, err)
		}
		// An empty audience takes it out of the index.
		gone := article(2, "Jadwal rapat", "Rapat Senin.")
		gone.Audience, gone.Updated = nil, time.Now()
		put(t, d, gone)
		if got := ids(find(t, s, employee, "rapat", "")); len(got) != 0 {
			t.Errorf("a document found by no one is still found: %v", got)
		}
	})
}
