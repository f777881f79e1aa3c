package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/auth"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/training"
)

// The demo city's training, written through the training service so
// seats, approvals, notifications, the JP ledger and competency evidence
// are as people's actions leave them: a catalogue of activities; a bimtek
// held three weeks ago and finished (attendance, test scores, evaluations,
// completions, ready for certificates); a session running today for the
// trainer's attendance sheet; a bimtek next week with nominations from
// agencies, some approved, some awaiting the head, and a waitlist; and an
// online workshop open to self-enrolment. Competencies are looked up by
// code and skipped when the framework's demo has not made them, so call
// this after it.
func loadTraining(ctx context.Context, d *db.DB) error {
	trainers, err := db.IDs(ctx, d.R, `SELECT g.account_id FROM role_grants g JOIN agencies a ON a.id = g.agency_id
		WHERE g.role = 'trainer' ORDER BY CASE WHEN a.code = 'KOMINFO' THEN 0 ELSE 1 END, g.account_id LIMIT 3`)
	if err != nil || len(trainers) == 0 {
		return err // a world without trainers has no training to show
	}
	actors, err := auth.ActorsIn(ctx, d.R, trainers)
	if err != nil {
		return err
	}
	trainer := actors[trainers[0]]
	svc := training.NewService(d, cityZone())
	day := time.Now().In(cityZone())
	at := func(days, hour int) time.Time {
		return time.Date(day.Year(), day.Month(), day.Day()+days, hour, 0, 0, 0, cityZone())
	}
	system := policy.SystemActor("demo")

	acts := map[string]int64{}
	for _, a := range demoActivities {
		in := training.ActivityInput{Kind: a.kind, Title: a.title, Description: a.desc, JP: a.jp, Link: a.link,
			Competencies: levels(ctx, d, a.comps)}
		made, err := svc.CreateActivity(ctx, system, in)
		if err != nil {
			return fmt.Errorf("demo: activity %s: %w", a.title, err)
		}
		acts[a.title] = made.ID
	}
	people, as, err := demoLearners(ctx, d)
	if err != nil || len(people) < 40 {
		return err
	}

	// Held three weeks ago and finished.
	web := acts["Mengelola Konten Website OPD"]
	held, err := svc.CreateEvent(ctx, trainer, training.EventInput{ActivityID: &web, Title: "Bimtek Konten Website OPD Angkatan I",
		StartsAt: at(-21, 8), EndsAt: at(-21, 16), Days: 2, Capacity: 20, Place: "Ruang Pelatihan Diskominfo, Lt. 3"})
	if err != nil {
		return fmt.Errorf("demo: event: %w", err)
	}
	var places []training.Enrolment
	for _, p := range people[:14] {
		n, err := svc.Enrol(ctx, trainer, held.ID, p)
		if err != nil {
			return fmt.Errorf("demo: enrol: %w", err)
		}
		places = append(places, n)
	}
	for i, n := range places {
		for s, ss := range held.Sessions {
			if (i == 3 && s == 1) || i == 9 { // one missed the second day; one never came
				continue
			}
			if _, err := svc.Mark(ctx, trainer, ss.ID, training.AttendanceInput{EmployeeID: n.EmployeeID}); err != nil {
				return fmt.Errorf("demo: attendance: %w", err)
			}
		}
		pre, post := 35+(i*7)%30, 70+(i*11)%30
		if _, err := svc.SetScores(ctx, trainer, n.ID, training.ScoresInput{PreScore: &pre, PostScore: &post}); err != nil {
			return fmt.Errorf("demo: scores: %w", err)
		}
		if i%2 == 0 && i != 9 {
			if err := svc.Evaluate(ctx, as[n.EmployeeID], held.ID, training.EvaluationInput{Relevance: 5, Content: 4 - i%2,
				Trainer: 5 - (i/4)%2, Usefulness: 4 + (i/2)%2, Comment: demoComments[(i/2)%len(demoComments)]}); err != nil {
				return fmt.Errorf("demo: evaluation: %w", err)
			}
		}
	}
	if _, err := svc.Finish(ctx, trainer, held.ID); err != nil {
		return fmt.Errorf("demo: finish: %w", err)
	}
	// It finished when it ended, as only history can say.
	// (Finishing already dated its JP and evidence by the last session's end.)
	end := held.EndsAt.UTC()
	for _, q := range []string{`UPDATE events SET finished_at = $1 WHERE id = $2`,
		`UPDATE enrolments SET completed_at = $1 WHERE event_id = $2 AND status = 'completed'`} {
		if _, err := d.W.ExecContext(ctx, q, end, held.ID); err != nil {
			return fmt.Errorf("demo: history: %w", err)
		}
	}

	// Running now, for the attendance sheet and the check-in code: begun an
	// hour or two ago whatever the hour the demo loads (not at 08:00 today,
	// which has not come yet when it loads after midnight).
	data := acts["Tata Kelola Data untuk Operator OPD"]
	began := time.Now().In(cityZone()).Truncate(time.Hour).Add(-time.Hour)
	today, err := svc.CreateEvent(ctx, trainer, training.EventInput{ActivityID: &data, Title: "Workshop Tata Kelola Data",
		Kind: training.KindWorkshop, StartsAt: began, EndsAt: began.Add(8 * time.Hour), Capacity: 15,
		Place: "Aula Balai Kota Makassar", Trainers: trainers[:min(2, len(trainers))]})
	if err != nil {
		return fmt.Errorf("demo: event: %w", err)
	}
	for i, p := range people[14:26] {
		n, err := svc.Enrol(ctx, trainer, today.ID, p)
		if err != nil {
			return fmt.Errorf("demo: enrol: %w", err)
		}
		if i < 5 {
			if _, err := svc.Mark(ctx, trainer, today.Sessions[0].ID, training.AttendanceInput{EmployeeID: n.EmployeeID}); err != nil {
				return fmt.Errorf("demo: attendance: %w", err)
			}
		}
	}

	// Next week, by nomination with the head's approval.
	sipd := acts["Bimtek Operator SIPD"]
	next, err := svc.CreateEvent(ctx, trainer, training.EventInput{ActivityID: &sipd, Title: "Bimtek Operator SIPD Angkatan II",
		StartsAt: at(7, 8), EndsAt: at(7, 16), Days: 3, Capacity: 6, Place: "Ruang Pelatihan BKPSDM"})
	if err != nil {
		return fmt.Errorf("demo: event: %w", err)
	}
	if err := demoNominations(ctx, d, svc, next.ID); err != nil {
		return err
	}

	// In twelve days, online, open to anyone who signs up.
	sec := acts["Keamanan Informasi untuk Seluruh Pegawai"]
	open, err := svc.CreateEvent(ctx, trainer, training.EventInput{ActivityID: &sec, Title: "Webinar Keamanan Informasi: Mengenali Phishing",
		Kind: training.KindOnlineMeeting, StartsAt: at(12, 9), EndsAt: at(12, 11), Capacity: 200, SelfEnrol: true,
		NeedsApproval: new(bool), Link: "https://meet.jit.si/makassar-keamanan-informasi"})
	if err != nil {
		return fmt.Errorf("demo: event: %w", err)
	}
	for _, p := range people[26:40] {
		if _, err := svc.Enrol(ctx, as[p], open.ID, p); err != nil {
			return fmt.Errorf("demo: self-enrol: %w", err)
		}
	}
	return nil
}

