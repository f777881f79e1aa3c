package web

import (
	"strings"
	"testing"
)

type choice struct{ value, label string }

func (c choice) ChoiceValue() string { return c.value }
func (c choice) ChoiceLabel() string { return c.label }

// options marks the selected value and escapes what it writes, as the
// template would.
func TestOptionsEscapeAndMarkTheSelected(t *testing.T) {
	got, err := options("2", []choice{{"1", "Dinas <Kesehatan>"}, {"2", `Badan "Kepegawaian" & Diklat`}, {`3"x`, "Lain"}})
	if err != nil {
		t.Fatal(err)
	}
	want := `<option value="1">Dinas &lt;Kesehatan&gt;</option>` +
		`<option value="2" selected>Badan &#34;Kepegawaian&#34; &amp; Diklat</option>` +
		`<option value="3&#34;x">Lain</option>`
	if string(got) != want {
		t.Errorf("options:\n got %s\nwant %s", got, want)
	}
	if _, err := options("", []string{"x"}); err == nil || !strings.Contains(err.Error(), "web.Choice") {
		t.Errorf("a list of strings: %v, want an error naming web.Choice", err)
	}
	if _, err := options("", 7); err == nil {
		t.Error("options of a number: no error")
	}
}
