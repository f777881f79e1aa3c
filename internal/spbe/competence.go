package spbe

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/ledger"
)

// CompetencePart is the evidence of ICT competence management.
type CompetencePart struct {
	Figures     []Figure          `json:"figures"`
	Policies    []Policy          `json:"policies"`
	Frameworks  []FrameworkRecord `json:"frameworks"`  // as they stood at the period's end
	Revisions   []RevisionRecord  `json:"revisions"`   // framework and competency versions made in the period
	Events      []EventRecord     `json:"events"`      // training events finished in the period
	Assessments []SourceCount     `json:"assessments"` // competency assessments in the period, per source
}

// FrameworkRecord is a competency framework with its active competencies.
type FrameworkRecord struct {
	Code         string `json:"code"`
	Name         string `json:"name"`
	Version      int    `json:"version"`
	Competencies int    `json:"competencies"`
}

// RevisionRecord is a new version of a framework or of one of its
// competencies.
type RevisionRecord struct {
	Kind    string    `json:"kind"` // framework or competency
	Name    string    `json:"name"`
	Version int       `json:"version"`
	Note    string    `json:"note"`
	At      time.Time `json:"at"`
}

// EventRecord is a training event finished in the period.
type EventRecord struct {
	ID         int64     `json:"id"`
	Title      string    `json:"title"`
	Kind       string    `json:"kind"`
	StartsAt   time.Time `json:"starts_at"`
	FinishedAt time.Time `json:"finished_at"`
	JP         int       `json:"jp"`
	Completed  int       `json:"completed"`
}

// SourceCount is how many assessments came from one source (self,
// trainer, supervisor, test, session, certificate, mentoring).
type SourceCount struct {
	Source string `json:"source"`
	Count  int    `json:"count"`
}

