package competency

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/upload"
)

// Service keeps the competency framework, the requirements and each
// person's profile. Every change is authorized by the policy and written
// in one transaction with its audit record.
type Service struct {
	db    *db.DB
	files upload.Limits // an evidence document's size; one per assessment
}

// NewService returns the competency service over d; evidence documents
// are bounded by upload.Default until SetFileLimits.
func NewService(d *db.DB) *Service { return &Service{db: d, files: upload.Default} }

// SetFileLimits bounds evidence documents as the help desk's files are
// (one per assessment, whatever the limit of files at once).
func (s *Service) SetFileLimits(l upload.Limits) { s.files = l }

// FileLimits returns the bound of an evidence document.
func (s *Service) FileLimits() upload.Limits {
	return upload.Limits{MaxBytes: s.files.MaxBytes, MaxFiles: 1}
}

// Uses of an application a competency can be about.
const (
	UseOperate    = "operate"
	UseAdminister = "administer"
)

// Levels is the number of proficiency levels: 1 knows of it, 2 does it
// with guidance, 3 does it alone, 4 teaches and improves it.
const Levels = 4

// Framework groups competencies; each published change to it or to one of
// its competencies raises its version.
type Framework struct {
	ID           int64     `json:"id"`
	Code         string    `json:"code"`
	Name         string    `json:"name"`
	Description  string    `json:"description"`
	Version      int       `json:"version"`
	Competencies int       `json:"competencies"` // in use, not retired
	UpdatedAt    time.Time `json:"updated_at"`
}

// Competency is a competency with its four levels described in words.
type Competency struct {
	ID            int64  `json:"id"`
	FrameworkID   int64  `json:"framework_id"`
	FrameworkName string `json:"framework_name"`
	Code          string `json:"code"`
	Name          string `json:"name"`
	Description   string `json:"description"`
	// AppID and AppUse (operate or administer) name the application an
	// application competency is about; both null for a general one.
	AppID   *int64  `json:"app_id"`
	AppUse  *string `json:"app_use"`
	AppName string  `json:"app_name,omitempty"`
	AppSlug string  `json:"app_slug,omitempty"`
	// Levels holds the descriptions of levels 1 to 4.
	Levels []string `json:"levels"`
	// ValidityMonths is how long a verified level counts; null: for good.
	ValidityMonths *int       `json:"validity_months"`
	RetiredAt      *time.Time `json:"retired_at"`
	Version        int        `json:"version"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
}

// Level returns the description of level n (1..4), "" outside them.
func (c Competency) Level(n int) string {
	if n < 1 || n > len(c.Levels) {
		return ""
	}
	return c.Levels[n-1]
}

// Months returns the validity in months, 0 when a level does not lapse.
func (c Competency) Months() int {
	if c.ValidityMonths == nil {
		return 0
	}
	return *c.ValidityMonths
}

// Retired reports whether the competency is no longer in use.
func (c Competency) Retired() bool { return c.RetiredAt != nil }

// Link is the competency's page.
func Link(id int64) string { return "/kompetensi/" + strconv.FormatInt(id, 10) }

// ProfileLink is the competency profile page of a person.
func ProfileLink(employeeID int64) string {
	return "/pegawai/" + strconv.FormatInt(employeeID, 10) + "/kompetensi"
}

// codePattern is a competency's or framework's stable code: what other
// parts (articles, activities, events) link to.
var codePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{0,63}$`)

// Limits of the texts the framework holds.
const (
	maxName        = 200
	maxDescription = 4000
	maxLevelText   = 1000
	maxNote        = 500
	maxValidity    = 120
)

func clock() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// checkText adds a field error when s is empty (and required) or too long.
func checkText(v *errs.Validation, field, s string, required bool, limit int) {
	switch {
	case required && strings.TrimSpace(s) == "":
		v.Add(field, "required")
	case utf8.RuneCountInString(s) > limit:
		v.Add(field, "too_long", limit)
	}
}

const competencyColumns = `c.id, c.framework_id, f.name, c.code, c.name, c.description, c.app_id, c.app_use,
	COALESCE(a.name, ''), COALESCE(a.slug, ''), c.level1, c.level2, c.level3, c.level4, c.validity_months,
	c.retired_at, c.version, c.created_at, c.updated_at`

const competencyFrom = ` FROM competencies c JOIN competency_frameworks f ON f.id = c.framework_id
	LEFT JOIN apps a ON a.id = c.app_id`

func scanCompetency(row interface{ Scan(...any) error }) (Competency, error) {
	var c Competency
	var l1, l2, l3, l4 string
	var months sql.NullInt64
	var appID sql.NullInt64
	var appUse sql.NullString
	var retired sql.NullTime
	err := row.Scan(&c.ID, &c.FrameworkID, &c.FrameworkName, &c.Code, &c.Name, &c.Description, &appID, &appUse,
		&c.AppName, &c.AppSlug, &l1, &l2, &l3, &l4, &months, &retired, &c.Version, &c.CreatedAt, &c.UpdatedAt)
	if err != nil {
		return c, err
	}
	c.Levels = []string{l1, l2, l3, l4}
	if months.Valid {
		n := int(months.Int64)
		c.ValidityMonths = &n
	}
	if appID.Valid {
		c.AppID, c.AppUse = &appID.Int64, &appUse.String
	}
	if retired.Valid {
		t := retired.Time.UTC()
		c.RetiredAt = &t
	}
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return c, nil
}

