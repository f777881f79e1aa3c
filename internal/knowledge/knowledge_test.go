package knowledge_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/knowledge"
	"github.com/lontara-id/lontara/internal/policy"
)

// draft makes a draft article as actor in a transaction of its own.
func draft(t *testing.T, d *db.DB, actor *policy.Actor, in knowledge.Draft) (knowledge.Article, error) {
	t.Helper()
	var a knowledge.Article
	err := d.Tx(context.Background(), func(tx *sql.Tx) error {
		var err error
		a, err = knowledge.CreateDraft(context.Background(), tx, actor, in)
		return err
	})
	return a, err
}

func TestADraftIsWrittenOnlyByTheHelpDeskOncePerOrigin(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		agency := dbtest.Agency(t, d, "DKF", "Dinas Kominfo", "dinas")
		_, agentID := dbtest.Person(t, d, agency, "Agen", "agen@example.go.id")
		_, empID := dbtest.Person(t, d, agency, "Nur'aini", "nur@example.go.id")
		agent := &policy.Actor{AccountID: agentID, Name: "Agen", Grants: []policy.Grant{{Role: policy.Agent}}}
		employee := &policy.Actor{AccountID: empID, Grants: []policy.Grant{{Role: policy.Employee, AgencyID: agency}}}

		a, err := draft(t, d, agent, knowledge.Draft{Title: "  Cara reset sandi Ä  ", Body: "Pilih **Lupa sandi**.",
			OriginKind: knowledge.OriginTicket, OriginID: 42})
		if err != nil || a.Status != knowledge.StatusDraft || a.Title != "Cara reset sandi Ä" || *a.AuthorID != agentID {
			t.Fatalf("draft: %+v, %v", a, err)
		}
		if _, err := draft(t, d, employee, knowledge.Draft{Title: "x"}); errs.CodeOf(err) != errs.Forbidden {
			t.Errorf("an employee's draft: %v, want Forbidden", err)
		}
		if _, err := draft(t, d, agent, knowledge.Draft{Title: " "}); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("an empty title: %v, want Invalid", err)
		}
		_, err = draft(t, d, agent, knowledge.Draft{Title: "Lagi", OriginKind: knowledge.OriginTicket, OriginID: 42})
		if _, unique := d.Dialect.UniqueViolation(err); !unique {
			t.Errorf("a second article of the same ticket: %v, want a unique violation", err)
		}
		found, ok, err := knowledge.ByOrigin(ctx, d.R, knowledge.OriginTicket, 42)
		if err != nil || !ok || found.ID != a.ID || found.Body != "Pilih **Lupa sandi**." || found.HTML != "<p>Pilih <strong>Lupa sandi</strong>.</p>\n" {
			t.Fatalf("by origin: %+v %v %v", found, ok, err)
		}
		if _, ok, _ := knowledge.ByOrigin(ctx, d.R, knowledge.OriginTicket, 43); ok {
			t.Error("another ticket has an article")
		}
		svc := knowledge.NewService(d)
		if _, err := svc.Get(ctx, employee, a.ID); errs.CodeOf(err) != errs.NotFound {
			t.Errorf("an employee reads a draft: %v, want NotFound", err)
		}
		if got, err := svc.Get(ctx, agent, a.ID); err != nil || got.ID != a.ID {
			t.Errorf("the help desk reads the draft: %v", err)
		}
	})
}

func TestAViewCountsAsATicketPreventedWhenNoTicketFollowsWithinTheWindow(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		agency := dbtest.Agency(t, d, "DKF", "Dinas Kominfo", "dinas")
		_, agentID := dbtest.Person(t, d, agency, "Agen", "agen@example.go.id")
		agent := &policy.Actor{AccountID: agentID, Grants: []policy.Grant{{Role: policy.Agent}}}
		a, err := draft(t, d, agent, knowledge.Draft{Title: "VPN"})
		if err != nil {
			t.Fatal(err)
		}
		var readers []int64
		for _, email := range []string{"a@example.go.id", "b@example.go.id", "c@example.go.id", "d@example.go.id"} {
			_, id := dbtest.Person(t, d, agency, email, email)
			readers = append(readers, id)
		}
		t0 := time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC)
		view := func(account int64, at time.Time) {
			if err := knowledge.RecordView(ctx, d.W, a.ID, account, at); err != nil {
				t.Fatal(err)
			}
		}
		view(readers[0], t0)
		view(readers[0], t0.Add(time.Hour)) // the same need: not counted twice
		view(readers[1], t0)                // files a ticket the next day: not prevented
		view(readers[2], t0)                // files a ticket after the window: prevented
		view(readers[3], t0.Add(70*time.Hour))
		fileTicket := func(account int64, at time.Time) {
			if _, err := d.W.Exec(`INSERT INTO tickets (subject, reporter_account_id, channel, category, priority, status,
				first_response_due, resolution_due, created_at, updated_at) VALUES ('VPN', $1, 'web', 'network', 'normal',
				'new', $2, $2, $2, $2)`, account, at); err != nil {
				t.Fatal(err)
			}
		}
		fileTicket(readers[1], t0.Add(24*time.Hour))
		fileTicket(readers[2], t0.Add(knowledge.Window+time.Hour))
		for _, c := range []struct {
			now  time.Time
			want int
		}{
			{t0.Add(time.Hour), 0},                                   // every window still open
			{t0.Add(knowledge.Window), 2},                            // readers 0 and 2; reader 1 filed a ticket
			{t0.Add(70*time.Hour + knowledge.Window), 3},             // and reader 3
			{t0.Add(70*time.Hour + knowledge.Window + time.Hour), 3}, // the count only grows
		} {
			n, err := knowledge.Prevented(ctx, d.R, a.ID, c.now)
			if err != nil || n != c.want {
				t.Errorf("prevented at %v: %d (%v), want %d", c.now, n, err, c.want)
			}
		}
	})
}
