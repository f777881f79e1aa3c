package ledger

import (
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/tabular"
)

// Line is one piece of finished learning in a person's ledger.
type Line struct {
	ID          int64     `json:"id"`
	Kind        string    `json:"kind"`
	Title       string    `json:"title"`
	JP          int       `json:"jp"`
	ActivityID  *int64    `json:"activity_id"`
	EventID     *int64    `json:"event_id"`
	Source      string    `json:"source"`
	CompletedAt time.Time `json:"completed_at"`
	// Provider, Evidence and ExternalID are those of learning done outside
	// Lontara (source manual) as recorded.
	Provider   string `json:"provider,omitempty"`
	Evidence   string `json:"evidence,omitempty"`
	ExternalID *int64 `json:"external_id,omitempty"`
}

// ExternalRef is the id of the outside learning a line records, 0 if none.
func (l Line) ExternalRef() int64 {
	if l.ExternalID == nil {
		return 0
	}
	return *l.ExternalID
}

// Person is a person's ledger of a year.
type Person struct {
	EmployeeID int64   `json:"employee_id"`
	Name       string  `json:"name"`
	AgencyID   int64   `json:"agency_id"`
	AgencyName string  `json:"agency_name"`
	Year       int     `json:"year"`
	Target     int     `json:"target"`
	Pace       int     `json:"pace"`
	JP         int     `json:"jp"`
	Remaining  int     `json:"remaining"`
	Status     string  `json:"status"`
	Percent    int     `json:"percent"`
	Lines      []Line  `json:"records"`
	ByKind     []Share `json:"by_kind"`
	// CanRecord says the reader may record learning done outside Lontara
	// for the person (and take it back).
	CanRecord bool `json:"-"`
}

// Share is the JP of one kind of learning in a person's year.
type Share struct {
	Kind string `json:"kind"`
	JP   int    `json:"jp"`
}

// Person answers the ledger of person employeeID in year y (0: this
// year): their own, their direct reports', or an agency's people for those
// who lead, administer and train in it.
func (s *Service) Person(ctx context.Context, actor *policy.Actor, employeeID int64, y int) (Person, error) {
	var p Person
	var supervisor *int64
	err := s.db.R.QueryRowContext(ctx, `SELECT e.id, e.name, e.agency_id, a.name, e.supervisor_id FROM employees e
		JOIN agencies a ON a.id = e.agency_id WHERE e.id = $1`, employeeID).
		Scan(&p.EmployeeID, &p.Name, &p.AgencyID, &p.AgencyName, &supervisor)
	if errors.Is(err, sql.ErrNoRows) {
		return Person{}, errNoPerson
	}
	if err != nil {
		return Person{}, fmt.Errorf("ledger: person %d: %w", employeeID, err)
	}
	t := policy.Target{EmployeeID: p.EmployeeID, AgencyID: p.AgencyID,
		Supervisor: actor != nil && supervisor != nil && actor.EmployeeID != 0 && *supervisor == actor.EmployeeID}
	if !policy.Can(actor, policy.DevelopmentView, t) {
		// Someone who may not see the person's record is not told it exists.
		return Person{}, errNoPerson
	}
	yr, err := s.year(ctx, s.db.R, y)
	if err != nil {
		return Person{}, err
	}
	rows, err := s.db.R.QueryContext(ctx, `SELECT r.id, r.kind, r.title, r.jp, r.activity_id, r.event_id, r.source_kind,
		r.completed_at, COALESCE(x.provider, ''), COALESCE(x.evidence, ''), x.id
		FROM learning_records r LEFT JOIN external_learning x ON r.source_kind = 'manual' AND x.id = r.source_id
		WHERE r.employee_id = $1 AND r.completed_at >= $2 AND r.completed_at < $3
		ORDER BY r.completed_at DESC, r.id DESC`, employeeID, yr.From, yr.To)
	if err != nil {
		return Person{}, fmt.Errorf("ledger: records of %d: %w", employeeID, err)
	}
	defer rows.Close()
	byKind := map[string]int{}
	for rows.Next() {
		var l Line
		if err := rows.Scan(&l.ID, &l.Kind, &l.Title, &l.JP, &l.ActivityID, &l.EventID, &l.Source, &l.CompletedAt,
			&l.Provider, &l.Evidence, &l.ExternalID); err != nil {
			return Person{}, fmt.Errorf("ledger: records of %d: %w", employeeID, err)
		}
		l.CompletedAt = l.CompletedAt.UTC()
		p.JP += l.JP
		if byKind[l.Kind] == 0 {
			p.ByKind = append(p.ByKind, Share{Kind: l.Kind})
		}
		byKind[l.Kind] += l.JP
		p.Lines = append(p.Lines, l)
	}
	if err := rows.Err(); err != nil {
		return Person{}, fmt.Errorf("ledger: records of %d: %w", employeeID, err)
	}
	for i := range p.ByKind {
		p.ByKind[i].JP = byKind[p.ByKind[i].Kind]
	}
	if p.Lines == nil {
		p.Lines, p.ByKind = []Line{}, []Share{}
	}
	p.Year, p.Target, p.Pace = yr.Year, yr.Target, yr.Pace
	p.Remaining, p.Status = max(yr.Target-p.JP, 0), yr.Status(p.JP)
	p.Percent = min(p.JP*100/yr.Target, 100)
	p.CanRecord = policy.Can(actor, policy.LearningRecord, policy.Target{AgencyID: p.AgencyID, EmployeeID: p.EmployeeID})
	return p, nil
}

// WriteCSV writes the people of f (an agency, or the whole city) with
// their JP of the year as CSV, headed in lang, fewest JP first.
func (s *Service) WriteCSV(ctx context.Context, actor *policy.Actor, f Filter, lang string, w io.Writer) error {
	var agency int64
	if f.AgencyID != nil {
		agency = *f.AgencyID
	}
	if err := policy.Check(actor, policy.DevelopmentView, policy.Target{AgencyID: agency}); err != nil {
		return err
	}
	yr, err := s.year(ctx, s.db.R, f.Year)
	if err != nil {
		return err
	}
	list, err := s.people(ctx, actor, yr, f, nil, 0)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	head := []string{"year", "agency", "nip", "name", "jp", "target", "remaining", "status"}
	for i, h := range head {
		head[i] = i18n.T(lang, "ledger.csv."+h)
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	for _, r := range list {
		nip := ""
		if r.NIP != nil {
			nip = *r.NIP
		}
		if err := cw.Write([]string{strconv.Itoa(yr.Year), tabular.CSVText(r.AgencyName), tabular.CSVText(nip), tabular.CSVText(r.Name),
			strconv.Itoa(r.JP), strconv.Itoa(r.Target), strconv.Itoa(r.Remaining),
			i18n.T(lang, "ledger.status."+r.Status)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
