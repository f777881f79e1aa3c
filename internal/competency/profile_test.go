package competency_test

import (
	"context"
	"database/sql"
	"slices"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/competency"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

func item(p competency.Profile, code string) competency.ProfileItem {
	for _, it := range p.Items {
		if it.Code == code {
			return it
		}
	}
	return competency.ProfileItem{}
}

func TestTheHighestVerifiedLevelNotLapsedCountsWithTheSelfAssessmentBesideIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc := competency.NewService(d)
		dinkes := dbtest.Agency(t, d, "DINKES", "Dinas Kesehatan", "dinas")
		other := dbtest.Agency(t, d, "DISHUB", "Dinas Perhubungan", "dinas")
		boss := person(t, d, dinkes, "Andi Dottoro'ta", "andi@makassarkota.go.id", policy.Employee)
		staff := person(t, d, dinkes, "Nur'aini", "nuraini@makassarkota.go.id", policy.Employee)
		colleague := person(t, d, dinkes, "Ä Rahman", "rahman@makassarkota.go.id", policy.Employee)
		trainer := person(t, d, dinkes, "Pelatih", "pelatih@makassarkota.go.id", policy.Trainer)
		outsider := person(t, d, other, "Pelatih Dishub", "pelatih.dishub@makassarkota.go.id", policy.Trainer)
		if _, err := d.W.Exec(`UPDATE employees SET supervisor_id = $1 WHERE id = $2`, boss.EmployeeID, staff.EmployeeID); err != nil {
			t.Fatal(err)
		}
		if _, err := competency.EnsureDefaults(ctx, d); err != nil {
			t.Fatal(err)
		}
		security, _ := svc.ByCode(ctx, competency.CodeSecurity) // lapses after 12 months
		literacy, _ := svc.ByCode(ctx, competency.CodeDigitalLiteracy)

		self, err := svc.Assess(ctx, staff, staff.EmployeeID, competency.AssessmentInput{Code: competency.CodeSecurity, Level: 3,
			Note: "Sudah ikut sosialisasi phishing"})
		if err != nil {
			t.Fatal(err)
		}
		if self.Source != competency.SourceSelf || self.Note != "Sudah ikut sosialisasi phishing" {
			t.Errorf("self-assessment = %+v", self)
		}
		var asked int
		if err := d.R.QueryRow(`SELECT count(*) FROM notifications WHERE account_id = $1 AND kind = 'competency.requested'`,
			boss.AccountID).Scan(&asked); err != nil || asked != 1 {
			t.Errorf("the supervisor was asked %d times (%v), want once", asked, err)
		}
		reqs, err := svc.Requests(ctx, boss, 10)
		if err != nil || len(reqs) != 1 || reqs[0].PersonName != "Nur'aini" || reqs[0].Level != 3 {
			t.Fatalf("the supervisor's queue: %+v, %v", reqs, err)
		}
		if reqs, _ := svc.Requests(ctx, outsider, 10); len(reqs) != 0 {
			t.Errorf("another agency's trainer sees %d requests", len(reqs))
		}
		// An attended session at level 1 does not answer a claim of level 3.
		must(t, d.Tx(ctx, func(tx *sql.Tx) error {
			return competency.RecordEvidence(ctx, tx, competency.Evidence{EmployeeID: staff.EmployeeID,
				CompetencyID: security.ID, Level: 1, Source: competency.SourceSession, At: time.Now().UTC()})
		}))
		if reqs, err := svc.Requests(ctx, boss, 10); err != nil || len(reqs) != 1 || reqs[0].Level != 3 || reqs[0].Verified != 1 {
			t.Fatalf("the queue after level-1 session evidence: %+v, %v", reqs, err)
		}

		// Two years ago a trainer saw level 4: it has lapsed.
		long := time.Now().UTC().AddDate(-2, 0, 0)
		if _, err := svc.Assess(ctx, trainer, staff.EmployeeID, competency.AssessmentInput{CompetencyID: security.ID, Level: 4,
			AssessedAt: &long, EvidenceKind: "certificate", EvidenceRef: "SERT-2024-001"}); err != nil {
			t.Fatal(err)
		}
		v, err := svc.Assess(ctx, boss, staff.EmployeeID, competency.AssessmentInput{CompetencyID: security.ID, Level: 2})
		if err != nil {
			t.Fatal(err)
		}
		if v.Source != competency.SourceSupervisor || v.ExpiresAt == nil {
			t.Errorf("the supervisor's verification = %+v", v)
		}
		score := 85
		if _, err := svc.Assess(ctx, trainer, staff.EmployeeID, competency.AssessmentInput{CompetencyID: literacy.ID, Level: 3,
			Source: competency.SourceTest, Score: &score}); err != nil {
			t.Fatal(err)
		}

		p, err := svc.ProfileOf(ctx, staff, staff.EmployeeID)
		if err != nil {
			t.Fatal(err)
		}
		sec := item(p, competency.CodeSecurity)
		if sec.Level != 2 || sec.Source != competency.SourceSupervisor || sec.SelfLevel != 3 || sec.LapsedLevel != 4 || sec.ExpiresAt == nil {
			t.Errorf("security = %+v, want verified 2 by the supervisor, self 3, level 4 lapsed", sec)
		}
		if lit := item(p, competency.CodeDigitalLiteracy); lit.Level != 3 || lit.Source != competency.SourceTest || lit.ExpiresAt != nil {
			t.Errorf("literacy = %+v, want 3 from a test, never lapsing", lit)
		}
		if p.Person.Name != "Nur'aini" || !p.CanAssess || p.CanVerify {
			t.Errorf("own profile: %+v", p)
		}
		if held, err := svc.Holders(ctx, policy.SystemActor("test"), security.ID); err != nil || held != [4]int{0, 1, 0, 0} {
			t.Errorf("holders of security: %v, %v; want one at level 2 (level 4 lapsed)", held, err)
		}
		if _, err := svc.Holders(ctx, staff, security.ID); !errs.Is(err, errs.Forbidden) {
			t.Errorf("an employee reading the city's picture: %v", err)
		}
		if reqs, _ := svc.Requests(ctx, boss, 10); len(reqs) != 0 {
			t.Errorf("the queue after a verification: %+v", reqs)
		}

		// Who may do what.
		if _, err := svc.Assess(ctx, staff, staff.EmployeeID, competency.AssessmentInput{CompetencyID: security.ID, Level: 4,
			Source: competency.SourceTrainer}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("verifying oneself: %v, want forbidden", err)
		}
		if _, err := svc.Assess(ctx, colleague, staff.EmployeeID, competency.AssessmentInput{CompetencyID: security.ID, Level: 4}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("a colleague verifying: %v, want forbidden", err)
		}
		if _, err := svc.Assess(ctx, outsider, staff.EmployeeID, competency.AssessmentInput{CompetencyID: security.ID, Level: 4}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("another agency's trainer verifying: %v, want forbidden", err)
		}
		if _, err := svc.ProfileOf(ctx, colleague, staff.EmployeeID); !errs.Is(err, errs.Forbidden) {
			t.Errorf("a colleague reading the profile: %v, want forbidden", err)
		}
		if bp, err := svc.ProfileOf(ctx, boss, staff.EmployeeID); err != nil || !bp.CanVerify {
			t.Errorf("the supervisor reading: %v, may verify %v", err, bp.CanVerify)
		}

		// Bad input.
		bad, future := 101, time.Now().Add(48*time.Hour)
		_, err = svc.Assess(ctx, trainer, staff.EmployeeID, competency.AssessmentInput{CompetencyID: security.ID, Level: 5,
			Score: &bad, EvidenceKind: "rumor", AssessedAt: &future})
		if got := fieldsOf(t, err); !slices.Equal(got, []string{"assessed_at", "evidence_kind", "level", "score"}) {
			t.Errorf("bad assessment fields %v", got)
		}
		_, err = svc.Assess(ctx, trainer, staff.EmployeeID, competency.AssessmentInput{CompetencyID: literacy.ID, Level: 2, Source: competency.SourceTest})
		if got := fieldsOf(t, err); !slices.Equal(got, []string{"score"}) {
			t.Errorf("a test without a score: fields %v", got)
		}
		if _, err := svc.Assess(ctx, staff, staff.EmployeeID, competency.AssessmentInput{Code: "tidak-ada", Level: 2}); err == nil {
			t.Error("an unknown code was accepted")
		}

		hist, next, err := svc.History(ctx, staff, staff.EmployeeID, &security.ID, db.Page{Limit: 2})
		if err != nil || len(hist) != 2 || next == "" || hist[0].ID != v.ID {
			t.Fatalf("history page 1: %d entries, next %q, %v", len(hist), next, err)
		}
		rest, _, err := svc.History(ctx, staff, staff.EmployeeID, &security.ID, db.Page{Limit: 2, After: next})
		if err != nil || len(rest) != 2 || rest[0].Source != competency.SourceSession || rest[1].ID != self.ID {
			t.Errorf("history page 2: %+v, %v", rest, err)
		}
		var told int
		if err := d.R.QueryRow(`SELECT count(*) FROM notifications WHERE account_id = $1 AND kind = 'competency.verified'`,
			staff.AccountID).Scan(&told); err != nil {
			t.Fatal(err)
		}
		if told != 3 {
			t.Errorf("notifications of verifications: %d, want 3", told)
		}
	})
}
