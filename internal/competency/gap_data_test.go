package competency_test

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
)

// gapData describes a generated data set for gap analysis.
type gapData struct {
	People, Agencies, Competencies, Requirements int
	Needs, Gaps                                  int // person × competency pairs required, and short
}

// The shape of the generated organisation: the 30 competencies (6
// general, and operating and administering 12 applications), 40
// positions, about 250 people per agency.
const (
	genGeneral   = 6
	genApps      = 12
	genComps     = genGeneral + 2*genApps
	genPositions = 40
	genPerAgency = 250
)

// seedGapData generates a city of n people for gap analysis, straight into
// the database by SQL (recursive counts both engines run), the same on
// every run. Every person has an account with the employee role and a
// position; one in five operates an application, one per agency
// administers it. Requirements: the 6 general competencies at level 2 for
// every employee, 12 competencies at levels 1–4 for each position,
// operating each application at level 3 for its operators, information
// security at level 4 for agency admins, and data management at level 3 in
// the first 20 agencies. So a person needs 14 to 17 of the 30 (about 16). Each person
// holds a verified level in two thirds of all 30 competencies (one in ten
// of those lapsed, one in five lapsing later). The help desk has five
// procedure tickets from each of four people about one application in
// each of the first ten agencies (each a signal), and a year of a city's
// tickets besides (seedHelpdesk); there are activities and events building
// the competencies (seedLearning). Levels are written to
// competency_held directly: RecordEvidence keeps that table in a real
// install (see TestHeldLevelsFollowAssessments).
func seedGapData(tb testing.TB, d *db.DB, n int) gapData {
	tb.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	agencies := max(1, n/genPerAgency)
	data := gapData{People: n, Agencies: agencies, Competencies: genComps}
	// Times in microseconds since 1970: SQLite stores them so, PostgreSQL
	// converts them.
	ts := func(us string) string { return us }
	if d.Engine() == db.Postgres {
		ts = func(us string) string { return "to_timestamp((" + us + ") / 1000000.0)" }
	}
	nowUS := strconv.FormatInt(now.UnixMicro(), 10)
	// Each held level: "competency:level", lapsed a day ago for one in
	// ten, lapsing in a year for one in five.
	nowS := strconv.FormatInt(now.Unix(), 10)
	entry := `CAST(c AS TEXT) || ':' || CAST(1 + h / 3 % 4 AS TEXT) || CASE WHEN h / 12 % 10 = 0 THEN ':' || CAST(` + nowS +
		` - 86400 AS TEXT) WHEN h / 12 % 10 < 3 THEN ':' || CAST(` + nowS + ` + 86400 * 365 AS TEXT) ELSE '' END`
	concat := "group_concat(" + entry + ", ',')"
	if d.Engine() == db.Postgres {
		concat = "string_agg(" + entry + ", ',')"
	}
	count := func(name string, n int) string {
		return fmt.Sprintf(`WITH RECURSIVE %s(i) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT i + 1 FROM %s WHERE i < %d) `,
			name, name, n)
	}
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		first := func(table string) (int64, error) {
			var id int64
			err := tx.QueryRowContext(ctx, `SELECT COALESCE(MIN(id), 0) FROM `+table).Scan(&id)
			return id, err
		}
		steps := []string{
			count("s", agencies) + `INSERT INTO agencies (code, name, type, created_at, updated_at)
				SELECT 'GEN' || i, 'Dinas Contoh ' || i, 'dinas', ` + ts(nowUS) + `, ` + ts(nowUS) + ` FROM s`,
			count("s", genPositions) + `INSERT INTO positions (name, created_at) SELECT 'Jabatan ' || i, ` + ts(nowUS) + ` FROM s`,
			`INSERT INTO competency_frameworks (code, name, created_at, updated_at) VALUES ('gen', 'Kerangka', ` +
				ts(nowUS) + `, ` + ts(nowUS) + `)`,
		}
		for _, q := range steps {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("%.60s: %w", q, err)
			}
		}
		agency0, err := first("agencies")
		if err != nil {
			return err
		}
		for i := range genApps {
			if _, err := tx.ExecContext(ctx, `INSERT INTO apps (slug, name, owner_agency_id, status, created_at, updated_at)
				VALUES ($1, $2, $3, 'active', $4, $4)`, fmt.Sprintf("app%d", i), fmt.Sprintf("Aplikasi %d", i), agency0, now); err != nil {
				return err
			}
		}
		app0, err := first("apps")
		if err != nil {
			return err
		}
		for i := range genComps {
			code, app, use := fmt.Sprintf("umum-%d", i), any(nil), any(nil)
			if i >= genGeneral {
				a := (i - genGeneral) / 2
				app = app0 + int64(a)
				code, use = fmt.Sprintf("app%d.operasi", a), "operate"
				if (i-genGeneral)%2 == 1 {
					code, use = fmt.Sprintf("app%d.administrasi", a), "administer"
				}
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO competencies (framework_id, code, name, app_id, app_use, level1, level2,
				level3, level4, created_at, updated_at) SELECT id, $1, $1, $2, $3, 'a', 'b', 'c', 'd', $4, $4
				FROM competency_frameworks WHERE code = 'gen'`, code, app, use, now); err != nil {
				return err
			}
		}
		pos0, err := first("positions")
		if err != nil {
			return err
		}
		comp0, err := first("competencies")
		if err != nil {
			return err
		}
		a0, p0, c0, ap0 := strconv.FormatInt(agency0, 10), strconv.FormatInt(pos0, 10), strconv.FormatInt(comp0, 10),
			strconv.FormatInt(app0, 10)
		h := `((i * 2654435761) % 4294967291)`
		steps = []string{
			count("s", n) + `INSERT INTO employees (agency_id, position_id, name, employment_type, created_at, updated_at)
				SELECT ` + a0 + ` + (i - 1) % ` + strconv.Itoa(agencies) + `, ` + p0 + ` + ` + h + ` % ` + strconv.Itoa(genPositions) + `,
				'Pegawai ' || i, 'contract', ` + ts(nowUS) + `, ` + ts(nowUS) + ` FROM s`,
			`INSERT INTO accounts (employee_id, created_at, updated_at) SELECT id, created_at, created_at FROM employees`,
			`INSERT INTO role_grants (account_id, role, agency_id, created_at)
				SELECT a.id, 'employee', e.agency_id, a.created_at FROM accounts a JOIN employees e ON e.id = a.employee_id`,
			`INSERT INTO role_grants (account_id, role, agency_id, app_id, created_at)
				SELECT a.id, 'operator', e.agency_id, ` + ap0 + ` + (e.id / 5) % ` + strconv.Itoa(genApps) + `, a.created_at
				FROM accounts a JOIN employees e ON e.id = a.employee_id WHERE e.id % 5 = 0`,
			`INSERT INTO role_grants (account_id, role, agency_id, created_at)
				SELECT a.id, 'agency_admin', e.agency_id, a.created_at FROM accounts a JOIN employees e ON e.id = a.employee_id
				WHERE (e.id - (SELECT MIN(id) FROM employees)) < ` + strconv.Itoa(agencies),
			// requirements
			count("s", genGeneral) + `INSERT INTO competency_requirements (competency_id, level, role, created_at)
				SELECT ` + c0 + ` + i - 1, 2, 'employee', ` + ts(nowUS) + ` FROM s`,
			count("p", genPositions) + `, k(j) AS (SELECT CAST(0 AS BIGINT) UNION ALL SELECT j + 1 FROM k WHERE j < 11)
				INSERT INTO competency_requirements (competency_id, level, position_id, created_at)
				SELECT ` + c0 + ` + (i * 7 + j * 11) % ` + strconv.Itoa(genComps) + `, 1 + (i + j) % 4, ` + p0 + ` + i - 1, ` + ts(nowUS) + `
				FROM p, k`,
			count("s", genApps) + `INSERT INTO competency_requirements (competency_id, level, app_id, created_at)
				SELECT ` + c0 + ` + ` + strconv.Itoa(genGeneral) + ` + (i - 1) * 2, 3, ` + ap0 + ` + i - 1, ` + ts(nowUS) + ` FROM s`,
			`INSERT INTO competency_requirements (competency_id, level, role, created_at) VALUES (` + c0 + ` + 1, 4, 'agency_admin', ` + ts(nowUS) + `)`,
			count("s", min(20, agencies)) + `INSERT INTO competency_requirements (competency_id, level, role, agency_id, created_at)
				SELECT ` + c0 + ` + 4, 3, 'employee', ` + a0 + ` + i - 1, ` + ts(nowUS) + ` FROM s`,
			// verified levels held: two thirds of every person's pairs
			count("c", genComps) + `, x AS (SELECT e.id AS e, ` + c0 + ` + c.i - 1 AS c, ((e.id * 40503 + c.i * 2654435761) % 4294967291) AS h
				FROM employees e, c)
				INSERT INTO competency_held (employee_id, levels, updated_at)
				SELECT e, ` + concat + `, ` + ts(nowUS) + ` FROM x WHERE h % 3 <> 0 GROUP BY e`,
		}
		for _, q := range steps {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("%.80s: %w", q, err)
			}
		}
		if err := seedProcedureTickets(ctx, tx, d, min(10, agencies), agency0, app0, now); err != nil {
			return err
		}
		if err := seedHelpdesk(ctx, tx, n, ts, nowUS, ap0); err != nil {
			return err
		}
		return seedLearning(ctx, tx, agencies, ts, nowUS, a0, c0)
	})
	if err != nil {
		tb.Fatal(err)
	}
	analyze := `PRAGMA optimize`
	if d.Engine() == db.Postgres {
		analyze = `VACUUM ANALYZE`
	}
	if _, err := d.W.Exec(analyze); err != nil {
		tb.Fatal(err)
	}
	return data
}

// seedProcedureTickets files, in each of the first k agencies, five
// procedure tickets from each of four of its people about application
// app0 + agency index, last month.
func seedProcedureTickets(ctx context.Context, tx *sql.Tx, d *db.DB, k int, agency0, app0 int64, now time.Time) error {
	for a := range k {
		agency := agency0 + int64(a)
		reporters, err := db.IDs(ctx, tx, `SELECT a.id FROM accounts a JOIN employees e ON e.id = a.employee_id
			WHERE e.agency_id = $1 ORDER BY e.id LIMIT 4`, agency)
		if err != nil {
			return err
		}
		for _, acct := range reporters {
			for t := range 5 {
				at := now.Add(-time.Duration(24*(t+1)) * time.Hour)
				if err := fileProcedureTicket(ctx, tx, acct, agency, app0+int64(a%genApps), at); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// fileProcedureTicket inserts a resolved procedure ticket.
func fileProcedureTicket(ctx context.Context, tx db.Querier, account, agency, app int64, at time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO tickets (subject, reporter_account_id, channel, category, app_id, agency_id,
		priority, status, first_response_due, resolution_due, resolved_at, created_at, updated_at)
		VALUES ('Bagaimana cara mengisi formulir?', $1, 'web', 'procedure', $2, $3, 'normal', 'resolved', $4, $4, $4, $4, $4)`,
		account, app, agency, at)
	return err
}

