package demo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/auth"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/training"
)

// impactAttendees is how many people the demo's past SIPD bimtek trained.
const impactAttendees = 16

// sipdAsks are what SIPD users ask the help desk about, before they are
// trained and, less often, after.
var sipdAsks = []string{
	"Tidak bisa posting SPJ di SIPD",
	"Cara input rincian belanja sub kegiatan di SIPD",
	"Verifikasi SPP-UP di SIPD ditolak tanpa keterangan",
	"Lupa urutan penatausahaan LS di SIPD",
	"Laporan realisasi SIPD tidak sesuai",
}

// loadImpact gives the demo a training event whose impact can be read:
// "Bimtek Operator SIPD Angkatan I", held 45 days ago for staff in finance
// positions, attendees and their colleagues in the same positions alike
// asking the help desk about SIPD before it, the attendees rarely after,
// a few of them reading help articles on their own. Every ticket falls in
// the help desk demo's 90 days. It returns the tickets filed; nothing
// when the framework's SIPD activity or a trainer is missing.
func loadImpact(ctx context.Context, d *db.DB) (int, error) {
	var activity, app int64
	err := d.R.QueryRowContext(ctx, `SELECT a.id, c.app_id FROM activities a JOIN activity_competencies ac ON ac.activity_id = a.id
		JOIN competencies c ON c.id = ac.competency_id WHERE a.title = 'Bimtek Operator SIPD' AND c.app_id IS NOT NULL
		ORDER BY c.id LIMIT 1`).Scan(&activity, &app)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("demo: impact: %w", err)
	}
	trainers, err := db.IDs(ctx, d.R, `SELECT account_id FROM role_grants WHERE role = 'trainer' ORDER BY account_id LIMIT 1`)
	if err != nil || len(trainers) == 0 {
		return 0, err
	}
	actors, err := auth.ActorsIn(ctx, d.R, trainers)
	if err != nil || actors[trainers[0]] == nil {
		return 0, err
	}
	trainer := actors[trainers[0]]
	attendees, colleagues, err := impactPeople(ctx, d)
	if err != nil || len(attendees) < impactAttendees {
		return 0, err
	}
	svc := training.NewService(d, cityZone())
	day := time.Now().In(cityZone())
	starts := time.Date(day.Year(), day.Month(), day.Day()-45, 8, 0, 0, 0, cityZone())
	ev, err := svc.CreateEvent(ctx, trainer, training.EventInput{ActivityID: &activity, Title: "Bimtek Operator SIPD Angkatan I",
		StartsAt: starts, EndsAt: starts.Add(8 * time.Hour), Days: 2, Capacity: 30, Place: "Ruang Pelatihan BKPSDM"})
	if err != nil {
		return 0, fmt.Errorf("demo: impact event: %w", err)
	}
	for _, p := range attendees {
		n, err := svc.Enrol(ctx, trainer, ev.ID, p.employee)
		if err != nil {
			return 0, fmt.Errorf("demo: impact enrol: %w", err)
		}
		for _, s := range ev.Sessions {
			if _, err := svc.Mark(ctx, trainer, s.ID, training.AttendanceInput{EmployeeID: n.EmployeeID}); err != nil {
				return 0, fmt.Errorf("demo: impact attendance: %w", err)
			}
		}
	}
	if _, err := svc.Finish(ctx, trainer, ev.ID); err != nil {
		return 0, fmt.Errorf("demo: impact finish: %w", err)
	}
	end := ev.Sessions[len(ev.Sessions)-1].EndsAt.UTC()
	filed := 0
	err = d.Tx(ctx, func(tx *sql.Tx) error {
		for _, q := range []string{`UPDATE events SET finished_at = $1 WHERE id = $2`,
			`UPDATE enrolments SET completed_at = $1 WHERE event_id = $2 AND status = 'completed'`} {
			if _, err := tx.ExecContext(ctx, q, end, ev.ID); err != nil {
				return fmt.Errorf("demo: impact history: %w", err)
			}
		}
		filed, err = impactActivity(ctx, tx, app, starts.UTC(), end, attendees, colleagues)
		return err
	})
	return filed, err
}

// impactPerson is someone in the demo's comparison.
type impactPerson struct{ employee, account, agency int64 }