// getCompetency loads one competency by id.
func getCompetency(ctx context.Context, q db.Querier, id int64) (Competency, error) {
	c, err := scanCompetency(q.QueryRowContext(ctx, `SELECT `+competencyColumns+competencyFrom+` WHERE c.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, errs.New(errs.NotFound, "competency.not_found")
	}
	if err != nil {
		return c, fmt.Errorf("competency %d: %w", id, err)
	}
	return c, nil
}

// Get returns a competency; anyone signed in may read the framework.
func (s *Service) Get(ctx context.Context, id int64) (Competency, error) {
	return getCompetency(ctx, s.db.R, id)
}

// ByCode returns the competency with the code given.
func (s *Service) ByCode(ctx context.Context, code string) (Competency, error) {
	c, err := scanCompetency(s.db.R.QueryRowContext(ctx, `SELECT `+competencyColumns+competencyFrom+` WHERE c.code = $1`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return c, errs.New(errs.NotFound, "competency.not_found")
	}
	if err != nil {
		return c, fmt.Errorf("competency %q: %w", code, err)
	}
	return c, nil
}

// Filter narrows the list of competencies.
type Filter struct {
	FrameworkID *int64
	AppID       *int64
	Query       *string // in the code or the name
	General     bool    // only those not about an application
	Retired     bool    // the retired ones too
}

// List returns the competencies matching f, by framework and then code.
// The framework is small (a few hundred at most: two per application), so
// it is answered whole, in one query.
func (s *Service) List(ctx context.Context, f Filter) ([]Competency, error) {
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	if f.FrameworkID != nil {
		where = append(where, "c.framework_id = "+arg(*f.FrameworkID))
	}
	if f.AppID != nil {
		where = append(where, "c.app_id = "+arg(*f.AppID))
	}
	if f.General {
		where = append(where, "c.app_id IS NULL")
	}
	if !f.Retired {
		where = append(where, "c.retired_at IS NULL")
	}
	if f.Query != nil {
		p := arg(db.EscapeLike(*f.Query))
		where = append(where, "("+s.db.Dialect.ContainsFold("c.code", p)+" OR "+s.db.Dialect.ContainsFold("c.name", p)+")")
	}
	q := `SELECT ` + competencyColumns + competencyFrom
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := s.db.R.QueryContext(ctx, q+` ORDER BY c.framework_id, c.app_id IS NOT NULL, COALESCE(a.name, ''), c.name, c.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("competencies: %w", err)
	}
	defer rows.Close()
	list := []Competency{}
	for rows.Next() {
		c, err := scanCompetency(rows)
		if err != nil {
			return nil, fmt.Errorf("competencies: %w", err)
		}
		list = append(list, c)
	}
	return list, rows.Err()
}

// Frameworks returns every framework with the number of competencies in use.
func (s *Service) Frameworks(ctx context.Context) ([]Framework, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT f.id, f.code, f.name, f.description, f.version, f.updated_at,
		(SELECT count(*) FROM competencies c WHERE c.framework_id = f.id AND c.retired_at IS NULL)
		FROM competency_frameworks f ORDER BY f.id`)
	if err != nil {
		return nil, fmt.Errorf("frameworks: %w", err)
	}
	defer rows.Close()
	list := []Framework{}
	for rows.Next() {
		var f Framework
		if err := rows.Scan(&f.ID, &f.Code, &f.Name, &f.Description, &f.Version, &f.UpdatedAt, &f.Competencies); err != nil {
			return nil, fmt.Errorf("frameworks: %w", err)
		}
		f.UpdatedAt = f.UpdatedAt.UTC()
		list = append(list, f)
	}
	return list, rows.Err()
}

// GetFramework returns one framework.
func (s *Service) GetFramework(ctx context.Context, id int64) (Framework, error) {
	return getFramework(ctx, s.db.R, id)
}

func getFramework(ctx context.Context, q db.Querier, id int64) (Framework, error) {
	var f Framework
	err := q.QueryRowContext(ctx, `SELECT f.id, f.code, f.name, f.description, f.version, f.updated_at,
		(SELECT count(*) FROM competencies c WHERE c.framework_id = f.id AND c.retired_at IS NULL)
		FROM competency_frameworks f WHERE f.id = $1`, id).
		Scan(&f.ID, &f.Code, &f.Name, &f.Description, &f.Version, &f.UpdatedAt, &f.Competencies)
	if errors.Is(err, sql.ErrNoRows) {
		return f, errs.New(errs.NotFound, "competency.framework_not_found")
	}
	if err != nil {
		return f, fmt.Errorf("framework %d: %w", id, err)
	}
	f.UpdatedAt = f.UpdatedAt.UTC()
	return f, nil
}
