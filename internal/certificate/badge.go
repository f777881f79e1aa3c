package certificate

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/i18n"
)

// Open Badges 2.0 (https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/index.html):
// every certificate is a hosted Assertion at /badges/assertions/{code},
// of the BadgeClass of its event at /badges/classes/{event}, issued by the
// Issuer Profile of the issuing agency at /badges/issuers/{agency} (0: the
// platform itself, for a city event with no agency known). All are public
// JSON-LD, so a backpack or a verifier can fetch them without signing in.

const obContext = "https://w3id.org/openbadges/v2"

// IssuerLink, ClassLink and ImageLink are the Open Badges documents' paths.
func IssuerLink(agencyID int64) string { return "/badges/issuers/" + itoa(agencyID) }

// ClassLink is an event's BadgeClass.
func ClassLink(eventID int64) string { return "/badges/classes/" + itoa(eventID) }

// ImageLink is an event's badge image.
func ImageLink(eventID int64) string { return "/badges/classes/" + itoa(eventID) + "/image.svg" }

// Assertion is a hosted Open Badges assertion; a revoked one carries
// only its id, revoked and a generic reason, as the specification asks.
type Assertion struct {
	Context          string         `json:"@context"`
	Type             string         `json:"type"`
	ID               string         `json:"id"`
	Recipient        *Identity      `json:"recipient,omitempty"`
	Badge            string         `json:"badge,omitempty"`
	Verification     *Verify        `json:"verification,omitempty"`
	IssuedOn         *time.Time     `json:"issuedOn,omitempty"`
	Evidence         []EvidenceItem `json:"evidence,omitempty"`
	Revoked          bool           `json:"revoked,omitempty"`
	RevocationReason string         `json:"revocationReason,omitempty"`
}

// Identity is an assertion's hashed recipient.
type Identity struct {
	Type     string `json:"type"`
	Hashed   bool   `json:"hashed"`
	Salt     string `json:"salt"`
	Identity string `json:"identity"`
}

// Verify says how an assertion is verified: hosted, at its own id.
type Verify struct {
	Type string `json:"type"`
}

// EvidenceItem points at the public verification page.
type EvidenceItem struct {
	ID        string `json:"id"`
	Narrative string `json:"narrative,omitempty"`
}

// BadgeClass is what an event's certificates are for.
type BadgeClass struct {
	Context     string      `json:"@context"`
	Type        string      `json:"type"`
	ID          string      `json:"id"`
	Name        string      `json:"name"`
	Description string      `json:"description"`
	Image       string      `json:"image"`
	Criteria    Criteria    `json:"criteria"`
	Issuer      string      `json:"issuer"`
	Alignment   []Alignment `json:"alignment,omitempty"`
	Tags        []string    `json:"tags,omitempty"`
}

// Criteria says what earns the badge.
type Criteria struct {
	Narrative string `json:"narrative"`
}

// Alignment is a competency the badge builds.
type Alignment struct {
	TargetName        string `json:"targetName"`
	TargetURL         string `json:"targetUrl"`
	TargetCode        string `json:"targetCode"`
	TargetDescription string `json:"targetDescription"`
}

// Issuer is an issuing agency's Open Badges profile.
type Issuer struct {
	Context string `json:"@context"`
	Type    string `json:"type"`
	ID      string `json:"id"`
	Name    string `json:"name"`
	URL     string `json:"url"`
}

// Site is where the Open Badges documents are served from.
type Site struct {
	Base       string // the absolute address the documents' URLs start with
	Configured bool   // Base is the configured public URL (--base-url), not the request's
	Lang       string // the language of what the documents say in words
}

// Assertion returns a certificate's hosted assertion with absolute URLs
// under site.Base; revoked says it was revoked (answered as 410 Gone), with
// a generic reason: why is about its holder (see Verification).
//
// The recipient is the earner, hashed with the certificate's salt: their
// email (lower case) when their record has one; otherwise, of type url, the
// address of their profile (/pegawai/{id}) under the configured public URL,
// which stays the same whoever fetches it. Without an email and without a
// configured public URL there is no stable identity to state, so the
// assertion is NotFound (cert.badge_no_recipient).
func (s *Service) Assertion(ctx context.Context, typed string, site Site) (a Assertion, revoked bool, err error) {
	code, ok := Normalize(typed)
	if !ok {
		return Assertion{}, false, errs.New(errs.NotFound, "cert.malformed")
	}
	c, err := findByCode(ctx, s.db.R, code)
	if err != nil {
		return Assertion{}, false, err
	}
	base := strings.TrimRight(site.Base, "/")
	a = Assertion{Context: obContext, Type: "Assertion", ID: base + AssertionLink(code)}
	if c.RevokedAt != nil {
		a.Revoked, a.RevocationReason = true, i18n.T(site.Lang, "cert.badge.revoked")
		return a, true, nil
	}
	issued := c.IssuedAt
	a.Recipient = &Identity{Type: c.recipientType, Hashed: true, Salt: c.salt, Identity: c.hash}
	if c.recipientType == "url" {
		if !site.Configured {
			return Assertion{}, false, errs.New(errs.NotFound, "cert.badge_no_recipient")
		}
		a.Recipient.Identity = hashOf(base+ProfileLink(c.EmployeeID), c.salt)
	}
	a.Badge = base + ClassLink(c.EventID)
	a.Verification = &Verify{Type: "hosted"}
	a.IssuedOn = &issued
	a.Evidence = []EvidenceItem{{ID: base + VerifyLink(code)}}
	return a, false, nil
}

