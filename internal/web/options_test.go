package web

import "testing"

// options marks the selected id and escapes the names it writes, as the
// template would.
func TestOptionsEscapeAndMarkTheSelected(t *testing.T) {
	got := options("2", []Option{{1, "Dinas <Kesehatan>"}, {2, `Badan "Kepegawaian" & Diklat`}, {3, "Lain"}})
	want := `<option value="1">Dinas &lt;Kesehatan&gt;</option>` +
		`<option value="2" selected>Badan &#34;Kepegawaian&#34; &amp; Diklat</option>` +
		`<option value="3">Lain</option>`
	if string(got) != want {
		t.Errorf("options:\n got %s\nwant %s", got, want)
	}
}