// demoNominations has the admins of two agencies nominate their people
// for event id: more than its seats, so some wait in line; the head of
// the first approves all but one, who waits.
func demoNominations(ctx context.Context, d *db.DB, svc *training.Service, id int64) error {
	agencies, err := db.IDs(ctx, d.R, `SELECT g.agency_id FROM role_grants g WHERE g.role = 'agency_admin'
		AND EXISTS (SELECT 1 FROM role_grants h WHERE h.role = 'agency_head' AND h.agency_id = g.agency_id)
		GROUP BY g.agency_id ORDER BY g.agency_id LIMIT 2`)
	if err != nil {
		return err
	}
	for i, agency := range agencies {
		admins, err := db.IDs(ctx, d.R, `SELECT account_id FROM role_grants WHERE role = 'agency_admin' AND agency_id = $1
			ORDER BY account_id LIMIT 1`, agency)
		if err != nil {
			return err
		}
		heads, err := db.IDs(ctx, d.R, `SELECT account_id FROM role_grants WHERE role = 'agency_head' AND agency_id = $1
			ORDER BY account_id LIMIT 1`, agency)
		if err != nil {
			return err
		}
		staff, err := db.IDs(ctx, d.R, `SELECT e.id FROM employees e JOIN accounts a ON a.employee_id = e.id
			WHERE e.agency_id = $1 AND e.active = TRUE AND NOT EXISTS (SELECT 1 FROM role_grants g WHERE g.account_id = a.id
			AND g.role <> 'employee') ORDER BY e.id LIMIT 4`, agency)
		if err != nil || len(admins) == 0 || len(heads) == 0 {
			return err
		}
		actors, err := auth.ActorsIn(ctx, d.R, []int64{admins[0], heads[0]})
		if err != nil {
			return err
		}
		for j, p := range staff {
			n, err := svc.Enrol(ctx, actors[admins[0]], id, p)
			if err != nil {
				return fmt.Errorf("demo: nominate: %w", err)
			}
			if i == 0 && j < len(staff)-1 {
				if err := svc.Decide(ctx, actors[heads[0]], n.ID, true); err != nil {
					return fmt.Errorf("demo: approve: %w", err)
				}
			}
		}
	}
	return nil
}

