package demo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/auth"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/leadership"
	"github.com/lontara-id/lontara/internal/period"
	"github.com/lontara-id/lontara/internal/policy"
)

// loadLeadership gives the demo city support from the top: the city's
// vision and mission (changed once, so the history shows) and the IT
// agency's, regulations on knowledge, competence and the help desk (one
// revoked, one ended), announcements most people have read, last
// quarter's M&E review of the IT agency with follow-ups done, overdue and
// due soon, and recognition on the wall. Written through the leadership
// service, so people are notified and every step audited; the reading
// and the past are then set as only history can.
func loadLeadership(ctx context.Context, d *db.DB, ds *dataset) error {
	execs, err := db.IDs(ctx, d.R, `SELECT account_id FROM role_grants WHERE role = 'executive' ORDER BY account_id LIMIT 1`)
	if err != nil || len(execs) == 0 {
		return err
	}
	it, ok := itAgency(ds)
	if !ok {
		return nil
	}
	heads, err := db.IDs(ctx, d.R, `SELECT account_id FROM role_grants WHERE role = 'agency_head' AND agency_id = $1
		ORDER BY account_id LIMIT 1`, it.ID)
	if err != nil || len(heads) == 0 {
		return err
	}
	actors, err := auth.ActorsIn(ctx, d.R, []int64{execs[0], heads[0]})
	if err != nil {
		return fmt.Errorf("demo: leaders: %w", err)
	}
	exec, head := actors[execs[0]], actors[heads[0]]
	if exec == nil || head == nil {
		return nil
	}
	// Staff are employees (follow-ups and recognition name people), the
	// head's own person left out, those who can sign in first: the first
	// reports on their follow-up.
	staff, err := db.IDs(ctx, d.R, `SELECT id FROM employees e WHERE agency_id = $1 AND active AND id <> $2
		ORDER BY CASE WHEN EXISTS (SELECT 1 FROM accounts a WHERE a.employee_id = e.id) THEN 0 ELSE 1 END, id
		LIMIT 4`, it.ID, head.EmployeeID)
	if err != nil || len(staff) < 3 {
		return err
	}
	zone := cityZone()
	svc := leadership.NewService(d, zone)
	if err := demoVisions(ctx, d, svc, exec, head, it); err != nil {
		return err
	}
	if err := demoRegulations(ctx, d, svc, exec, head, it); err != nil {
		return err
	}
	if err := demoAnnouncements(ctx, d, svc, exec, head, it); err != nil {
		return err
	}
	return demoReview(ctx, d, svc, exec, head, it, staff, zone)
}

func itAgency(ds *dataset) (agencyRow, bool) {
	for _, code := range []string{"KOMINFO", "PUSDATIN"} {
		for _, a := range ds.Agencies {
			if a.Code == code {
				return a, true
			}
		}
	}
	return agencyRow{}, false
}

func demoVisions(ctx context.Context, d *db.DB, svc *leadership.Service, exec, head *policy.Actor, it agencyRow) error {
	for _, in := range []leadership.VisionInput{
		{Vision: "Makassar kota dunia yang nyaman untuk semua", Term: "2021–2026",
			Mission: "1. Melayani warga dengan cepat dan ramah\n2. Membangun aparatur yang kompeten"},
		{Vision: "Makassar kota dunia yang aman, nyaman dan berkelanjutan, dilayani aparatur yang terus belajar", Term: "2025–2029",
			Mission: "1. Layanan publik digital yang cepat, mudah dan terpercaya\n" +
				"2. Aparatur yang kompeten, berbagi pengetahuan dan belajar dari pengalaman\n" +
				"3. Tata kelola yang terbuka, terukur dan ditindaklanjuti"},
	} {
		if _, err := svc.SetVision(ctx, exec, in); err != nil {
			return fmt.Errorf("demo: city vision: %w", err)
		}
	}
	if _, err := svc.SetVision(ctx, head, leadership.VisionInput{AgencyID: it.ID, Term: "2025–2029",
		Vision: "Menjadi penggerak transformasi digital dan organisasi pembelajar di Kota Makassar",
		Mission: "- Menyediakan help desk terpadu yang menyelesaikan masalah sejak kontak pertama\n" +
			"- Menjaga basis pengetahuan tetap mutakhir\n- Melatih operator aplikasi sampai kompeten"}); err != nil {
		return fmt.Errorf("demo: agency vision: %w", err)
	}
	// The first city version is from the previous term.
	_, err := d.W.ExecContext(ctx, `UPDATE visions SET created_at = $1 WHERE id = (SELECT MIN(id) FROM visions)`,
		time.Now().UTC().AddDate(-1, -2, 0))
	return err
}

