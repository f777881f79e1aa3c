package certificate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// ForEvent lists an event's certificates in the order they were issued,
// for those who run it; CanPDF says which PDFs the reader may open.
func (s *Service) ForEvent(ctx context.Context, actor *policy.Actor, eventID int64, p db.Page) ([]Certificate, string, error) {
	_, list, next, err := s.EventCertificates(ctx, actor, eventID, p)
	return list, next, err
}

// EventCertificates returns an event with its counts and one page of its
// certificates, for those who run it: the event's page, which reads the
// event and the reader's right to run it once.
func (s *Service) EventCertificates(ctx context.Context, actor *policy.Actor, eventID int64, p db.Page) (Event, []Certificate, string, error) {
	ev, err := s.manageable(ctx, s.db.R, actor, eventID)
	if err != nil {
		return Event{}, nil, "", err
	}
	list, next, err := listCerts(ctx, s.db.R, listFilter{EventID: &eventID}, p)
	for i := range list {
		list[i].CanPDF = maySee(actor, list[i])
	}
	return ev, list, next, err
}

// Mine lists the actor's own certificates, newest first.
func (s *Service) Mine(ctx context.Context, actor *policy.Actor, p db.Page) ([]Certificate, string, error) {
	if actor == nil || actor.EmployeeID == 0 {
		return nil, "", errs.New(errs.Unauthorized, "unauthorized")
	}
	list, next, err := listCerts(ctx, s.db.R, listFilter{EmployeeID: &actor.EmployeeID}, p)
	for i := range list {
		list[i].CanPDF = true
	}
	return list, next, err
}

// Get returns a certificate to its holder and to those who may see their
// development record (policy.DevelopmentView); to anyone else signed in it
// is not found, as a code they could only have guessed: a refusal would
// confirm the code exists.
func (s *Service) Get(ctx context.Context, actor *policy.Actor, typed string) (Certificate, error) {
	code, ok := Normalize(typed)
	if !ok {
		return Certificate{}, errs.New(errs.NotFound, "cert.unknown")
	}
	c, err := findByCode(ctx, s.db.R, code)
	if err != nil {
		return Certificate{}, err
	}
	if !maySee(actor, c) {
		if actor == nil {
			return Certificate{}, errs.New(errs.Unauthorized, "unauthorized")
		}
		return Certificate{}, errs.New(errs.NotFound, "cert.unknown")
	}
	c.CanPDF = true
	return c, nil
}

// maySee says whether actor may see a certificate in full: its holder, or
// whoever may see the holder's development record.
func maySee(actor *policy.Actor, c Certificate) bool {
	if actor == nil {
		return false
	}
	return policy.Can(actor, policy.DevelopmentView, policy.Target{EmployeeID: c.EmployeeID,
		AgencyID: c.holderAgencyID, Supervisor: actor.EmployeeID != 0 && actor.EmployeeID == c.holderBossID})
}

// Verify confirms a certificate to anyone: what it states and whether it
// was revoked. A code that is not well formed (a forgery or a typo) and a
// code no certificate has are both NotFound, with their own words.
func (s *Service) Verify(ctx context.Context, typed string) (Verification, error) {
	code, ok := Normalize(typed)
	if !ok {
		return Verification{}, errs.New(errs.NotFound, "cert.malformed")
	}
	c, err := findByCode(ctx, s.db.R, code)
	if err != nil {
		return Verification{}, err
	}
	return c.verification(), nil
}

// eventOf returns the certificate with a code, for a page that goes back
// to its event (the caller has been authorized for that event).
func (s *Service) eventOf(ctx context.Context, typed string) (Certificate, error) {
	code, ok := Normalize(typed)
	if !ok {
		return Certificate{}, errs.New(errs.NotFound, "cert.unknown")
	}
	return findByCode(ctx, s.db.R, code)
}

// Person is whose certificates a list shows.
type Person struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// OfEmployee lists a person's certificates, newest first, for those who
// may see their development record (policy.DevelopmentView: the person,
// their direct supervisor, their agency's admin, head and trainers, the
// expert team and executives). To anyone else the person is not found.
func (s *Service) OfEmployee(ctx context.Context, actor *policy.Actor, employeeID int64, p db.Page) (Person, []Certificate, string, error) {
	var who Person
	var agency, boss int64
	err := s.db.R.QueryRowContext(ctx, `SELECT id, name, agency_id, COALESCE(supervisor_id, 0) FROM employees WHERE id = $1`,
		employeeID).Scan(&who.ID, &who.Name, &agency, &boss)
	if errors.Is(err, sql.ErrNoRows) {
		return Person{}, nil, "", errs.New(errs.NotFound, "not_found")
	}
	if err != nil {
		return Person{}, nil, "", fmt.Errorf("certificates: employee %d: %w", employeeID, err)
	}
	t := policy.Target{EmployeeID: employeeID, AgencyID: agency, Supervisor: actor != nil && actor.EmployeeID != 0 && actor.EmployeeID == boss}
	if !policy.Can(actor, policy.DevelopmentView, t) {
		if actor == nil {
			return Person{}, nil, "", errs.New(errs.Unauthorized, "unauthorized")
		}
		return Person{}, nil, "", errs.New(errs.NotFound, "not_found")
	}
	list, next, err := listCerts(ctx, s.db.R, listFilter{EmployeeID: &employeeID}, p)
	for i := range list {
		list[i].CanPDF = true
	}
	return who, list, next, err
}