// genTicketsPerPerson is a year of help desk tickets for each person: a
// city of 15,000 files about 45,000 (some 120 a day).
const genTicketsPerPerson = 3

// seedHelpdesk files a year of tickets for a city of n people, spread over
// the year and its people: three in ten procedure questions about one of
// the applications, the rest about applications, the network, accounts,
// requests and other things; resolved, but for the last week's.
func seedHelpdesk(ctx context.Context, tx *sql.Tx, n int, ts func(string) string, nowUS, ap0 string) error {
	total := n * genTicketsPerPerson
	h := `((i * 2654435761) % 4294967291)`
	at := ts(nowUS + ` - (t.h % (365 * 86400)) * 1000000`)
	_, err := tx.ExecContext(ctx, fmt.Sprintf(`WITH RECURSIVE s(i) AS (SELECT CAST(1 AS BIGINT) UNION ALL
		SELECT i + 1 FROM s WHERE i < %d),
		t AS (SELECT i, %s AS h, (SELECT MIN(id) FROM employees) + (i * 40503) %% %d AS emp FROM s)
		INSERT INTO tickets (subject, reporter_account_id, channel, category, app_id, agency_id, priority, status,
			first_response_due, resolution_due, resolved_at, created_at, updated_at)
		SELECT 'Tiket ' || t.i, a.id, 'web',
			CASE WHEN t.h %% 10 < 3 THEN 'procedure' WHEN t.h %% 10 < 5 THEN 'application' WHEN t.h %% 10 = 5 THEN 'network'
				WHEN t.h %% 10 = 6 THEN 'account' WHEN t.h %% 10 < 9 THEN 'request' ELSE 'other' END,
			CASE WHEN t.h %% 10 < 5 THEN %s + t.h / 10 %% %d END, e.agency_id, 'normal',
			CASE WHEN t.h %% (365 * 86400) < 7 * 86400 THEN 'open' ELSE 'resolved' END,
			%s, %s, CASE WHEN t.h %% (365 * 86400) < 7 * 86400 THEN NULL ELSE %s END, %s, %s
		FROM t JOIN employees e ON e.id = t.emp JOIN accounts a ON a.employee_id = e.id`,
		total, h, n, ap0, genApps, at, at, at, at, at))
	if err != nil {
		return fmt.Errorf("help desk: %w", err)
	}
	return nil
}

