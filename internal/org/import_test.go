package org

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/i18n"
)

func importFile(t *testing.T, s *Service, path string, dryRun bool) (ImportReport, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return s.ImportEmployees(context.Background(), system, nil, f, path, dryRun)
}

func TestImportEmployees(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := NewService(d)
		dinkes := dbtest.Agency(t, d, "DINKES", "Dinas Kesehatan", TypeDinas)

		t.Run("OKDryRunWritesNothing", func(t *testing.T) {
			rep, err := importFile(t, s, "testdata/simpeg_id.csv", true)
			if err != nil || rep.Created != 4 || !rep.DryRun {
				t.Fatalf("report %+v, %v", rep, err)
			}
			if n := count(t, d, `SELECT COUNT(*) FROM employees`); n != 0 {
				t.Errorf("dry run wrote %d people", n)
			}
		})

		t.Run("OKExcelIndonesianCSV", func(t *testing.T) {
			rep, err := importFile(t, s, "testdata/simpeg_id.csv", false)
			if err != nil || rep.Created != 4 || rep.Rows != 4 {
				t.Fatalf("report %+v, %v", rep, err)
			}
			andi, err := s.GetEmployeeByEmail(ctx, "andi.baso@makassar.go.id")
			if err != nil {
				t.Fatal(err)
			}
			if *andi.NIP != "198503152010011001" || andi.DisplayName() != "Dr. Andi Baso, S.Kom., M.T." ||
				*andi.Phone != "+6281234567891" || andi.UnitName != "Bidang Pelayanan Kesehatan" || andi.Rank != "IV/a" {
				t.Errorf("andi %+v", andi)
			}
			nur, _ := s.GetEmployeeByEmail(ctx, "nuraini@makassar.go.id")
			if nur.Name != "Nur'aini" || nur.SupervisorID == nil || *nur.SupervisorID != andi.ID {
				t.Errorf("nur'aini %+v (supervisor defined later in the file)", nur)
			}
			arni, _ := s.GetEmployeeByEmail(ctx, "arni@makassar.go.id")
			if arni.Name != "Ärni Dottoro'ta" || arni.EmploymentType != EmploymentPPPK || arni.AgencyID != dinkes {
				t.Errorf("ärni %+v", arni)
			}
			baso, _ := s.GetEmployeeByEmail(ctx, "honorer.baso@makassar.go.id")
			if baso.NIP != nil || baso.EmploymentType != EmploymentContract || *baso.SupervisorID != arni.ID {
				t.Errorf("honorer %+v", baso)
			}
			if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'import'`); n != 4 {
				t.Errorf("%d audit rows", n)
			}
		})

		t.Run("OKReimportUpdatesByNIPAndEmail", func(t *testing.T) {
			rep, err := importFile(t, s, "testdata/simpeg_id.csv", false)
			if err != nil || rep.Unchanged != 4 || rep.Created+rep.Updated != 0 {
				t.Fatalf("same file again: %+v, %v", rep, err)
			}
			csv := "NIP;Nama;Jenis Pegawai;Kode OPD;Email;Jabatan\r\n" +
				"198503152010011001;Andi Baso;PNS;DINKES;andi.baso@makassar.go.id;Sekretaris Dinas\r\n" +
				";Baso Honorer;Kontrak;DINKES;honorer.baso@makassar.go.id;Pengemudi\r\n" +
				";Orang Baru;kontrak;DINKES;baru@makassar.go.id;\r\n"
			rep, err = s.ImportEmployees(ctx, system, nil, strings.NewReader(csv), "x.csv", false)
			if err != nil || rep.Updated != 1 || rep.Created != 1 || rep.Unchanged != 1 {
				t.Fatalf("report %+v, %v", rep, err)
			}
			andi, _ := s.GetEmployeeByEmail(ctx, "andi.baso@makassar.go.id")
			if andi.PositionName != "Sekretaris Dinas" || andi.FrontTitle != "Dr." || andi.Phone == nil {
				t.Errorf("columns missing from the file changed: %+v", andi)
			}
			if n := count(t, d, `SELECT COUNT(*) FROM employees`); n != 5 {
				t.Errorf("%d people, want 5 (nobody removed)", n)
			}
		})

		t.Run("ErrBadRowImportsNothing", func(t *testing.T) {
			before := count(t, d, `SELECT COUNT(*) FROM employees`)
			rep, err := importFile(t, s, "testdata/simpeg_bad_row.csv", false)
			if !errs.Is(err, errs.Invalid) {
				t.Fatalf("got %v", err)
			}
			got := map[string]string{}
			for _, p := range rep.Errors {
				got[p.Column+"@"+itoa(int64(p.Line))] = p.Key
			}
			want := map[string]string{"NIP@3": "nip.appointment", "Email@3": "email.format", "Telepon@3": "phone.format",
				"Jenis Pegawai@4": "import.type"}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s: %q, want %q (all: %v)", k, got[k], v, got)
				}
			}
			if count(t, d, `SELECT COUNT(*) FROM employees`) != before {
				t.Error("a rejected file wrote rows")
			}
			msg := rep.Errors[0].Message(i18n.ID)
			if !strings.HasPrefix(msg, "baris 3, kolom NIP: ") {
				t.Errorf("message %q", msg)
			}
			if en := rep.Errors[0].Message(i18n.EN); !strings.HasPrefix(en, "line 3, column NIP: ") {
				t.Errorf("message %q", en)
			}
		})

		t.Run("ErrScientificNIP", func(t *testing.T) {
			rep, err := importFile(t, s, "testdata/simpeg_scientific.csv", false)
			if !errs.Is(err, errs.Invalid) || rep.Errors[0].Key != "nip.scientific" || rep.Errors[1].Key != "nip.scientific" {
				t.Fatalf("report %+v, %v", rep, err)
			}
			if msg := rep.Errors[0].Message(i18n.ID); !strings.Contains(msg, "Teks") || !strings.Contains(msg, "petik") {
				t.Errorf("the message does not say how to fix the file: %q", msg)
			}
		})

		t.Run("OKXLSX", func(t *testing.T) {
			rep, err := s.ImportEmployees(ctx, system, nil, bytes.NewReader(xlsxFile(t)), "pegawai.xlsx", false)
			if err != nil || rep.Created != 1 {
				t.Fatalf("report %+v, %v", rep, err)
			}
			e, _ := s.GetEmployeeByEmail(ctx, "dewi@makassar.go.id")
			if e.FrontTitle != "drg." || e.BackTitle != "M.Kes." || e.Name != "Dewi Sartika" {
				t.Errorf("titles from one gelar column: %+v", e)
			}
		})

		t.Run("OKWindows1252", func(t *testing.T) {
			text := "nama,jenis pegawai,kode opd,email\r\nÄgus Dottoro'ta,honorer,DINKES,agus@makassar.go.id\r\n"
			raw, err := charmap.Windows1252.NewEncoder().String(text)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.ImportEmployees(ctx, system, nil, strings.NewReader(raw), "x.csv", false); err != nil {
				t.Fatal(err)
			}
			e, _ := s.GetEmployeeByEmail(ctx, "agus@makassar.go.id")
			if e.Name != "Ägus Dottoro'ta" {
				t.Errorf("name %q", e.Name)
			}
		})

		t.Run("ErrAgencyScope", func(t *testing.T) {
			disdik := dbtest.Agency(t, d, "DISDIK", "Dinas Pendidikan", TypeDinas)
			csv := "nama;jenis pegawai;kode opd;email\r\nX;kontrak;DINKES;x1@x.id\r\n"
			rep, err := s.ImportEmployees(ctx, adminOf(disdik), &disdik, strings.NewReader(csv), "x.csv", false)
			if !errs.Is(err, errs.Invalid) || len(rep.Errors) != 1 || rep.Errors[0].Key != "import.other_agency" {
				t.Errorf("report %+v, %v", rep, err)
			}
			if _, err := s.ImportEmployees(ctx, adminOf(disdik), &dinkes, strings.NewReader(csv), "x.csv", false); !errs.Is(err, errs.Forbidden) {
				t.Errorf("another agency's scope: %v", err)
			}
			if _, err := s.ImportEmployees(ctx, adminOf(disdik), nil, strings.NewReader(csv), "x.csv", false); !errs.Is(err, errs.Forbidden) {
				t.Errorf("unscoped import into another agency: %v", err)
			}
			ok := "nama;jenis pegawai;email\r\nY;kontrak;y1@x.id\r\n"
			if rep, err := s.ImportEmployees(ctx, adminOf(disdik), &disdik, strings.NewReader(ok), "x.csv", false); err != nil || rep.Created != 1 {
				t.Errorf("own agency without kode OPD: %+v, %v", rep, err)
			}
		})
	})
}

// xlsxFile builds a small XLSX as a spreadsheet program would save it, with
// a single "gelar" column.
func xlsxFile(t testing.TB) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	rows := [][]string{
		{"NIP", "Nama", "Gelar", "Email", "Telepon", "Kode OPD", "Unit", "Jabatan", "Golongan", "Jenis Pegawai", "NIP Atasan"},
		{"198808082012122001", "Dewi Sartika", "drg., M.Kes.", "dewi@makassar.go.id", "0813 1111 2222", "DINKES", "Seksi Gizi", "Dokter Gigi", "III/c", "PNS", ""},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestSplitTitles(t *testing.T) {
	for _, tc := range []struct{ in, front, name, back string }{
		{"Dr. Andi Baso, S.Kom., M.T.", "Dr.", "Andi Baso", "S.Kom., M.T."},
		{"Prof. Dr. Ir. H. Baso", "Prof. Dr. Ir. H.", "Baso", ""},
		{"Nur'aini, S.E.", "", "Nur'aini", "S.E."},
		{"Andi", "", "Andi", ""},
	} {
		f, n, b := SplitName(tc.in)
		if f != tc.front || n != tc.name || b != tc.back {
			t.Errorf("SplitName(%q) = %q, %q, %q", tc.in, f, n, b)
		}
	}
	if f, b := SplitTitles("Dr. Ir., S.Kom., M.T."); f != "Dr. Ir." || b != "S.Kom., M.T." {
		t.Errorf("SplitTitles = %q, %q", f, b)
	}
}

func TestImportProblems(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := NewService(d)
		dinkes := dbtest.Agency(t, d, "DINKES", "Dinas Kesehatan", TypeDinas)
		dbtest.Agency(t, d, "DISDIK", "Dinas Pendidikan", TypeDinas)
		mustCreate(t, s, pns(dinkes, "198503152010011001", "Lama", "lama@x.id"))
		const head = "NIP;Nama;Email;Kode OPD;Jenis Pegawai;NIP Atasan\r\n"
		for name, tc := range map[string]struct {
			csv, column, key string
			line             int
		}{
			"NIP twice in the file": {"199001012015022002;A;a@x.id;DINKES;PNS;\r\n199001012015022002;B;b@x.id;DINKES;PNS;\r\n",
				"NIP", "import.duplicate", 3},
			"email twice":             {";A;a@x.id;DINKES;honorer;\r\n;B;A@x.id;DINKES;honorer;\r\n", "Email", "import.duplicate", 3},
			"email of another person": {";A;lama@x.id;DINKES;honorer;\r\n", "Email", "email.taken", 2},
			"unknown supervisor": {"199001012015022002;A;a@x.id;DINKES;PNS;199001012015022003\r\n",
				"NIP Atasan", "supervisor.unknown", 2},
			"own supervisor":    {"199001012015022002;A;a@x.id;DINKES;PNS;199001012015022002\r\n", "NIP Atasan", "supervisor.self", 2},
			"unknown agency":    {"199001012015022002;A;a@x.id;DINSOS;PNS;\r\n", "Kode OPD", "agency.unknown", 2},
			"moved person":      {"198503152010011001;Lama;lama@x.id;DISDIK;PNS;\r\n", "Kode OPD", "import.moved", 2},
			"no NIP nor email":  {";A;;DINKES;kontrak;\r\n", "Email", "import.no_key", 2},
			"contract with NIP": {"199001012015022002;A;a@x.id;DINKES;outsourcing;\r\n", "NIP", "nip.not_allowed", 2},
			"no type column":    {"", "jenis pegawai", "import.missing_column", 1},
			// Never sent to the database: PostgreSQL refuses a NUL.
			"NUL in a NIP":        {"19900101\x002015022002;A;a@x.id;DINKES;PNS;\r\n", "NIP", "nip.length", 2},
			"NUL in an email":     {";A;a\x00@x.id;DINKES;honorer;\r\n", "Email", "email.format", 2},
			"NUL in a supervisor": {"199001012015022002;A;a@x.id;DINKES;PNS;1990\x00\r\n", "NIP Atasan", "supervisor.unknown", 2},
		} {
			csv := head + tc.csv
			if tc.key == "import.missing_column" {
				csv = "NIP;Nama;Kode OPD\r\n199001012015022002;A;DINKES\r\n"
			}
			rep, err := s.ImportEmployees(context.Background(), system, nil, strings.NewReader(csv), "x.csv", false)
			if !errs.Is(err, errs.Invalid) || len(rep.Errors) == 0 {
				t.Errorf("%s: %+v, %v", name, rep, err)
				continue
			}
			if p := rep.Errors[0]; p.Column != tc.column || p.Key != tc.key || p.Line != tc.line {
				t.Errorf("%s: got %+v, want line %d column %s %s", name, p, tc.line, tc.column, tc.key)
			}
		}
		if n := count(t, d, `SELECT COUNT(*) FROM employees`); n != 1 {
			t.Errorf("%d people after rejected imports", n)
		}
	})
}

func TestImportRefusesNumericNIPInXLSX(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := NewService(d)
		dbtest.Agency(t, d, "DINKES", "Dinas Kesehatan", TypeDinas)
		f := excelize.NewFile()
		defer f.Close()
		_ = f.SetSheetRow("Sheet1", "A1", &[]string{"NIP", "Nama", "Kode OPD", "Jenis Pegawai"})
		_ = f.SetCellFloat("Sheet1", "A2", 198503152010011001, -1, 64) // as Excel keeps a number: a float
		_ = f.SetSheetRow("Sheet1", "B2", &[]string{"Andi", "DINKES", "PNS"})
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}
		rep, err := s.ImportEmployees(context.Background(), system, nil, &buf, "x.xlsx", false)
		if !errs.Is(err, errs.Invalid) || len(rep.Errors) != 1 || rep.Errors[0].Key != "nip.scientific" {
			t.Errorf("report %+v, %v", rep, err)
		}
	})
}