// demoLearners are people with accounts and no role beyond employee,
// spread over the agencies, in a fixed order: their employee ids, and
// each as an actor (by employee id).
func demoLearners(ctx context.Context, d *db.DB) ([]int64, map[int64]*policy.Actor, error) {
	accounts, err := db.IDs(ctx, d.R, `SELECT a.id FROM employees e JOIN accounts a ON a.employee_id = e.id
		WHERE e.active = TRUE AND NOT EXISTS (SELECT 1 FROM role_grants g WHERE g.account_id = a.id AND g.role <> 'employee')
		ORDER BY (e.id * 7919) % 1009, e.id LIMIT 40`)
	if err != nil {
		return nil, nil, err
	}
	actors, err := auth.ActorsIn(ctx, d.R, accounts)
	if err != nil {
		return nil, nil, err
	}
	people := make([]int64, 0, len(accounts))
	byEmployee := map[int64]*policy.Actor{}
	for _, a := range accounts {
		if actor := actors[a]; actor != nil {
			people = append(people, actor.EmployeeID)
			byEmployee[actor.EmployeeID] = actor
		}
	}
	return people, byEmployee, nil
}

// levels resolves the competencies a demo activity builds, by code,
// leaving out those not in the framework.
func levels(ctx context.Context, d *db.DB, comps map[string]int) []training.CompetencyLevel {
	var out []training.CompetencyLevel
	for code, level := range comps {
		var n int
		if err := d.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM competencies WHERE code = $1 AND retired_at IS NULL`, code).
			Scan(&n); err == nil && n > 0 {
			out = append(out, training.CompetencyLevel{Code: code, Level: level})
		}
	}
	return out
}

func cityZone() *time.Location {
	if zone, err := time.LoadLocation("Asia/Makassar"); err == nil {
		return zone
	}
	return time.FixedZone("WITA", 8*3600)
}

var demoComments = []string{
	"Materinya langsung bisa dipakai untuk memperbarui berita di website kami.",
	"Waktunya kurang untuk praktik; mohon ditambah satu hari.",
	"Pelatihnya sabar menjawab pertanyaan. Terima kasih, Daeng!",
	"",
}

var demoActivities = []struct {
	kind, title, desc, link string
	jp                      int
	comps                   map[string]int
}{
	{training.KindBimtek, "Bimtek Operator SIPD", "Penyusunan RKA, realisasi dan pelaporan di SIPD untuk operator OPD, dengan praktik langsung pada data latihan.", "", 24,
		map[string]int{"sipd.operasi": 2}},
	{training.KindWorkshop, "Keamanan Informasi untuk Seluruh Pegawai", "Kata sandi yang kuat, mengenali phishing, dan apa yang dilakukan bila akun dibobol.", "", 4,
		map[string]int{"keamanan-informasi": 2}},
	{training.KindBimtek, "Mengelola Konten Website OPD", "Menulis berita, mengunggah dokumen publik dan menjaga website OPD tetap mutakhir.", "", 16,
		map[string]int{"konten-website": 3}},
	{training.KindSelfStudy, "Literasi Digital Dasar", "Modul belajar mandiri: surel dinas, berbagi berkas, rapat daring.", "https://belajar.makassarkota.go.id/literasi-digital", 2,
		map[string]int{"literasi-digital": 1}},
	{training.KindOJT, "Pendampingan Operator SIMPEG di OPD", "Pelatih mendampingi operator di mejanya selama pemutakhiran data pegawai.", "", 6,
		map[string]int{"simpeg.operasi": 3}},
	{training.KindCourse, "Tata Kelola Data untuk Operator OPD", "Standar data, metadata dan keterbukaan data di Satu Data Makassar.", "", 8,
		map[string]int{"manajemen-data": 2}},
	{training.KindOnlineMeeting, "Forum Daring Pengelola Jaringan", "Berbagi masalah jaringan OPD dan cara menanganinya, sebulan sekali.", "", 2,
		map[string]int{"dasar-jaringan": 1}},
}