// genActivities and genEvents are the city's catalogue of learning: each
// activity builds two competencies; its events run through the year, a
// third of them for one agency only.
const (
	genActivities = 60
	genEvents     = 360
)

// seedLearning adds the activities, each building two of the competencies,
// and their events a day apart from half a year ago to half a year on (the
// past ones finished), with the activity's competencies.
func seedLearning(ctx context.Context, tx *sql.Tx, agencies int, ts func(string) string, nowUS, a0, c0 string) error {
	// day i of the events, at the hour given: half a year ago to half a year on.
	day := func(hour int) string {
		return ts(fmt.Sprintf("%s + (i - %d) * 86400000000 + %d * 3600000000", nowUS, genEvents/2, hour))
	}
	steps := []string{
		fmt.Sprintf(`WITH RECURSIVE s(i) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT i + 1 FROM s WHERE i < %d)
			INSERT INTO activities (kind, title, jp, created_at, updated_at) SELECT 'bimtek', 'Pelatihan ' || i, 8, %s, %s FROM s`,
			genActivities, ts(nowUS), ts(nowUS)),
		fmt.Sprintf(`INSERT INTO activity_competencies (activity_id, competency_id, level)
			SELECT id, %s + id %% %d, 1 + id %% 4 FROM activities
			UNION ALL SELECT id, %s + (id + %d) %% %d, 1 + (id / 4) %% 4 FROM activities`, c0, genComps, c0, genComps/2, genComps),
		fmt.Sprintf(`WITH RECURSIVE s(i) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT i + 1 FROM s WHERE i < %d)
			INSERT INTO events (activity_id, kind, title, starts_at, ends_at, capacity, jp, agency_id, finished_at, created_at, updated_at)
			SELECT (SELECT MIN(id) FROM activities) + i %% %d, 'bimtek', 'Angkatan ' || i, %s, %s, 30, 8,
				CASE WHEN i %% 3 = 0 THEN %s + i %% %d END, CASE WHEN i < %d THEN %s END, %s, %s FROM s`,
			genEvents, genActivities, day(0), day(8), a0, agencies, genEvents/2, day(9), ts(nowUS), ts(nowUS)),
		`INSERT INTO event_competencies (event_id, competency_id, level)
			SELECT e.id, ac.competency_id, ac.level FROM events e JOIN activity_competencies ac ON ac.activity_id = e.activity_id`,
	}
	for _, q := range steps {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("learning: %.60s: %w", q, err)
		}
	}
	return nil
}
