package competency

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// Person is whose profile it is.
type Person struct {
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	AgencyID     int64  `json:"agency_id"`
	AgencyName   string `json:"agency_name"`
	PositionName string `json:"position_name"`
	SupervisorID *int64 `json:"supervisor_id"`
	AccountID    int64  `json:"-"`
	Active       bool   `json:"active"`
}

func loadPerson(ctx context.Context, q db.Querier, id int64) (Person, error) {
	var p Person
	var sup, account sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT e.id, e.name, e.agency_id, ag.name, COALESCE(ps.name, ''), e.supervisor_id,
		ac.id, e.active FROM employees e JOIN agencies ag ON ag.id = e.agency_id
		LEFT JOIN positions ps ON ps.id = e.position_id LEFT JOIN accounts ac ON ac.employee_id = e.id
		WHERE e.id = $1`, id).Scan(&p.ID, &p.Name, &p.AgencyID, &p.AgencyName, &p.PositionName, &sup, &account, &p.Active)
	if errors.Is(err, sql.ErrNoRows) {
		return p, errs.New(errs.NotFound, "competency.person_not_found")
	}
	if err != nil {
		return p, fmt.Errorf("person %d: %w", id, err)
	}
	if sup.Valid {
		p.SupervisorID = &sup.Int64
	}
	p.AccountID = account.Int64
	return p, nil
}

// targetOf is the policy's view of acting on p's profile.
func targetOf(actor *policy.Actor, p Person) policy.Target {
	return policy.Target{AgencyID: p.AgencyID, EmployeeID: p.ID,
		Supervisor: actor != nil && actor.EmployeeID != 0 && p.SupervisorID != nil && *p.SupervisorID == actor.EmployeeID}
}

// ProfileItem is where a person stands in one competency.
type ProfileItem struct {
	CompetencyID int64  `json:"competency_id"`
	Code         string `json:"code"`
	Name         string `json:"name"`
	AppName      string `json:"app_name,omitempty"`
	Retired      bool   `json:"retired"`
	// Level is what counts: the highest verified level that has not
	// lapsed (0: none), with what it rests on, when it was shown and when
	// it lapses (null: never).
	Level      int        `json:"level"`
	LevelText  string     `json:"level_text,omitempty"`
	Source     string     `json:"source,omitempty"`
	VerifiedAt *time.Time `json:"verified_at"`
	ExpiresAt  *time.Time `json:"expires_at"`
	// LapsedLevel is a higher verified level that has lapsed (0: none),
	// shown so the person knows what to renew.
	LapsedLevel int        `json:"lapsed_level"`
	LapsedAt    *time.Time `json:"lapsed_at"`
	// SelfLevel is the person's latest own assessment (0: none), shown
	// beside the verified level; it does not count by itself.
	SelfLevel int        `json:"self_level"`
	SelfAt    *time.Time `json:"self_assessed_at"`
}

// ExpiresSoon reports whether the counted level lapses within 60 days.
func (p ProfileItem) ExpiresSoon() bool {
	return p.ExpiresAt != nil && time.Until(*p.ExpiresAt) < 60*24*time.Hour
}

// Profile is a person's competency profile.
type Profile struct {
	Person Person        `json:"person"`
	Items  []ProfileItem `json:"items"`
	// CanVerify says the reader may verify this person's levels; CanAssess
	// that it is their own profile, so they may assess themselves.
	CanVerify bool `json:"-"`
	CanAssess bool `json:"-"`
}

type assessmentRow struct {
	competencyID int64
	level        int
	source       string
	at           time.Time
	expires      *time.Time
}

// ProfileOf returns a person's profile: every competency they have an
// entry in, in the framework's order. The person, their supervisor, and
// those who lead, administer or train in their agency may read it.
func (s *Service) ProfileOf(ctx context.Context, actor *policy.Actor, employeeID int64) (Profile, error) {
	p, err := loadPerson(ctx, s.db.R, employeeID)
	if err != nil {
		return Profile{}, err
	}
	t := targetOf(actor, p)
	if err := policy.Check(actor, policy.DevelopmentView, t); err != nil {
		return Profile{}, err
	}
	rows, err := s.db.R.QueryContext(ctx, `SELECT competency_id, level, source, assessed_at, expires_at
		FROM competency_assessments WHERE employee_id = $1 ORDER BY assessed_at, id`, employeeID)
	if err != nil {
		return Profile{}, fmt.Errorf("profile %d: %w", employeeID, err)
	}
	defer rows.Close()
	var entries []assessmentRow
	for rows.Next() {
		var a assessmentRow
		var exp sql.NullTime
		if err := rows.Scan(&a.competencyID, &a.level, &a.source, &a.at, &exp); err != nil {
			return Profile{}, fmt.Errorf("profile %d: %w", employeeID, err)
		}
		a.at = a.at.UTC()
		if exp.Valid {
			e := exp.Time.UTC()
			a.expires = &e
		}
		entries = append(entries, a)
	}
	if err := rows.Err(); err != nil {
		return Profile{}, fmt.Errorf("profile %d: %w", employeeID, err)
	}
	all, err := s.List(ctx, Filter{Retired: true})
	if err != nil {
		return Profile{}, err
	}
	return Profile{Person: p, Items: standing(all, entries, time.Now().UTC()),
		CanVerify: policy.Can(actor, policy.CompetencyVerify, t), CanAssess: actor != nil && actor.EmployeeID == p.ID}, nil
}

// standing works out each competency's item from a person's entries
// (oldest first), in the order of all.
func standing(all []Competency, entries []assessmentRow, now time.Time) []ProfileItem {
	items := map[int64]*ProfileItem{}
	for _, a := range entries {
		it := items[a.competencyID]
		if it == nil {
			it = &ProfileItem{CompetencyID: a.competencyID}
			items[a.competencyID] = it
		}
		at := a.at
		switch {
		case a.source == SourceSelf:
			it.SelfLevel, it.SelfAt = a.level, &at // the latest wins
		case a.expires != nil && !a.expires.After(now):
			if a.level > it.LapsedLevel || (a.level == it.LapsedLevel && a.expires.After(*it.LapsedAt)) {
				it.LapsedLevel, it.LapsedAt = a.level, a.expires
			}
		case a.level > it.Level || (a.level == it.Level && lastsLonger(a.expires, it.ExpiresAt)):
			it.Level, it.Source, it.VerifiedAt, it.ExpiresAt = a.level, a.source, &at, a.expires
		}
	}
	out := []ProfileItem{}
	for _, c := range all {
		it := items[c.ID]
		if it == nil {
			continue
		}
		if it.LapsedLevel <= it.Level {
			it.LapsedLevel, it.LapsedAt = 0, nil
		}
		it.Code, it.Name, it.AppName, it.Retired, it.LevelText = c.Code, c.Name, c.AppName, c.Retired(), c.Level(it.Level)
		out = append(out, *it)
	}
	return out
}

// lastsLonger reports whether an expiry a is later than b (nil: never).
func lastsLonger(a, b *time.Time) bool {
	switch {
	case b == nil:
		return false
	case a == nil:
		return true
	}
	return a.After(*b)
}

// Assessment is one entry of a person's record.
type Assessment struct {
	ID             int64      `json:"id"`
	EmployeeID     int64      `json:"employee_id"`
	CompetencyID   int64      `json:"competency_id"`
	CompetencyCode string     `json:"competency_code"`
	CompetencyName string     `json:"competency_name"`
	Level          int        `json:"level"`
	Source         string     `json:"source"`
	AssessorName   string     `json:"assessor_name,omitempty"`
	EvidenceKind   string     `json:"evidence_kind"`
	EvidenceRef    string     `json:"evidence_ref"`
	Score          *int       `json:"score"`
	Note           string     `json:"note"`
	AssessedAt     time.Time  `json:"assessed_at"`
	ExpiresAt      *time.Time `json:"expires_at"`
	// FileID and FileName name the evidence document, if one was uploaded.
	FileID   *int64 `json:"file_id"`
	FileName string `json:"file_name,omitempty"`
}

// ScoreValue returns the test score, 0 when there is none.
func (a Assessment) ScoreValue() int {
	if a.Score == nil {
		return 0
	}
	return *a.Score
}

// Lapsed reports whether the entry no longer counts.
func (a Assessment) Lapsed() bool { return a.ExpiresAt != nil && !a.ExpiresAt.After(time.Now()) }

const assessmentFields = `a.id, a.employee_id, a.competency_id, c.code, c.name, a.level, a.source,
	COALESCE(e.name, ''), a.evidence_kind, a.evidence_ref, a.score, a.note, a.assessed_at, a.expires_at,
	ef.id, COALESCE(ef.name, '')`

const assessmentFrom = ` FROM competency_assessments a JOIN competencies c ON c.id = a.competency_id
	LEFT JOIN accounts ac ON ac.id = a.assessor_account_id LEFT JOIN employees e ON e.id = ac.employee_id
	LEFT JOIN competency_evidence_files ef ON ef.assessment_id = a.id`

func scanAssessment(row interface{ Scan(...any) error }, extra ...any) (Assessment, error) {
	var a Assessment
	var score, file sql.NullInt64
	var exp sql.NullTime
	err := row.Scan(append([]any{&a.ID, &a.EmployeeID, &a.CompetencyID, &a.CompetencyCode, &a.CompetencyName, &a.Level,
		&a.Source, &a.AssessorName, &a.EvidenceKind, &a.EvidenceRef, &score, &a.Note, &a.AssessedAt, &exp, &file,
		&a.FileName}, extra...)...)
	if file.Valid {
		a.FileID = &file.Int64
	}
	if score.Valid {
		n := int(score.Int64)
		a.Score = &n
	}
	if exp.Valid {
		t := exp.Time.UTC()
		a.ExpiresAt = &t
	}
	a.AssessedAt = a.AssessedAt.UTC()
	return a, err
}

// History returns a person's entries, newest first, a page at a time;
// competencyID narrows them to one competency.
func (s *Service) History(ctx context.Context, actor *policy.Actor, employeeID int64, competencyID *int64, p db.Page) ([]Assessment, string, error) {
	person, err := loadPerson(ctx, s.db.R, employeeID)
	if err != nil {
		return nil, "", err
	}
	if err := policy.Check(actor, policy.DevelopmentView, targetOf(actor, person)); err != nil {
		return nil, "", err
	}
	args := []any{employeeID}
	q := `SELECT ` + assessmentFields + assessmentFrom + ` WHERE a.employee_id = $1`
	if competencyID != nil {
		args = append(args, *competencyID)
		q += ` AND a.competency_id = $` + strconv.Itoa(len(args))
	}
	if p.After != "" {
		var id int64
		if err := db.ParseCursor(p.After, &id); err != nil {
			return nil, "", err
		}
		args = append(args, id)
		q += ` AND a.id < $` + strconv.Itoa(len(args))
	}
	args = append(args, p.Size()+1)
	rows, err := s.db.R.QueryContext(ctx, q+` ORDER BY a.id DESC LIMIT $`+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, "", fmt.Errorf("history %d: %w", employeeID, err)
	}
	defer rows.Close()
	list := []Assessment{}
	for rows.Next() {
		a, err := scanAssessment(rows)
		if err != nil {
			return nil, "", fmt.Errorf("history %d: %w", employeeID, err)
		}
		list = append(list, a)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("history %d: %w", employeeID, err)
	}
	next := ""
	if len(list) > p.Size() {
		list = list[:p.Size()]
		next = db.Cursor(list[len(list)-1].ID)
	}
	return list, next, nil
}

// evidenceKinds are the kinds of evidence an entry may rest on.
var evidenceKinds = []string{"", "certificate", "session", "test", "document", "mentoring"}