// competenceOf gathers the competency framework's and training's records;
// year is the one whose JP target applies, endDay the period's last day
// (YYYY-MM-DD, in the city's zone).
func competenceOf(ctx context.Context, q db.Querier, lang string, from, to time.Time, endDay string, year int) (CompetencePart, error) {
	var c CompetencePart
	// The frameworks as they stood at the period's end: those created by
	// then, at the version (and name) of their last revision before it
	// (before their first revision: the version it replaced), with the
	// competencies created by then and not retired.
	err := scanAll(ctx, q, `SELECT f.code,
		COALESCE((SELECT r.name FROM competency_framework_revisions r WHERE r.framework_id = f.id AND r.created_at < $1
			ORDER BY r.version DESC LIMIT 1), f.name),
		COALESCE((SELECT MAX(r.version) FROM competency_framework_revisions r WHERE r.framework_id = f.id AND r.created_at < $1),
			(SELECT MIN(r.version) - 1 FROM competency_framework_revisions r WHERE r.framework_id = f.id AND r.created_at >= $1),
			f.version),
		(SELECT count(*) FROM competencies k WHERE k.framework_id = f.id AND k.created_at < $1
			AND (k.retired_at IS NULL OR k.retired_at >= $1))
		FROM competency_frameworks f WHERE f.created_at < $1 ORDER BY f.code`, []any{to}, func(rows *sql.Rows) error {
		var r FrameworkRecord
		if err := rows.Scan(&r.Code, &r.Name, &r.Version, &r.Competencies); err != nil {
			return err
		}
		r.Version = max(r.Version, 1)
		c.Frameworks = append(c.Frameworks, r)
		return nil
	})
	if err != nil {
		return c, fmt.Errorf("spbe: frameworks: %w", err)
	}
	err = scanAll(ctx, q, `SELECT 'framework', name, version, note, created_at FROM competency_framework_revisions
		WHERE created_at >= $1 AND created_at < $2
		UNION ALL SELECT 'competency', name, version, note, created_at FROM competency_revisions
		WHERE created_at >= $1 AND created_at < $2 ORDER BY 5, 2`, []any{from, to}, func(rows *sql.Rows) error {
		var r RevisionRecord
		if err := rows.Scan(&r.Kind, &r.Name, &r.Version, &r.Note, &r.At); err != nil {
			return err
		}
		r.At = r.At.UTC()
		c.Revisions = append(c.Revisions, r)
		return nil
	})
	if err != nil {
		return c, fmt.Errorf("spbe: revisions: %w", err)
	}
	err = scanAll(ctx, q, `SELECT v.id, v.title, v.kind, v.starts_at, v.finished_at, v.jp,
		(SELECT count(*) FROM enrolments n WHERE n.event_id = v.id AND n.status = 'completed')
		FROM events v WHERE v.finished_at >= $1 AND v.finished_at < $2 AND v.cancelled_at IS NULL
		ORDER BY v.finished_at, v.id`, []any{from, to}, func(rows *sql.Rows) error {
		var r EventRecord
		if err := rows.Scan(&r.ID, &r.Title, &r.Kind, &r.StartsAt, &r.FinishedAt, &r.JP, &r.Completed); err != nil {
			return err
		}
		r.StartsAt, r.FinishedAt = r.StartsAt.UTC(), r.FinishedAt.UTC()
		c.Events = append(c.Events, r)
		return nil
	})
	if err != nil {
		return c, fmt.Errorf("spbe: events: %w", err)
	}
	err = scanAll(ctx, q, `SELECT source, count(*) FROM competency_assessments WHERE assessed_at >= $1 AND assessed_at < $2
		GROUP BY source ORDER BY source`, []any{from, to}, func(rows *sql.Rows) error {
		var r SourceCount
		if err := rows.Scan(&r.Source, &r.Count); err != nil {
			return err
		}
		c.Assessments = append(c.Assessments, r)
		return nil
	})
	if err != nil {
		return c, fmt.Errorf("spbe: assessments: %w", err)
	}
	// The requirements are as of generation (a removed one leaves no
	// trace); the employees are those active at the period's end: active
	// now or ended on its last day or later (the schema keeps no start
	// date, so one added to Lontara since is counted too).
	var requirements, jpTotal, learners, employees int
	err = q.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM competency_requirements),
		(SELECT COALESCE(SUM(jp), 0) FROM learning_records WHERE completed_at >= $1 AND completed_at < $2),
		(SELECT count(DISTINCT employee_id) FROM learning_records WHERE completed_at >= $1 AND completed_at < $2),
		(SELECT count(*) FROM employees WHERE active = TRUE OR ended_on >= $3)`, from, to, endDay).
		Scan(&requirements, &jpTotal, &learners, &employees)
	if err != nil {
		return c, fmt.Errorf("spbe: learning: %w", err)
	}
	target, err := ledger.TargetOf(ctx, q, year)
	if err != nil {
		return c, fmt.Errorf("spbe: JP target: %w", err)
	}
	assessed, verified, completed := 0, 0, 0
	for _, a := range c.Assessments {
		assessed += a.Count
		if a.Source != "self" {
			verified += a.Count
		}
	}
	competencies := 0
	for _, f := range c.Frameworks {
		competencies += f.Competencies
		c.Policies = append(c.Policies, rule(lang, CompetenceManagement, "spbe.rule.framework", f.Name, f.Version, f.Competencies))
	}
	for _, e := range c.Events {
		completed += e.Completed
	}
	c.Policies = append(c.Policies, rule(lang, CompetenceManagement, "spbe.rule.requirements", requirements))
	var perEmployee *float64
	if employees > 0 {
		perEmployee = ptr(float64(jpTotal) / float64(employees))
	}
	c.Policies = append(c.Policies, rule(lang, CompetenceManagement, "spbe.rule.jp_target", year, target))
	c.Figures = []Figure{count("frameworks", len(c.Frameworks)), count("competencies", competencies),
		count("revisions", len(c.Revisions)), count("requirements", requirements), count("assessments", assessed),
		count("assessments_verified", verified), count("events_finished", len(c.Events)),
		count("participants_completed", completed), figure("jp_total", "jp", ptr(float64(jpTotal))),
		count("people_learning", learners), count("employees_active", employees),
		figure("jp_per_employee", "jp", perEmployee), figure("jp_target", "jp", ptr(float64(target)))}
	return c, nil
}

func ptr(f float64) *float64 { return &f }

// scanAll runs query and hands each row to scan.
func scanAll(ctx context.Context, q db.Querier, query string, args []any, scan func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
