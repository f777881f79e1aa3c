package apps_test

import (
	"context"
	"testing"

	"github.com/lontara-id/lontara/internal/apps"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/org"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// city is a running server with three agencies and people in them.
type city struct {
	h                       *servertest.Harness
	kominfo, diskes, bkpsdm org.Agency
	pw                      map[string]string // email → password
	super, admin            string            // tokens: the superadmin, Diskes' agency admin
}

const (
	superEmail = "super@makassarkota.go.id"
	adminEmail = "admin.diskes@makassarkota.go.id"
	staffEmail = "nuraini@makassarkota.go.id"
	opDiskes   = "opdiskes@makassarkota.go.id"
	opBkpsdm   = "opbkpsdm@makassarkota.go.id"
	adminOther = "admin.bkpsdm@makassarkota.go.id"
	system     = "test"
)

func newCity(t *testing.T, d *db.DB) *city {
	t.Helper()
	h := servertest.Start(t, d)
	c := &city{h: h}
	c.kominfo = h.Agency(t, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
	c.diskes = h.Agency(t, "DISKES", "Dinas Kesehatan", "dinas")
	c.bkpsdm = h.Agency(t, "BKPSDM", "Badan Kepegawaian dan Pengembangan SDM", "badan")
	c.pw = h.Users(t, []servertest.Person{
		{Email: superEmail, Name: "Andi Admin", Role: policy.Superadmin, Agency: "KOMINFO"},
		{Email: adminEmail, Name: "Besse Admin", Role: policy.AgencyAdmin, Agency: "DISKES"},
		{Email: staffEmail, Name: "Nur'aini Daeng Caya", Role: policy.Employee, Agency: "DISKES"},
		{Email: opDiskes, Name: "Rahmat Operator", Role: policy.Employee, Agency: "DISKES"},
		{Email: opBkpsdm, Name: "Sitti Operator", Role: policy.Employee, Agency: "BKPSDM"},
		{Email: adminOther, Name: "Karaeng Admin", Role: policy.AgencyAdmin, Agency: "BKPSDM"},
	}...)
	c.super, c.admin = h.Token(t, superEmail), h.Token(t, adminEmail)
	return c
}

// app adds an application through the service.
func (c *city) app(t *testing.T, name string, owner int64, status string) apps.App {
	t.Helper()
	a, err := c.h.Svc.Apps.CreateApp(context.Background(), policy.SystemActor(system),
		apps.AppInput{Name: name, OwnerAgencyID: owner, Status: status, URL: "https://" + apps.Slugify(name) + ".makassarkota.go.id",
			Description: "Layanan " + name + " untuk seluruh OPD."})
	if err != nil {
		t.Fatalf("app %s: %v", name, err)
	}
	return a
}

// browser returns a browser signed in as email.
func (c *city) browser(t *testing.T, email string) *servertest.Client {
	t.Helper()
	return c.h.SignIn(t, email, c.pw[email])
}
