package cli_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/cli"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/org"
	"github.com/lontara-id/lontara/internal/policy"
)

func TestImportEmployeesCommand(t *testing.T) {
	eachEngine(t, func(t *testing.T, dsn string) {
		d, err := db.OpenMigrated(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		_, err = org.NewService(d).CreateAgency(context.Background(), policy.SystemActor("test"),
			org.AgencyInput{Code: "DINKES", Name: "Dinas Kesehatan", Type: org.TypeDinas})
		d.Close()
		if err != nil {
			t.Fatal(err)
		}
		importCmd := func(args ...string) (int, string) {
			var out bytes.Buffer
			code := cli.Run(context.Background(), append([]string{"import", "employees", "--db", dsn}, args...),
				cli.IO{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &out})
			return code, out.String()
		}

		code, out := importCmd("../org/testdata/simpeg_id.csv", "--dry-run")
		if code != 0 || !strings.Contains(out, "Uji coba") || !strings.Contains(out, "4 pegawai baru") {
			t.Errorf("dry run: exit %d\n%s", code, out)
		}
		code, out = importCmd("--agency", "dinkes", "../org/testdata/simpeg_id.csv")
		if code != 0 || !strings.Contains(out, "4 baris diimpor: 4 pegawai baru") {
			t.Errorf("import: exit %d\n%s", code, out)
		}
		code, out = importCmd("../org/testdata/simpeg_bad_row.csv")
		if code != 1 || !strings.Contains(out, "baris 3, kolom NIP: ") || !strings.Contains(out, "baris 4, kolom Jenis Pegawai: ") {
			t.Errorf("bad file: exit %d\n%s", code, out)
		}
		code, out = importCmd("--lang", "en", "../org/testdata/simpeg_scientific.csv")
		if code != 1 || !strings.Contains(out, "line 2, column NIP: the NIP was read as a number in scientific notation") {
			t.Errorf("scientific NIPs: exit %d\n%s", code, out)
		}
		if code, _ := importCmd(); code != 2 {
			t.Errorf("no file: exit %d, want 2", code)
		}
		if code, _ := importCmd("a.csv", "b.csv"); code != 2 {
			t.Errorf("two files: exit %d, want 2", code)
		}
	})
}
