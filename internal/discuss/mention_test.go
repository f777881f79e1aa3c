package discuss

import (
	"slices"
	"testing"
)

func TestHandlesAreFoundOutsideCodeAndEmails(t *testing.T) {
	for _, c := range []struct {
		body string
		want []string
	}{
		{"Halo @nur.aini dan @Budi.", []string{"nur.aini", "budi"}},
		{"Tulis ke nur@makassarkota.go.id saja", nil},
		{"Pakai `@nur.aini` di kode", nil},
		{"```\n@budi\n```\n@ani", []string{"ani"}},
		{"    @budi di blok kode\n@ani", []string{"ani"}},
		{"(@ani) dan @ani lagi", []string{"ani"}},
		{"`tanpa penutup @ani", []string{"ani"}},
	} {
		if got := handlesIn(c.body); !slices.Equal(got, c.want) {
			t.Errorf("%q: %v, want %v", c.body, got, c.want)
		}
	}
	people := map[string]Author{"ani": {ID: 3, EmployeeID: 7}}
	if got := linkMentions("Tanya @Ani, bukan `@ani`.", people); got != "Tanya [@Ani](/pegawai/7), bukan `@ani`." {
		t.Errorf("linked: %q", got)
	}
}
