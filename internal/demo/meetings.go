package demo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/auth"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/meetings"
)

// The demo city's online meetings, in its formal city forum: a monthly
// coordination meeting a few days ahead, with the help desk and operators
// invited, and a technical guidance session held last week whose notes
// are written and wait to become an article. Written through the meetings
// service, so invitations are notified and audited as people's would be.
func loadMeetings(ctx context.Context, d *db.DB, ds *dataset) error {
	people := demoPeople(ds)
	organizer := people["expert"]
	if organizer == nil {
		return nil
	}
	var forum int64
	err := d.R.QueryRowContext(ctx, `SELECT id FROM spaces WHERE level = 'city' AND formal = TRUE ORDER BY id LIMIT 1`).Scan(&forum)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("demo: the city forum: %w", err)
	}
	var invite []string
	for _, key := range []string{"agent", "agent2", "lead", "simpeg", "sipd", "dottorota"} {
		if p := people[key]; p != nil && p.AccountID != organizer.AccountID {
			invite = append(invite, p.Email)
		}
	}
	zone := cityZone()
	svc := meetings.NewService(d, auth.ActorsIn, zone)
	day := time.Now().In(zone)
	at := func(days, hour int) time.Time {
		return time.Date(day.Year(), day.Month(), day.Day()+days, hour, 0, 0, 0, zone)
	}

	if _, err := svc.Schedule(ctx, organizer, forum, meetings.Input{Title: "Rapat koordinasi e-government bulanan",
		StartsAt: at(3, 9), EndsAt: at(3, 9).Add(90 * time.Minute), Link: "https://meet.jit.si/makassar-egov-koordinasi",
		Agenda: "1. Capaian SLA help desk bulan ini\n2. Tiket berulang tentang SIMPEG dan SIPD: perlu artikel baru?\n" +
			"3. Jadwal bimtek triwulan berikutnya", Invite: invite}); err != nil {
		return fmt.Errorf("demo: meeting: %w", err)
	}

	held, err := svc.Schedule(ctx, organizer, forum, meetings.Input{Title: "Bimtek daring: menyusun RKA di SIPD",
		StartsAt: at(1, 13), EndsAt: at(1, 15), Link: "https://meet.jit.si/makassar-bimtek-sipd",
		Agenda: "- Alur penyusunan RKA\n- Kesalahan yang sering muncul\n- Tanya jawab", Invite: invite})
	if err != nil {
		return fmt.Errorf("demo: meeting: %w", err)
	}
	// It was held last week: the demo moves it there, as only history can.
	if _, err := d.W.ExecContext(ctx, `UPDATE meetings SET starts_at = $1, ends_at = $2, reminded_at = $1 WHERE id = $3`,
		at(-6, 13).UTC(), at(-6, 15).UTC(), held.ID); err != nil {
		return fmt.Errorf("demo: meeting: %w", err)
	}
	return svc.SaveNotes(ctx, organizer, held.ID, "## Keputusan\n\n"+
		"- Setiap OPD menunjuk satu operator SIPD yang mengikuti bimtek lanjutan.\n"+
		"- Kode rekening lama tidak dipakai lagi sejak pembaruan; pilih dari daftar terbaru.\n\n"+
		"## Pertanyaan yang sering muncul\n\n"+
		"**RKA tidak bisa dikirim?** Periksa pagu sub kegiatan: jumlah rincian tidak boleh melebihinya.")
}
