// Package certificate issues the certificates of finished training events:
// a PDF with a verification code, an Open Badges 2.0 assertion, a public
// page that confirms a certificate without telling anything else about its
// holder, and revocation. Each certificate keeps what it states in its own
// row, so it never changes; issuing one also records it as evidence of the
// competencies the event built.
package certificate

import (
	"time"
)

// Status of a certificate.
const (
	StatusValid   = "valid"
	StatusRevoked = "revoked"
)

// Competency is a competency a certificate states, at the level the event
// built it to.
type Competency struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Level int    `json:"level"`
}

// Certificate is an issued certificate as its holder and those who may see
// their record see it.
type Certificate struct {
	ID           int64        `json:"id"`
	Code         string       `json:"code"`         // as stored: 12 symbols
	DisplayCode  string       `json:"display_code"` // in groups of four, as printed
	Status       string       `json:"status"`       // valid or revoked
	EventID      int64        `json:"event_id"`
	EmployeeID   int64        `json:"employee_id"`
	HolderName   string       `json:"holder_name"`
	EventTitle   string       `json:"event_title"`
	EventKind    string       `json:"event_kind"`
	JP           int          `json:"jp"`
	StartsAt     time.Time    `json:"starts_at"`
	EndsAt       time.Time    `json:"ends_at"`
	Place        string       `json:"place"`
	Competencies []Competency `json:"competencies"`
	Issuer       string       `json:"issuer"`
	IssuedAt     time.Time    `json:"issued_at"`
	RevokedAt    *time.Time   `json:"revoked_at"`
	RevokeReason string       `json:"revoke_reason"`
	VerifyURL    string       `json:"verify_url"`    // the public verification page
	PDFURL       string       `json:"pdf_url"`       // the PDF, for the holder and those who may see their record
	AssertionURL string       `json:"assertion_url"` // the Open Badges assertion

	// CanPDF says the reader may open the PDF (set on lists for a page).
	CanPDF bool `json:"-"`

	issuerAgencyID               int64
	recipientType, salt, hash    string
	holderAgencyID, holderBossID int64
}

// Verification is what the public verification answers about a code:
// only what the certificate itself states, and whether and when it was
// revoked. Why it was revoked is about its holder, so it stays with them and
// those who run the event (Certificate.RevokeReason).
type Verification struct {
	Code         string       `json:"code"`
	DisplayCode  string       `json:"display_code"`
	Status       string       `json:"status"` // valid or revoked
	Valid        bool         `json:"valid"`
	HolderName   string       `json:"holder_name"`
	EventTitle   string       `json:"event_title"`
	EventKind    string       `json:"event_kind"`
	JP           int          `json:"jp"`
	StartsAt     time.Time    `json:"starts_at"`
	EndsAt       time.Time    `json:"ends_at"`
	Competencies []Competency `json:"competencies"`
	Issuer       string       `json:"issuer"`
	IssuedAt     time.Time    `json:"issued_at"`
	RevokedAt    *time.Time   `json:"revoked_at"`
}

// Issued is the answer to issuing an event's certificates: how many were
// new this time (0 when every completed participant already had one) and
// those new certificates.
type Issued struct {
	Issued       int           `json:"issued"`
	Certificates []Certificate `json:"certificates"`
}

// RevokeInput is why a certificate is revoked.
type RevokeInput struct {
	Reason string `json:"reason"`
}

// VerifyLink is the public page that confirms a certificate.
func VerifyLink(code string) string { return "/verify/" + code }

// PDFLink is the certificate's PDF.
func PDFLink(code string) string { return "/sertifikat/" + code + ".pdf" }

// AssertionLink is the certificate's Open Badges assertion.
func AssertionLink(code string) string { return "/badges/assertions/" + code }

// EventLink is the page of an event's certificates.
func EventLink(eventID int64) string { return "/pelatihan/acara/" + itoa(eventID) + "/sertifikat" }

func (c *Certificate) fill() {
	c.DisplayCode = Display(c.Code)
	c.Status = StatusValid
	if c.RevokedAt != nil {
		c.Status = StatusRevoked
	}
	c.VerifyURL, c.PDFURL, c.AssertionURL = VerifyLink(c.Code), PDFLink(c.Code), AssertionLink(c.Code)
	if c.Competencies == nil {
		c.Competencies = []Competency{}
	}
}

func (c Certificate) verification() Verification {
	return Verification{Code: c.Code, DisplayCode: c.DisplayCode, Status: c.Status, Valid: c.RevokedAt == nil,
		HolderName: c.HolderName, EventTitle: c.EventTitle, EventKind: c.EventKind, JP: c.JP, StartsAt: c.StartsAt,
		EndsAt: c.EndsAt, Competencies: c.Competencies, Issuer: c.Issuer, IssuedAt: c.IssuedAt,
		RevokedAt: c.RevokedAt}
}
