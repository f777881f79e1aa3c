package web

import (
	"testing"

	"github.com/lontara-id/lontara/internal/errs"
)

// colours is a Worded argument: codes for the API, words for a page.
type colours struct{}

func (colours) String() string { return "red, green" }

func (colours) Words(lang string) string {
	if lang == "id" {
		return "Merah, Hijau"
	}
	return "Red, Green"
}

func TestPageMessageShowsWordsWhereTheAPIShowsCodes(t *testing.T) {
	f := errs.Field{Name: "colour", Key: "one_of", Args: []any{colours{}}}
	if got, want := pageMessage("id", f), "harus salah satu dari: Merah, Hijau"; got != want {
		t.Errorf("page message = %q, want %q", got, want)
	}
	if got, want := f.Message("en"), "must be one of: red, green"; got != want {
		t.Errorf("API message = %q, want %q", got, want)
	}
	if _, ok := f.Args[0].(colours); !ok {
		t.Errorf("pageMessage changed the error's arguments: %v", f.Args)
	}
	plain := errs.Field{Name: "nip", Key: "one_of", Args: []any{"a, b"}}
	if got, want := pageMessage("id", plain), "harus salah satu dari: a, b"; got != want {
		t.Errorf("page message = %q, want %q", got, want)
	}
}
