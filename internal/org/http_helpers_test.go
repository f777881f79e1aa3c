package org_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/org"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// city is a small city: two dinas, a UPT under one, people in both, and
// accounts for the roles the pages treat differently.
type city struct {
	h              *servertest.Harness
	dinkes, disdik org.Agency
	upt            org.Agency
	nuraini, arni  org.Employee // Dinkes and Disdik people with NIPs
	staff          org.Employee // a Dinkes employee with an account
	pw             map[string]string
}

const (
	nurainiNIP = "199104232016022001"
	arniNIP    = "199305122018032001"
)

func newCity(t *testing.T, d *db.DB) *city {
	t.Helper()
	ctx, sys := context.Background(), policy.SystemActor("test")
	h := servertest.Start(t, d)
	c := &city{h: h}
	c.dinkes = h.Agency(t, "DINKES", "Dinas Kesehatan", org.TypeDinas)
	c.disdik = h.Agency(t, "DISDIK", "Dinas Pendidikan", org.TypeDinas)
	var err error
	if c.upt, err = h.Svc.Org.CreateAgency(ctx, sys, org.AgencyInput{Code: "UPT-PKM-1", Name: "UPT Puskesmas Dottoro'ta",
		Type: org.TypeUPT, ParentID: &c.dinkes.ID}); err != nil {
		t.Fatal(err)
	}
	person := func(agency int64, nip, name, email string) org.Employee {
		e, err := h.Svc.Org.CreateEmployee(ctx, sys, org.EmployeeInput{AgencyID: agency, NIP: nip, Name: name,
			Email: email, EmploymentType: org.EmploymentPNS, UnitName: "Bidang Pelayanan", PositionName: "Analis"})
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	c.nuraini = person(c.dinkes.ID, nurainiNIP, "Nur'aini", "nuraini@makassarkota.go.id")
	c.arni = person(c.disdik.ID, arniNIP, "Ärni Dottoro'ta", "arni@makassarkota.go.id")
	c.pw = h.Users(t, []servertest.Person{
		{Email: "super@makassarkota.go.id", Name: "Super Admin", Role: policy.Superadmin},
		{Email: "admin.dinkes@makassarkota.go.id", Name: "Admin Dinkes", Role: policy.AgencyAdmin, Agency: "DINKES"},
		{Email: "staf.dinkes@makassarkota.go.id", Name: "Staf Dinkes", Role: policy.Employee, Agency: "DINKES"},
		{Email: "guru@makassarkota.go.id", Name: "Guru Disdik", Role: policy.Employee, Agency: "DISDIK"},
	}...)
	if c.staff, err = h.Svc.Org.GetEmployeeByEmail(ctx, "staf.dinkes@makassarkota.go.id"); err != nil {
		t.Fatal(err)
	}
	return c
}

// signIn returns a browser signed in as email.
func (c *city) signIn(t *testing.T, email string) *servertest.Client {
	t.Helper()
	return c.h.SignIn(t, email, c.pw[email])
}

func id(n int64) string { return strconv.FormatInt(n, 10) }