// impactPeople picks the attendees and their colleagues: people with an
// account and no role beyond employee, in finance positions first,
// alternating within each agency and position so every attendee has a
// colleague who stayed.
func impactPeople(ctx context.Context, d *db.DB) (attendees, colleagues []impactPerson, err error) {
	rows, err := d.R.QueryContext(ctx, `SELECT e.id, a.id, e.agency_id FROM employees e JOIN accounts a ON a.employee_id = e.id
		JOIN positions p ON p.id = e.position_id
		WHERE e.active = TRUE AND NOT EXISTS (SELECT 1 FROM role_grants g WHERE g.account_id = a.id AND g.role <> 'employee')
		AND (SELECT count(*) FROM employees x WHERE x.agency_id = e.agency_id AND x.position_id = e.position_id AND x.active = TRUE) >= 2
		ORDER BY CASE WHEN p.name LIKE '%Keuangan%' THEN 0 ELSE 1 END, e.agency_id, e.position_id, e.id LIMIT 64`)
	if err != nil {
		return nil, nil, fmt.Errorf("demo: impact people: %w", err)
	}
	defer rows.Close()
	i := 0
	for rows.Next() {
		var p impactPerson
		if err := rows.Scan(&p.employee, &p.account, &p.agency); err != nil {
			return nil, nil, fmt.Errorf("demo: impact people: %w", err)
		}
		if i%2 == 0 && len(attendees) < impactAttendees {
			attendees = append(attendees, p)
		} else {
			colleagues = append(colleagues, p)
		}
		i++
	}
	return attendees, colleagues, rows.Err()
}

// impactActivity files the SIPD tickets (closed, each with the help
// desk's answer) and the self-service of both groups around the event,
// and returns how many tickets it filed.
func impactActivity(ctx context.Context, tx *sql.Tx, app int64, starts, end time.Time, attendees, colleagues []impactPerson) (int, error) {
	var agent int64
	var agentName string
	if err := tx.QueryRowContext(ctx, `SELECT g.account_id, e.name FROM role_grants g JOIN accounts a ON a.id = g.account_id
		JOIN employees e ON e.id = a.employee_id WHERE g.role = 'agent' ORDER BY g.account_id LIMIT 1`).
		Scan(&agent, &agentName); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("demo: impact agent: %w", err)
	}
	filed := 0
	file := func(p impactPerson, n int, at time.Time) error {
		subject := sipdAsks[n%len(sipdAsks)]
		id, err := db.InsertID(ctx, tx, `INSERT INTO tickets (subject, body, reporter_account_id, channel, category, app_id,
			agency_id, priority, status, first_response_due, resolution_due, first_responded_at, resolved_at, closed_at,
			created_at, updated_at) VALUES ($1, 'Mohon bantuannya, pekerjaan kami tertahan.', $2, 'web', 'application', $3, $4,
			'normal', 'closed', $5, $6, $7, $8, $9, $10, $9) RETURNING id`, subject, p.account, app, p.agency,
			at.Add(4*time.Hour), at.Add(24*time.Hour), at.Add(40*time.Minute), at.Add(5*time.Hour), at.Add(72*time.Hour), at)
		if err != nil {
			return err
		}
		if filed++; agent == 0 {
			return nil // no help desk in this world to answer
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO ticket_messages (ticket_id, author_account_id, author, body, created_at)
			VALUES ($1, $2, $3, 'Sudah kami bantu langkah demi langkah; silakan dicoba lagi dan kabari bila masih terkendala.', $4)`,
			id, agent, agentName, at.Add(40*time.Minute))
		return err
	}
	for i, p := range append(append([]impactPerson{}, attendees...), colleagues...) {
		attended := i < len(attendees)
		before, after := 2+i%2, 2+(i/2)%2 // colleagues keep asking at about the same pace
		if attended {
			after = i % 3 / 2 // a third of the attendees ask once more
		}
		for k := range before {
			if err := file(p, i+k, starts.AddDate(0, 0, -42+12*k+i%9)); err != nil {
				return 0, fmt.Errorf("demo: impact ticket: %w", err)
			}
		}
		for k := range after {
			if err := file(p, i+k+2, end.AddDate(0, 0, 3+12*k+i%8)); err != nil {
				return 0, fmt.Errorf("demo: impact ticket: %w", err)
			}
		}
	}
	return filed, impactSelfService(ctx, tx, app, end, attendees)
}

// impactSelfService has half the attendees open a published article from
// the help form after the bimtek (and file no ticket for it): solved by
// self-service. Nothing without a published article.
func impactSelfService(ctx context.Context, tx *sql.Tx, app int64, end time.Time, attendees []impactPerson) error {
	var article int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM articles WHERE status = 'published' ORDER BY id LIMIT 1`).Scan(&article)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("demo: impact article: %w", err)
	}
	for i, p := range attendees {
		if i%2 == 1 {
			continue
		}
		at := end.AddDate(0, 0, 10+i)
		if _, err := tx.ExecContext(ctx, `INSERT INTO search_self_service (article_id, account_id, app_id, viewed_at, window_ends_at)
			VALUES ($1, $2, $3, $4, $5)`, article, p.account, app, at, at.Add(72*time.Hour)); err != nil {
			return fmt.Errorf("demo: impact self-service: %w", err)
		}
	}
	return nil
}
