// Package apps is the catalog of the city's e-government applications: what
// each application is, which agency owns it, which agencies use it, and who
// operates it in each of them. Operators are role grants (role "operator"
// with the agency and the application), so what an operator may do is
// decided by internal/policy like every other role.
package apps

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/org"
)

// The statuses of an application, in the order of its life.
const (
	StatusPlanned     = "planned"
	StatusDevelopment = "development"
	StatusActive      = "active"
	StatusMaintenance = "maintenance"
	StatusRetired     = "retired"
)

// Statuses lists every status.
var Statuses = []string{StatusPlanned, StatusDevelopment, StatusActive, StatusMaintenance, StatusRetired}

// Limits on the free-text fields.
const (
	MaxName        = 120
	MaxDescription = 4000
	MaxURL         = 500
	MinSlug        = 2
	MaxSlug        = 60
)

// App is one e-government application. UsedBy and Operators are filled by
// GetApp and GetAppBySlug only; lists leave them out.
type App struct {
	ID              int64       `json:"id"`
	Slug            string      `json:"slug"`
	Name            string      `json:"name"`
	OwnerAgencyID   int64       `json:"owner_agency_id"`
	OwnerAgencyName string      `json:"owner_agency_name"`
	Status          string      `json:"status"`
	URL             string      `json:"url"`
	Description     string      `json:"description"`
	CreatedAt       time.Time   `json:"created_at"`
	UpdatedAt       time.Time   `json:"updated_at"`
	UsedBy          []AgencyRef `json:"used_by,omitzero"`
	Operators       []Operator  `json:"operators,omitzero"`
}

// AgencyRef names an agency.
type AgencyRef struct {
	ID   int64  `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
}

// Operator is a person who runs an application inside one agency.
type Operator struct {
	AgencyID   int64  `json:"agency_id"`
	AgencyName string `json:"agency_name"`
	EmployeeID int64  `json:"employee_id"`
	AccountID  int64  `json:"account_id"`
	Name       string `json:"name"`
}

// AppInput is a new application. An empty Slug is derived from Name; an
// empty Status is "planned".
type AppInput struct {
	Slug          string `json:"slug"`
	Name          string `json:"name"`
	OwnerAgencyID int64  `json:"owner_agency_id"`
	Status        string `json:"status"`
	URL           string `json:"url"`
	Description   string `json:"description"`
}

// AppPatch changes the fields that are not nil (a JSON merge patch).
type AppPatch struct {
	Slug          *string `json:"slug"`
	Name          *string `json:"name"`
	OwnerAgencyID *int64  `json:"owner_agency_id"`
	Status        *string `json:"status"`
	URL           *string `json:"url"`
	Description   *string `json:"description"`
}

// AppFilter narrows ListApps; nil fields do not filter. Query matches the
// name, slug or description.
type AppFilter struct {
	OwnerAgencyID  *int64
	UsedByAgencyID *int64
	Status         *string
	Query          *string
}

func (p AppPatch) apply(a App) AppInput {
	in := AppInput{Slug: a.Slug, Name: a.Name, OwnerAgencyID: a.OwnerAgencyID, Status: a.Status,
		URL: a.URL, Description: a.Description}
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&in.Slug, p.Slug)
	set(&in.Name, p.Name)
	set(&in.Status, p.Status)
	set(&in.URL, p.URL)
	set(&in.Description, p.Description)
	if p.OwnerAgencyID != nil {
		in.OwnerAgencyID = *p.OwnerAgencyID
	}
	return in
}

// reservedSlugs are the catalog's own pages under /aplikasi/, which an
// application's page could never be reached behind.
var reservedSlugs = []string{"baru"}

var slugRe = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// ValidSlug reports whether s is a well-formed slug: lowercase letters,
// digits and single hyphens between them, 2 to 60 characters.
func ValidSlug(s string) bool {
	return len(s) >= MinSlug && len(s) <= MaxSlug && slugRe.MatchString(s)
}

// Slugify derives a slug from a name: letters folded to ASCII, apostrophes
// dropped so "Dottoro'ta" reads "dottorota", other runs of punctuation and
// spaces turned into one hyphen.
func Slugify(name string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range norm.NFKD.String(name) {
		switch {
		case unicode.Is(unicode.Mn, r), r == '\'', r == '’', r == '`':
			// accents and apostrophes vanish without breaking the word
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(unicode.ToLower(r))
		default:
			hyphen = true
		}
	}
	s := b.String()
	if len(s) > MaxSlug {
		s = strings.TrimRight(s[:MaxSlug], "-")
	}
	return s
}

// normalize trims the input and fills the defaults.
func (in *AppInput) normalize() {
	in.Name = strings.Join(strings.Fields(in.Name), " ")
	in.Slug = strings.TrimSpace(in.Slug)
	in.URL = strings.TrimSpace(in.URL)
	in.Description = strings.TrimSpace(in.Description)
	in.Status = strings.TrimSpace(in.Status)
	if in.Status == "" {
		in.Status = StatusPlanned
	}
	if in.Slug == "" {
		in.Slug = Slugify(in.Name)
	}
}

// validate checks the rules that need no database.
func (in AppInput) validate() *errs.Validation {
	var v errs.Validation
	switch {
	case in.Name == "":
		v.Add("name", "required")
	case utf8.RuneCountInString(in.Name) > MaxName:
		v.Add("name", "too_long", MaxName)
	case !org.PlainText(in.Name):
		v.Add("name", "text.plain")
	}
	switch {
	case !ValidSlug(in.Slug):
		v.Add("slug", "app.slug")
	case slices.Contains(reservedSlugs, in.Slug):
		v.Add("slug", "app.slug_reserved")
	}
	if in.OwnerAgencyID <= 0 {
		v.Add("owner_agency_id", "required")
	}
	if !slices.Contains(Statuses, in.Status) {
		v.Add("status", "one_of", strings.Join(Statuses, ", "))
	}
	if in.URL != "" && !validURL(in.URL) {
		v.Add("url", "app.url")
	}
	if utf8.RuneCountInString(in.Description) > MaxDescription {
		v.Add("description", "too_long", MaxDescription)
	}
	return &v
}

func validURL(s string) bool {
	if len(s) > MaxURL {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