// ProfileLink is a person's profile page, the Open Badges identity of a
// holder without email.
func ProfileLink(employeeID int64) string { return "/pegawai/" + itoa(employeeID) }

// BadgeClass returns the BadgeClass of an event's certificates, from what
// its first certificate states (NotFound until one is issued).
func (s *Service) BadgeClass(ctx context.Context, eventID int64, base, lang string) (BadgeClass, error) {
	list, _, err := listCerts(ctx, s.db.R, listFilter{EventID: &eventID}, db.Page{Limit: 1})
	if err != nil {
		return BadgeClass{}, err
	}
	if len(list) == 0 {
		return BadgeClass{}, errs.New(errs.NotFound, "cert.badge_not_found")
	}
	c := list[0]
	base = strings.TrimRight(base, "/")
	kind := i18n.T(lang, "training.kind."+c.EventKind)
	b := BadgeClass{Context: obContext, Type: "BadgeClass", ID: base + ClassLink(eventID), Name: c.EventTitle,
		Description: i18n.T(lang, "cert.badge.description", kind, c.EventTitle, c.JP),
		Image:       base + ImageLink(eventID),
		Criteria:    Criteria{Narrative: i18n.T(lang, "cert.badge.criteria", c.EventTitle)},
		Issuer:      base + IssuerLink(c.issuerAgencyID), Tags: []string{c.EventKind}}
	// A competency's page is by its id; the certificate keeps its code.
	codes := make([]string, len(c.Competencies))
	for i, comp := range c.Competencies {
		codes[i] = comp.Code
	}
	ids := map[string]int64{}
	if len(codes) > 0 {
		marks, args := db.InList(codes)
		rows, err := s.db.R.QueryContext(ctx, `SELECT code, id FROM competencies WHERE code IN (`+marks+`)`, args...)
		if err != nil {
			return BadgeClass{}, fmt.Errorf("certificate: badge competencies: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var code string
			var id int64
			if err := rows.Scan(&code, &id); err != nil {
				return BadgeClass{}, fmt.Errorf("certificate: badge competencies: %w", err)
			}
			ids[code] = id
		}
		if err := rows.Err(); err != nil {
			return BadgeClass{}, fmt.Errorf("certificate: badge competencies: %w", err)
		}
	}
	for _, comp := range c.Competencies {
		a := Alignment{TargetName: comp.Name, TargetCode: comp.Code, TargetURL: base + "/kompetensi",
			TargetDescription: i18n.T(lang, "cert.badge.level", comp.Level)}
		if id, ok := ids[comp.Code]; ok { // else removed since: the framework
			a.TargetURL = fmt.Sprintf("%s/kompetensi/%d", base, id)
		}
		b.Alignment = append(b.Alignment, a)
	}
	return b, nil
}

// BadgeImage returns the SVG image of an event's badge: its title's
// initials in a medallion.
func (s *Service) BadgeImage(ctx context.Context, eventID int64) ([]byte, error) {
	list, _, err := listCerts(ctx, s.db.R, listFilter{EventID: &eventID}, db.Page{Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, errs.New(errs.NotFound, "cert.badge_not_found")
	}
	return badgeSVG(list[0].EventTitle, list[0].JP), nil
}

// Issuer returns the issuer profile of an agency (0: the platform).
func (s *Service) Issuer(ctx context.Context, agencyID int64, base string) (Issuer, error) {
	base = strings.TrimRight(base, "/")
	is := Issuer{Context: obContext, Type: "Issuer", ID: base + IssuerLink(agencyID), Name: "Lontara", URL: base + "/"}
	if agencyID == 0 {
		return is, nil
	}
	var n int
	err := s.db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM certificates WHERE issuer_agency_id = $1`, agencyID).Scan(&n)
	if err != nil {
		return Issuer{}, fmt.Errorf("certificates: issuer %d: %w", agencyID, err)
	}
	if n == 0 { // only agencies that issued are issuers
		return Issuer{}, errs.New(errs.NotFound, "cert.issuer_not_found")
	}
	if err := s.db.R.QueryRowContext(ctx, `SELECT name FROM agencies WHERE id = $1`, agencyID).Scan(&is.Name); err != nil {
		return Issuer{}, fmt.Errorf("certificates: issuer %d: %w", agencyID, err)
	}
	return is, nil
}
