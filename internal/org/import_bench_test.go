package org

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
)

// cityCSV writes n people across 40 agencies as a SIMPEG export saved by
// Excel in Indonesia: every tenth person supervises the nine after them,
// who work in the same agency.
func cityCSV(n int) []byte {
	var b bytes.Buffer
	b.WriteString("\xEF\xBB\xBFNIP;Nama;Gelar Depan;Gelar Belakang;Email;Telepon;Kode OPD;Unit;Jabatan;Golongan;Jenis Pegawai;NIP Atasan\r\n")
	nip := func(i int) string {
		birth := time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%10000)
		return fmt.Sprintf("%s%04d%02d%d%03d", birth.Format("20060102"), birth.Year()+22, 1+i%12, 1+i%2, i/10000)
	}
	for i := range n {
		boss := ""
		if i%10 != 0 && (i-i%10)%7 != 3 {
			boss = nip(i - i%10)
		}
		kind, id := "PNS", nip(i)
		if i%7 == 3 {
			kind, id, boss = "Kontrak", "", ""
		}
		fmt.Fprintf(&b, "%s;Pegawai Dottoro'ta %d;;S.Kom.;p%d@makassar.go.id;0812%08d;OPD%02d;Bidang %d;Jabatan %d;III/a;%s;%s\r\n",
			id, i, i, i, (i/10)%40, i%6, i%50, kind, boss)
	}
	return b.Bytes()
}

func BenchmarkImport15000(b *testing.B) {
	data := cityCSV(15000)
	for _, engine := range []db.Engine{db.SQLite, db.Postgres} {
		b.Run(string(engine), func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				var d *db.DB
				if engine == db.SQLite {
					d = dbtest.SQLite(b)
				} else {
					d = dbtest.Postgres(b)
				}
				for i := range 40 {
					dbtest.Agency(b, d, fmt.Sprintf("OPD%02d", i), fmt.Sprintf("Dinas %d", i), TypeDinas)
				}
				s := NewService(d)
				b.StartTimer()
				rep, err := s.ImportEmployees(context.Background(), system, nil, bytes.NewReader(data), "city.csv", false)
				if err != nil || rep.Created != 15000 {
					b.Fatalf("created %d (problems %v), %v", rep.Created, rep.Errors[:min(3, len(rep.Errors))], err)
				}
			}
		})
	}
}
