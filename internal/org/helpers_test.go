package org

import (
	"context"
	"fmt"
	"testing"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

var system = policy.SystemActor("test")

// adminOf is an agency admin of the agency.
func adminOf(agencyID int64) *policy.Actor {
	return &policy.Actor{AccountID: 0, EmployeeID: 0, AgencyID: agencyID, Email: "admin@test.id",
		Grants: []policy.Grant{{Role: policy.AgencyAdmin, AgencyID: agencyID}, {Role: policy.Employee, AgencyID: agencyID}}}
}

// staffOf is a plain employee of the agency.
func staffOf(agencyID, employeeID int64) *policy.Actor {
	return &policy.Actor{EmployeeID: employeeID, AgencyID: agencyID, Email: "staff@test.id",
		Grants: []policy.Grant{{Role: policy.Employee, AgencyID: agencyID}}}
}

func pns(agencyID int64, nip, name, email string) EmployeeInput {
	return EmployeeInput{AgencyID: agencyID, NIP: nip, Name: name, Email: email, EmploymentType: "pns",
		UnitName: "Bidang Umum", PositionName: "Analis", Rank: "III/a"}
}

// mustCreate creates a person as the system or fails the test.
func mustCreate(t *testing.T, s *Service, in EmployeeInput) Employee {
	t.Helper()
	e, err := s.CreateEmployee(context.Background(), system, in)
	if err != nil {
		t.Fatalf("create %s: %v", in.Name, err)
	}
	return e
}

// fieldKeys returns field→key of an error, failing when it is not code.
func fieldKeys(t *testing.T, err error, code errs.Code) map[string]string {
	t.Helper()
	e := errs.As(err)
	if e == nil || e.Code != code {
		t.Fatalf("got error %v, want code %s", err, code)
	}
	m := map[string]string{}
	for _, f := range e.Fields {
		m[f.Name] = f.Key
	}
	return m
}

func str(s string) *string { return &s }
func i64(n int64) *int64   { return &n }

func itoa(n int64) string { return fmt.Sprint(n) }
