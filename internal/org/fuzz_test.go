package org

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/i18n"
)

// fuzzNow is the day the fuzz tests check NIPs on, fixed so that a corpus
// entry means the same thing next year.
var fuzzNow = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)

// FuzzNIP checks ValidateNIP and cleanNIP on anything a person or a
// spreadsheet may type: an NIP it accepts carries a real birth date, a
// past appointment and a sex; a refusal names a rule with an Indonesian
// message; and a valid NIP written as people write it (a leading
// apostrophe, spaces between its groups) is cleaned back to itself.
func FuzzNIP(f *testing.F) {
	for _, s := range []string{"198503152010011002", "19850315 201001 1 002", "'199001012015022002",
		"1.98503E+17", "1,99001E+17", "198502302010011002", "１98503152010011002", "19850315\u00a0201001\u00a01\u00a0002", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		key := ValidateNIP(s, fuzzNow)
		if key != "" {
			if !i18n.Has(i18n.ID, "err."+key) {
				t.Fatalf("ValidateNIP(%q) = %q, which has no Indonesian message", s, key)
			}
		} else {
			validNIP(t, s)
		}
		c := cleanNIP(s)
		if len(c) > len(s) {
			t.Fatalf("cleanNIP(%q) = %q grew", s, c)
		}
		if ValidateNIP(c, fuzzNow) == "" {
			validNIP(t, c)
		}
		if key == "" {
			for _, written := range []string{"'" + s, s[:8] + " " + s[8:14] + " " + s[14:15] + " " + s[15:],
				" " + s[:8] + "\u00a0" + s[8:] + " "} {
				if got := cleanNIP(written); got != s {
					t.Fatalf("cleanNIP(%q) = %q, want %q", written, got, s)
				}
			}
		}
	})
}

// validNIP fails unless nip has the shape ValidateNIP promises of a valid
// one.
func validNIP(t *testing.T, nip string) {
	t.Helper()
	birth, ok := BirthDate(nip)
	if len(nip) != NIPLen || strings.Trim(nip, "0123456789") != "" || !ok || birth.After(fuzzNow) || Sex(nip) == "" {
		t.Fatalf("ValidateNIP accepts %q (birth %v, %v; sex %q)", nip, birth, ok, Sex(nip))
	}
}

// FuzzImportFile reads an uploaded employee file (CSV, or XLSX when it is
// a zip) and checks its rows as an import does, against a city of one
// agency and one person held in memory. A file is refused only with an
// Invalid error that has an Indonesian message; a problem names a line of
// the file and has one too; and a row without a problem is one both
// databases can store: valid UTF-8 without NUL, a valid NIP, email and
// employment type, in a known agency.
func FuzzImportFile(f *testing.F) {
	for _, name := range []string{"simpeg_id.csv", "simpeg_bad_row.csv", "simpeg_scientific.csv"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("NIP,Nama,Email,Kode OPD,Jenis Pegawai\n\"19850315 201001 1 001\",\"Baso, Andi\",a@b.id,DINKES,PNS\n"))
	f.Add([]byte("nama\tjenis\tkode opd\temail\tnip atasan\nAnne\tkontrak\tdinkes\tanne@x.id\t198503152010011001\n"))
	f.Add([]byte("Nama;Jenis Pegawai;Kode OPD;Email\nAnne;Kontrak;DINKES;an\x00ne@makassar.go.id\n"))
	f.Add(xlsxFile(f))
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := readTable(bytes.NewReader(data), "pegawai.csv")
		if err != nil {
			fileRefusal(t, err)
			return
		}
		if len(tab.records) != len(tab.lines) || len(tab.records) > MaxImportRows {
			t.Fatalf("%d records, %d line numbers", len(tab.records), len(tab.lines))
		}
		h, at, ok := findHeader(tab)
		if !ok {
			return
		}
		im := newImporter(fuzzNow, batchSize(db.SQLite), nil)
		im.byCode["DINKES"] = Agency{ID: 1, Code: "DINKES", Name: "Dinas Kesehatan"}
		andi := Employee{ID: 1, NIP: new("198503152010011001"), Name: "Andi Baso", AgencyID: 1, Active: true,
			EmploymentType: EmploymentPNS, Email: new("andi.baso@makassar.go.id")}
		im.byNIP[*andi.NIP], im.byEmail[*andi.Email], im.byID[andi.ID] = &andi, &andi, &andi
		im.read(tab, h, at)
		im.check()
		bad := map[int]bool{}
		for _, p := range im.problems {
			if !slices.Contains(tab.lines, p.Line) || p.Column == "" || !i18n.Has(i18n.ID, "err."+p.Key) {
				t.Fatalf("problem %+v: not a line of the file, or without a column or an Indonesian message", p)
			}
			bad[p.Line] = true
		}
		for _, r := range im.rows {
			if !bad[r.line] {
				storable(t, r)
			}
		}
	})
}

// fileRefusal fails unless err is how an import refuses a whole file.
func fileRefusal(t *testing.T, err error) {
	t.Helper()
	e := errs.As(err)
	if e == nil || e.Code != errs.Invalid || !i18n.Has(i18n.ID, "err."+e.Key) {
		t.Fatalf("a file refused with %v, not an Invalid error with an Indonesian message", err)
	}
}

// storable fails unless the row, which the import found no problem with,
// is one both databases take and the rules allow.
func storable(t *testing.T, r *importRow) {
	t.Helper()
	e := r.e
	texts := []string{e.Name, e.FrontTitle, e.BackTitle, e.UnitName, e.PositionName, e.Rank, e.EmploymentType}
	for _, p := range []*string{e.NIP, e.Email, e.Phone} {
		if p != nil {
			texts = append(texts, *p)
		}
	}
	for _, s := range texts {
		if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			t.Fatalf("line %d: %q passed the import's checks, and PostgreSQL refuses it", r.line, s)
		}
	}
	switch {
	case e.NIP != nil && ValidateNIP(*e.NIP, fuzzNow) != "":
		t.Fatalf("line %d: NIP %q passed", r.line, *e.NIP)
	case e.Email != nil && !ValidEmail(*e.Email):
		t.Fatalf("line %d: email %q passed", r.line, *e.Email)
	case e.AgencyID != 1 || !slices.Contains(EmploymentTypes, e.EmploymentType) || e.Name == "":
		t.Fatalf("line %d: %+v passed", r.line, e)
	}
}