func demoRegulations(ctx context.Context, d *db.DB, svc *leadership.Service, exec, head *policy.Actor, it agencyRow) error {
	var code string
	err := d.R.QueryRowContext(ctx, `SELECT code FROM competencies WHERE app_id IS NOT NULL ORDER BY id LIMIT 1`).Scan(&code)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("demo: a competency: %w", err)
	}
	year := time.Now().In(cityZone()).Year()
	y := func(delta int, md string) string { return fmt.Sprintf("%d-%s", year+delta, md) }
	list := []struct {
		actor *policy.Actor
		in    leadership.RegulationInput
		end   string // "revoke" to revoke it
	}{
		{exec, leadership.RegulationInput{Kind: "perwali", Number: fmt.Sprintf("18 Tahun %d", year-1),
			Title: "Manajemen Pengetahuan di Lingkungan Pemerintah Kota Makassar", SignedOn: y(-1, "03-14"), InForceFrom: y(-1, "04-01"),
			Summary: "Setiap perangkat daerah mendokumentasikan, membagikan dan memakai pengetahuan untuk layanan SPBE.",
			Obligations: []leadership.ObligationInput{{Text: "Setiap OPD menunjuk pengelola pengetahuan"},
				{Text: "Solusi tiket yang berulang ditulis menjadi artikel basis pengetahuan dalam 14 hari"},
				{Text: "Setiap operator aplikasi mengikuti bimtek aplikasinya", CompetencyCode: code, JP: 8}}}, ""},
		{exec, leadership.RegulationInput{Kind: "se", Number: fmt.Sprintf("800/112/BKPSDM/%d", year),
			Title: "Pemenuhan 20 JP Pengembangan Kompetensi ASN", SignedOn: y(0, "01-08"), InForceFrom: y(0, "01-08"),
			Obligations: []leadership.ObligationInput{{Text: "Setiap ASN mengikuti pengembangan kompetensi paling sedikit 20 JP setahun", JP: 20}}}, ""},
		{head, leadership.RegulationInput{Kind: "sk", AgencyID: it.ID, Number: fmt.Sprintf("000.8/45/KOMINFO/%d", year),
			Title: "Tim Help Desk dan Pengelola Layanan SPBE", SignedOn: y(0, "02-03"), InForceFrom: y(0, "02-03"),
			Obligations: []leadership.ObligationInput{{Text: "Tiket prioritas tinggi diselesaikan dalam 8 jam kerja"},
				{Text: "Kepatuhan SLA dilaporkan setiap bulan kepada Kepala Dinas"}}}, ""},
		{head, leadership.RegulationInput{Kind: "sk", AgencyID: it.ID, Number: fmt.Sprintf("000.8/12/KOMINFO/%d", year-2),
			Title: "Tim Help Desk (lama)", SignedOn: y(-2, "01-10"), InForceFrom: y(-2, "01-10"), InForceUntil: y(-1, "12-31")}, ""},
		{exec, leadership.RegulationInput{Kind: "se", Number: fmt.Sprintf("045/9/SETDA/%d", year-1),
			Title: "Pelaporan Gangguan Aplikasi melalui Surel", SignedOn: y(-1, "02-01"), InForceFrom: y(-1, "02-01")}, "revoke"},
	}
	for _, r := range list {
		reg, err := svc.CreateRegulation(ctx, r.actor, r.in)
		if err != nil {
			return fmt.Errorf("demo: regulation %s: %w", r.in.Number, err)
		}
		if r.end == "revoke" {
			if _, err := svc.RevokeRegulation(ctx, r.actor, reg.ID); err != nil {
				return fmt.Errorf("demo: revoke %s: %w", r.in.Number, err)
			}
		}
	}
	return nil
}

func demoAnnouncements(ctx context.Context, d *db.DB, svc *leadership.Service, exec, head *policy.Actor, it agencyRow) error {
	city, err := svc.Post(ctx, exec, leadership.AnnouncementInput{Title: "Kota yang terus belajar",
		Body: "Bapak dan Ibu sekalian,\n\nMulai triwulan ini setiap OPD melaporkan **capaian 20 JP** dan **tindak lanjut monev** " +
			"di Lontara. Tulislah solusi yang Anda temukan di basis pengetahuan: yang Anda pelajari hari ini menghemat waktu rekan Anda besok.\n\n" +
			"Terima kasih atas kerja kerasnya."})
	if err != nil {
		return fmt.Errorf("demo: announcement: %w", err)
	}
	ops, err := svc.Post(ctx, head, leadership.AnnouncementInput{Title: "Bimtek lanjutan SIPD untuk operator",
		Body: "Operator diminta mendaftar bimtek lanjutan di menu **Pelatihan** paling lambat Jumat.", AgencyIDs: []int64{it.ID},
		Roles: []string{"operator", "agency_admin"}})
	if err != nil && !errs.Is(err, errs.Invalid) { // a small world may have no operators there

		return fmt.Errorf("demo: announcement: %w", err)
	}
	// Most people have opened the city's announcement: about two in three.
	at := time.Now().UTC().Add(-20 * time.Hour)
	if _, err := d.W.ExecContext(ctx, `UPDATE announcement_recipients SET read_at = $1 WHERE announcement_id = $2
		AND account_id % 3 <> 0`, at, city.ID); err != nil {
		return fmt.Errorf("demo: receipts: %w", err)
	}
	if ops.ID != 0 {
		if _, err := d.W.ExecContext(ctx, `UPDATE announcement_recipients SET read_at = $1 WHERE announcement_id = $2
			AND account_id % 2 = 0`, at, ops.ID); err != nil {
			return fmt.Errorf("demo: receipts: %w", err)
		}
	}
	return nil
}

