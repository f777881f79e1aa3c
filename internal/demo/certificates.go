package demo

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/certificate"
	"github.com/lontara-id/lontara/internal/competency"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/ledger"
	"github.com/lontara-id/lontara/internal/policy"
)

// The demo city's certificates. Every finished training event whose
// completed participants have none yet gets them, issued by the expert
// team through the certificates service (so they are evidence, notified
// and audited as a trainer's would be). When the demo has no finished
// event (the training demo is not there), one is held: a bimtek two weeks
// ago on information security and webmail, attended by operators and staff
// of several agencies; one of its certificates is revoked, so the
// verification page has both answers to show.
func loadCertificates(ctx context.Context, d *db.DB, ds *dataset) error {
	people := demoPeople(ds)
	expert := people["expert"]
	if expert == nil {
		return nil
	}
	zone, err := time.LoadLocation("Asia/Makassar")
	if err != nil {
		zone = time.FixedZone("WITA", 8*3600)
	}
	svc := certificate.NewService(d, zone)
	events, err := db.IDs(ctx, d.R, `SELECT id FROM events WHERE finished_at IS NOT NULL AND cancelled_at IS NULL ORDER BY id`)
	if err != nil {
		return fmt.Errorf("demo: finished events: %w", err)
	}
	held := len(events) == 0
	if held {
		id, err := holdSecurityBimtek(ctx, d, ds, zone)
		if err != nil {
			return err
		}
		events = []int64{id}
	}
	for _, ev := range events {
		out, err := svc.Issue(ctx, expert, ev)
		if err != nil {
			return fmt.Errorf("demo: certificates of event %d: %w", ev, err)
		}
		if held && len(out.Certificates) > 1 {
			last := out.Certificates[len(out.Certificates)-1]
			if _, err := svc.Revoke(ctx, expert, last.Code, certificate.RevokeInput{
				Reason: "Peserta tercatat ganda; sertifikat yang benar diterbitkan atas nama yang sama di angkatan berikutnya."}); err != nil {
				return fmt.Errorf("demo: revoke: %w", err)
			}
		}
	}
	return nil
}

// holdSecurityBimtek writes a finished bimtek, its competencies (those of
// the standard framework that exist), its trainer and its completed
// participants with their JP and session evidence, as finishing an event
// does, and returns its id.
func holdSecurityBimtek(ctx context.Context, d *db.DB, ds *dataset, zone *time.Location) (int64, error) {
	var trainer int64
	for _, g := range ds.Grants {
		if g.Role == string(policy.Trainer) {
			trainer = g.AccountID
			break
		}
	}
	// Twenty participants: the first person of every few agencies who
	// holds no role beyond employee, in a fixed order.
	taken := map[int64]bool{}
	for _, g := range ds.Grants {
		taken[g.AccountID] = true
	}
	seen := map[int64]bool{}
	var participants []int64
	for _, e := range ds.Employees {
		if len(participants) == 20 {
			break
		}
		if taken[e.ID] || seen[e.AgencyID] || e.Email == "" {
			continue
		}
		seen[e.AgencyID] = true
		participants = append(participants, e.ID)
	}
	day := time.Now().In(zone).AddDate(0, 0, -14)
	start := time.Date(day.Year(), day.Month(), day.Day(), 8, 30, 0, 0, zone).UTC()
	end := start.Add(7 * time.Hour)
	title := "Bimtek Keamanan Informasi dan Webmail untuk Operator OPD"
	var id int64
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = db.InsertID(ctx, tx, `INSERT INTO events (kind, title, description, starts_at, ends_at, place,
			capacity, jp, created_by, finished_at, created_at, updated_at)
			VALUES ('bimtek', $1, $2, $3, $4, 'Ruang Rapat Diskominfo, Balai Kota Makassar', 30, 8, $5, $6, $7, $7) RETURNING id`,
			title, "Mengenali surel tipuan (phishing), kata sandi yang kuat, dan memakai webmail resmi @makassarkota.go.id.",
			start, end, db.NullID(trainer), end.Add(time.Hour), start.AddDate(0, 0, -21))
		if err != nil {
			return fmt.Errorf("demo: bimtek: %w", err)
		}
		if trainer != 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO event_trainers (event_id, account_id) VALUES ($1, $2)`, id, trainer); err != nil {
				return fmt.Errorf("demo: bimtek trainer: %w", err)
			}
		}
		comps := map[int64]int{}
		for code, level := range map[string]int{"keamanan-informasi": 2, "webmail": 2} {
			var c int64
			switch err := tx.QueryRowContext(ctx, `SELECT id FROM competencies WHERE code = $1`, code).Scan(&c); {
			case err == sql.ErrNoRows:
				continue // the framework's demo is not there
			case err != nil:
				return fmt.Errorf("demo: competency %s: %w", code, err)
			}
			comps[c] = level
			if _, err := tx.ExecContext(ctx, `INSERT INTO event_competencies (event_id, competency_id, level) VALUES ($1, $2, $3)`,
				id, c, level); err != nil {
				return fmt.Errorf("demo: bimtek competency: %w", err)
			}
		}
		for _, p := range participants {
			en, err := db.InsertID(ctx, tx, `INSERT INTO enrolments (event_id, employee_id, status, approval, source,
				completed_at, created_at, updated_at) VALUES ($1, $2, 'completed', 'not_needed', 'organizer', $3, $4, $3)
				RETURNING id`, id, p, end, start.AddDate(0, 0, -7))
			if err != nil {
				return fmt.Errorf("demo: enrolment: %w", err)
			}
			if err := ledger.Record(ctx, tx, ledger.Entry{EmployeeID: p, Kind: "bimtek", Title: title, JP: 8, EventID: id,
				SourceKind: ledger.SourceEnrolment, SourceID: en, CompletedAt: end}); err != nil {
				return err
			}
			for c, level := range comps {
				if err := competency.RecordEvidence(ctx, tx, competency.Evidence{EmployeeID: p, CompetencyID: c, Level: level,
					Source: competency.SourceSession, EvidenceKind: "session", EvidenceRef: fmt.Sprint(id), At: end}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return id, err
}
