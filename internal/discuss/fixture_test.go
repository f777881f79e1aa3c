package discuss_test

import (
	"context"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/auth"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/discuss"
	"github.com/lontara-id/lontara/internal/policy"
)

// city is a small city for the discussion tests: two agencies, an
// application of the first, a help desk team, and people in each role.
type city struct {
	d                     *db.DB
	svc                   *discuss.Service
	diskes, disdik        int64
	app, team             int64
	nur, budi, ani, admin *policy.Actor // Nur'aini and Ani work in Diskes, Budi in Disdik; admin: Diskes's admin
	expert, agent         *policy.Actor // agent leads the team
}

func person(t testing.TB, d *db.DB, agency int64, name, email string, grants ...policy.Grant) *policy.Actor {
	t.Helper()
	emp, acc := dbtest.Person(t, d, agency, name, email)
	for _, g := range grants {
		dbtest.Grant(t, d, acc, string(g.Role), g.AgencyID)
	}
	return &policy.Actor{AccountID: acc, EmployeeID: emp, AgencyID: agency, Name: name, Email: email, Grants: grants}
}

func newCity(t testing.TB, d *db.DB) *city {
	t.Helper()
	c := &city{d: d, svc: discuss.NewService(d, auth.ActorsIn)}
	c.diskes = dbtest.Agency(t, d, "DISKES", "Dinas Kesehatan", "dinas")
	c.disdik = dbtest.Agency(t, d, "DISDIK", "Dinas Pendidikan", "dinas")
	c.nur = person(t, d, c.diskes, "Nur'aini Dottoro'ta", "nur.aini@makassarkota.go.id", policy.Grant{Role: policy.Employee, AgencyID: c.diskes})
	c.ani = person(t, d, c.diskes, "Ani Ärzte", "ani@makassarkota.go.id", policy.Grant{Role: policy.Operator, AgencyID: c.diskes})
	c.budi = person(t, d, c.disdik, "Budi Santoso", "budi@makassarkota.go.id", policy.Grant{Role: policy.Employee, AgencyID: c.disdik})
	c.admin = person(t, d, c.diskes, "Admin Diskes", "admin.diskes@makassarkota.go.id", policy.Grant{Role: policy.AgencyAdmin, AgencyID: c.diskes})
	c.expert = person(t, d, c.disdik, "Pakar Kota", "pakar@makassarkota.go.id", policy.Grant{Role: policy.Expert})
	c.agent = person(t, d, c.disdik, "Agen Jaringan", "agen@makassarkota.go.id", policy.Grant{Role: policy.Agent})
	now := time.Now().UTC()
	var err error
	if c.app, err = db.InsertID(context.Background(), d.W, `INSERT INTO apps (slug, name, owner_agency_id, status, created_at, updated_at)
		VALUES ('sikda', 'SIKDA', $1, 'active', $2, $2) RETURNING id`, c.diskes, now); err != nil {
		t.Fatal(err)
	}
	if c.team, err = db.InsertID(context.Background(), d.W, `INSERT INTO teams (code, name, created_at, updated_at)
		VALUES ('net', 'Jaringan', $1, $1) RETURNING id`, now); err != nil {
		t.Fatal(err)
	}
	if _, err := d.W.Exec(`INSERT INTO team_members (team_id, account_id, lead, created_at) VALUES ($1, $2, TRUE, $3)`,
		c.team, c.agent.AccountID, now); err != nil {
		t.Fatal(err)
	}
	return c
}

// space makes a space as the expert (or the actor given).
func (c *city) space(t *testing.T, in discuss.SpaceInput, by ...*policy.Actor) discuss.Space {
	t.Helper()
	actor := c.expert
	if len(by) > 0 {
		actor = by[0]
	}
	s, err := c.svc.CreateSpace(context.Background(), actor, in)
	if err != nil {
		t.Fatalf("create space %q: %v", in.Name, err)
	}
	return s
}

// thread starts a thread as actor.
func (c *city) thread(t *testing.T, actor *policy.Actor, space int64, title, body string, question bool) discuss.Thread {
	t.Helper()
	th, _, err := c.svc.CreateThread(context.Background(), actor, space, discuss.ThreadInput{Title: title, Body: body, Question: question})
	if err != nil {
		t.Fatalf("thread %q: %v", title, err)
	}
	return th
}

// reply answers a thread as actor.
func (c *city) reply(t *testing.T, actor *policy.Actor, thread int64, body string) discuss.Post {
	t.Helper()
	p, err := c.svc.Reply(context.Background(), actor, thread, discuss.PostInput{Body: body})
	if err != nil {
		t.Fatalf("reply to %d: %v", thread, err)
	}
	return p
}

// count runs a count query.
func (c *city) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := c.d.R.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
