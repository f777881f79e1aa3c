package demo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/competency"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/policy"
)

// loadGaps gives the demo city's gap analysis something to show, once the
// framework's demo has made the competencies and requirements (none: it
// does nothing): verified levels for about two in three of the first
// demoAssessed people, written through competency.RecordEvidence as a
// supervisor's, a trainer's or a session's, some long enough ago to have
// lapsed, and the help desk's signal (loadProcedureTickets).
func loadGaps(ctx context.Context, d *db.DB) (tickets int, err error) {
	comps := map[string]int64{}
	operate := map[int64]int64{} // app → its operating competency
	rows, err := d.R.QueryContext(ctx, `SELECT id, code, COALESCE(app_id, 0), COALESCE(app_use, '') FROM competencies
		WHERE retired_at IS NULL`)
	if err != nil {
		return 0, fmt.Errorf("demo: competencies: %w", err)
	}
	for rows.Next() {
		var id, app int64
		var code, use string
		if err := rows.Scan(&id, &code, &app, &use); err != nil {
			rows.Close()
			return 0, fmt.Errorf("demo: competencies: %w", err)
		}
		comps[code] = id
		if use == "operate" {
			operate[app] = id
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(comps) == 0 {
		return 0, err
	}
	now := time.Now().UTC()
	err = d.Tx(ctx, func(tx *sql.Tx) error {
		n := 0
		people, err := demoOperators(ctx, tx)
		if err != nil {
			return err
		}
		people = people[:min(len(people), demoAssessed)] // the larger worlds keep to their first people
		sources := []string{competency.SourceSupervisor, competency.SourceTrainer, competency.SourceSession}
		for _, p := range people {
			codes := []int64{comps["literasi-digital"], comps["keamanan-informasi"], comps["webmail"], operate[p.app]}
			for k, comp := range codes {
				h := (p.id*2654435761 + int64(k)*40503) % 997
				if comp == 0 || h%3 == 0 {
					continue // about one in three never assessed
				}
				e := competency.Evidence{EmployeeID: p.id, CompetencyID: comp, Level: int(1 + h/3%4),
					Source: sources[h%3], At: now.AddDate(0, 0, -int(h%700))}
				if e.Source == competency.SourceSession {
					e.EvidenceKind, e.EvidenceRef = "session", "demo"
				}
				if err := competency.RecordEvidence(ctx, tx, e); err != nil {
					return fmt.Errorf("demo: evidence: %w", err)
				}
				n++
			}
		}
		return audit.Write(ctx, tx, policy.SystemActor("demo"), audit.Entry{Action: "demo_gaps", Entity: "demo",
			After: map[string]any{"assessments": n}})
	})
	if err != nil {
		return 0, err
	}
	return loadProcedureTickets(ctx, d, operate)
}

// sipdQuestions are how-do-I questions about SIPD, as an agency's finance
// staff ask them in budgeting season.
var sipdQuestions = []string{
	"Cara mengunggah dokumen RKA di SIPD",
	"Langkah revisi anggaran pergeseran di SIPD",
	"Bagaimana mengisi kode rekening belanja di SIPD?",
	"Cara mencetak laporan realisasi dari SIPD",
	"Menu verifikasi SPP di SIPD tidak ketemu",
	"Urutan persetujuan DPA di SIPD",
}

// loadProcedureTickets has four staff of the agency of SIPD's first
// operator ask the help desk how to do things in SIPD, six tickets in
// all, filed through the help desk service: enough for the gap analysis
// to infer that the agency needs training in operating SIPD (see
// competency.HelpdeskMinTickets). Nothing when SIPD or its operating
// competency is missing. It returns the number of tickets filed.
func loadProcedureTickets(ctx context.Context, d *db.DB, operate map[int64]int64) (int, error) {
	var app, agency int64
	err := d.R.QueryRowContext(ctx, `SELECT p.id, e.agency_id FROM apps p
		JOIN role_grants g ON g.app_id = p.id AND g.role = 'operator'
		JOIN accounts a ON a.id = g.account_id JOIN employees e ON e.id = a.employee_id
		WHERE p.slug = 'sipd' ORDER BY e.id LIMIT 1`).Scan(&app, &agency)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && operate[app] == 0) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("demo: SIPD: %w", err)
	}
	rows, err := d.R.QueryContext(ctx, `SELECT a.id, e.id, e.name, COALESCE(e.email, '') FROM employees e
		JOIN accounts a ON a.employee_id = e.id WHERE e.agency_id = $1 AND e.active = TRUE ORDER BY e.id LIMIT 4`, agency)
	if err != nil {
		return 0, fmt.Errorf("demo: staff: %w", err)
	}
	var staff []*policy.Actor
	for rows.Next() {
		a := &policy.Actor{AgencyID: agency}
		if err := rows.Scan(&a.AccountID, &a.EmployeeID, &a.Name, &a.Email); err != nil {
			rows.Close()
			return 0, fmt.Errorf("demo: staff: %w", err)
		}
		a.Grants = []policy.Grant{{Role: policy.Employee, AgencyID: agency}}
		staff = append(staff, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(staff) == 0 {
		return 0, err
	}
	desk := helpdesk.NewService(d)
	for i, q := range sipdQuestions {
		if _, err := desk.CreateTicket(ctx, staff[i%len(staff)], helpdesk.TicketInput{Subject: q, Category: "procedure",
			AppID: &app, Body: "Mohon panduan langkah-langkahnya, kami baru pertama kali mengerjakannya."}); err != nil {
			return 0, fmt.Errorf("demo: procedure ticket: %w", err)
		}
	}
	return len(sipdQuestions), nil
}

// demoPerson is an active person with an account, and the application
// they operate (0: none).
type demoPerson struct{ id, app int64 }

func demoOperators(ctx context.Context, tx *sql.Tx) ([]demoPerson, error) {
	rows, err := tx.QueryContext(ctx, `SELECT e.id, COALESCE(MIN(g.app_id), 0) FROM employees e
		JOIN accounts a ON a.employee_id = e.id
		LEFT JOIN role_grants g ON g.account_id = a.id AND g.role = 'operator' AND g.app_id IS NOT NULL
		WHERE e.active = TRUE GROUP BY e.id ORDER BY e.id`)
	if err != nil {
		return nil, fmt.Errorf("demo: people: %w", err)
	}
	defer rows.Close()
	var out []demoPerson
	for rows.Next() {
		var p demoPerson
		if err := rows.Scan(&p.id, &p.app); err != nil {
			return nil, fmt.Errorf("demo: people: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
