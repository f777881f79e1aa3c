package spbe

import (
	"strconv"
	"testing"

	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/tabular"
)

// The page shows a long table's first rows and says how many the download
// holds; a table within the limit is shown whole, without the note.
func TestThePageShowsTheFirstRowsOfALongTable(t *testing.T) {
	rows := func(n int) [][]tabular.Cell {
		var out [][]tabular.Cell
		for i := range n {
			out = append(out, []tabular.Cell{{Text: strconv.Itoa(i), Value: i}})
		}
		return out
	}
	long := tabular.Table{ID: "km-long", Rows: rows(1234)}
	short := tabular.Table{ID: "sm-short", Rows: rows(3)}
	got := sections(i18n.ID, Pack{}, []tabular.Table{long, short}, 3)
	if len(got) != 3 || len(got[0].Tables) != 1 || len(got[2].Tables) != 1 {
		t.Fatalf("sections: %+v", got)
	}
	km, sm := got[0].Tables[0], got[2].Tables[0]
	if len(km.Rows) != 3 || km.Rows[2][0].Text != "2" {
		t.Errorf("the long table shows %d rows, want its first 3", len(km.Rows))
	}
	if want := "Menampilkan 3 dari 1.234 baris; paket bukti yang diunduh memuat semuanya."; km.More != want {
		t.Errorf("the long table's note: %q, want %q", km.More, want)
	}
	if len(long.Rows) != 1234 {
		t.Errorf("the pack's own table lost rows: %d", len(long.Rows))
	}
	if len(sm.Rows) != 3 || sm.More != "" {
		t.Errorf("the short table: %d rows, note %q; want 3 rows and no note", len(sm.Rows), sm.More)
	}
	if en := sections(i18n.EN, Pack{}, []tabular.Table{long}, 3)[0].Tables[0].More; en !=
		"Showing 3 of 1,234 rows; the downloaded evidence pack holds them all." {
		t.Errorf("in English: %q", en)
	}
}