func demoReview(ctx context.Context, d *db.DB, svc *leadership.Service, exec, head *policy.Actor, it agencyRow,
	staff []int64, zone *time.Location) error {
	now := time.Now().In(zone)
	last := period.Of(now, period.Quarter).Previous()
	rv, err := svc.CreateReview(ctx, head, leadership.ReviewInput{AgencyID: it.ID, Period: last.Label,
		Title:   "Monev layanan help desk dan pembelajaran " + last.Label,
		Summary: "Kepatuhan SLA membaik, tetapi tiket berulang tentang aplikasi kepegawaian belum dijadikan artikel."})
	if err != nil {
		return fmt.Errorf("demo: review: %w", err)
	}
	for _, f := range []leadership.FindingInput{
		{Text: "Tiket berulang tentang reset kata sandi SIMPEG belum punya artikel basis pengetahuan", Severity: "high"},
		{Text: "Sepertiga operator SIPD belum mencapai level 3", Severity: "medium"},
		{Text: "Laporan SLA bulanan terlambat satu kali", Severity: "low"},
	} {
		if rv, err = svc.AddFinding(ctx, head, rv.ID, f); err != nil {
			return fmt.Errorf("demo: finding: %w", err)
		}
	}
	day := func(days int) string { return now.AddDate(0, 0, days).Format(time.DateOnly) }
	plan := []struct {
		finding int
		action  string
		due     string
		who     int64
	}{
		{0, "Tulis dan terbitkan artikel reset kata sandi SIMPEG", day(-10), staff[0]},
		{1, "Daftarkan operator SIPD yang belum level 3 ke bimtek lanjutan", day(-3), staff[1]},
		{2, "Jadwalkan laporan SLA otomatis setiap tanggal 5", day(2), staff[2]},
	}
	var first int64
	for i, p := range plan {
		f, err := svc.AddFollowUp(ctx, head, rv.ID, leadership.FollowUpInput{FindingID: rv.Findings[p.finding].ID,
			Action: p.action, AssigneeID: p.who, DueOn: p.due})
		if err != nil {
			return fmt.Errorf("demo: follow-up: %w", err)
		}
		if i == 0 {
			first = f.ID
		}
	}
	// The first assignee reports through their account, if they have one.
	accounts, err := db.IDs(ctx, d.R, `SELECT id FROM accounts WHERE employee_id = $1 ORDER BY id LIMIT 1`, staff[0])
	if err != nil {
		return fmt.Errorf("demo: assignee: %w", err)
	}
	assignee, err := auth.ActorsIn(ctx, d.R, accounts)
	if err != nil {
		return fmt.Errorf("demo: assignee: %w", err)
	}
	for _, a := range assignee {
		if _, err := svc.Report(ctx, a, first, leadership.ProgressInput{Status: leadership.Done,
			Body: "Artikel sudah terbit dan ditautkan di balasan makro help desk; tiket serupa turun pada minggu berikutnya."}); err != nil {
			return fmt.Errorf("demo: report: %w", err)
		}
	}
	if _, err := svc.CreateReview(ctx, exec, leadership.ReviewInput{Period: fmt.Sprint(now.Year()),
		Title: "Monev tahunan organisasi pembelajar Kota Makassar"}); err != nil {
		return fmt.Errorf("demo: city review: %w", err)
	}
	// Recognition: a person and a team.
	if _, err := svc.Recognize(ctx, head, leadership.RecognitionInput{AgencyID: it.ID, MemberIDs: staff[:1],
		Reason: "Menulis artikel yang menurunkan tiket reset kata sandi", Period: last.Label}); err != nil {
		return fmt.Errorf("demo: recognition: %w", err)
	}
	if _, err := svc.Recognize(ctx, exec, leadership.RecognitionInput{Team: "Tim Help Desk Lontara", MemberIDs: staff[:3],
		Reason: "Kepatuhan SLA di atas 95% sepanjang triwulan", Period: last.Label}); err != nil {
		return fmt.Errorf("demo: recognition: %w", err)
	}
	return nil
}
