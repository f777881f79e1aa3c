package demo

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/lontara-id/lontara/internal/competency"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
)

// The demo city's competency framework: the default framework, the
// requirements a city would set first (every employee's digital basics,
// operators' security, each application's operators operating it well),
// and a record of assessments two and a half years deep — operators
// verified by trainers after bimtek, some of it lapsed, people's own
// self-assessments and their supervisors' verifications, and a few
// self-assessments still waiting, so the verification queue has work.
func loadCompetency(ctx context.Context, d *db.DB, ds *dataset) error {
	if _, err := competency.EnsureDefaults(ctx, d); err != nil {
		return fmt.Errorf("demo: default framework: %w", err)
	}
	people := demoPeople(ds)
	expert := people["expert"]
	if expert == nil {
		return nil
	}
	svc := competency.NewService(d)
	ids := map[string]int64{}
	all, err := svc.List(ctx, competency.Filter{})
	if err != nil {
		return err
	}
	for _, c := range all {
		ids[c.Code] = c.ID
	}
	if err := demoRequirements(ctx, svc, expert, ds, ids); err != nil {
		return err
	}
	return d.Tx(ctx, func(tx *sql.Tx) error { return demoAssessments(ctx, tx, ds, ids) })
}

// demoRequirements sets the requirements through the service, as the
// expert team would.
func demoRequirements(ctx context.Context, svc *competency.Service, expert *policy.Actor, ds *dataset, ids map[string]int64) error {
	add := func(code string, level int, in competency.RequirementInput) error {
		id, ok := ids[code]
		if !ok {
			return nil // retired or missing: nothing to require
		}
		in.CompetencyID, in.Level = id, level
		if _, err := svc.AddRequirement(ctx, expert, in); err != nil && !errs.Is(err, errs.Conflict) {
			return fmt.Errorf("demo: requirement %s: %w", code, err)
		}
		return nil
	}
	role := func(r policy.Role) *string { s := string(r); return &s }
	for _, r := range []struct {
		code  string
		level int
		role  policy.Role
	}{
		{competency.CodeDigitalLiteracy, 2, policy.Employee}, {competency.CodeSecurity, 2, policy.Employee},
		{competency.CodeWebmail, 2, policy.Employee}, {competency.CodeSecurity, 3, policy.Operator},
		{competency.CodeData, 2, policy.Operator}, {competency.CodeSecurity, 3, policy.AgencyAdmin},
		{competency.CodeDigitalLiteracy, 4, policy.Trainer}, {competency.CodeNetwork, 2, policy.Trainer},
		{competency.CodeData, 3, policy.AgencyAdmin}, {competency.CodeNetwork, 2, policy.AgencyAdmin},
	} {
		if err := add(r.code, r.level, competency.RequirementInput{Role: role(r.role)}); err != nil {
			return err
		}
	}
	for i, name := range ds.Positions {
		pos := int64(i + 1)
		switch name {
		case "Pranata Komputer":
			if err := add(competency.CodeNetwork, 3, competency.RequirementInput{PositionID: &pos}); err != nil {
				return err
			}
		case "Pengelola Data":
			if err := add(competency.CodeData, 3, competency.RequirementInput{PositionID: &pos}); err != nil {
				return err
			}
		}
	}
	for _, a := range ds.Apps {
		if a.Status == "retired" {
			continue
		}
		app := a.ID
		if err := add(competency.AppCode(a.Slug, competency.UseOperate), 3, competency.RequirementInput{AppID: &app}); err != nil {
			return err
		}
	}
	// Kominfo keeps the city's websites: its own people write for them.
	if agency := expert.AgencyID; agency != 0 {
		if err := add(competency.CodeWebsite, 2, competency.RequirementInput{Role: role(policy.Employee), AgencyID: &agency}); err != nil {
			return err
		}
	}
	return nil
}

// demoAssessed is how many people, at most, get a record of their own.
const demoAssessed = 6000

// demoAssessments writes the record, deterministically, through
// RecordEvidence as every part of Lontara does.
func demoAssessments(ctx context.Context, tx *sql.Tx, ds *dataset, ids map[string]int64) error {
	r := rand.New(rand.NewPCG(5, 0x6b6f6d706574))
	now := time.Now().UTC()
	ago := func(maxDays int) time.Time { return now.Add(-time.Duration(1+r.IntN(maxDays)) * 24 * time.Hour) }
	record := func(e competency.Evidence) error {
		if e.CompetencyID == 0 {
			return nil
		}
		return competency.RecordEvidence(ctx, tx, e)
	}
	slugs := map[int64]string{}
	for _, a := range ds.Apps {
		slugs[a.ID] = a.Slug
	}
	// Operators, verified after a bimtek by a trainer; some of it lapsed.
	for _, g := range ds.Grants {
		if g.Role != "operator" || g.AppID == 0 {
			continue
		}
		id := ids[competency.AppCode(slugs[g.AppID], competency.UseOperate)]
		level, at := 2+r.IntN(3), ago(900)
		if err := record(competency.Evidence{EmployeeID: g.AccountID, CompetencyID: id, Level: level,
			Source: competency.SourceSession, EvidenceKind: "session", EvidenceRef: "Bimtek operator " + slugs[g.AppID], At: at}); err != nil {
			return err
		}
		if err := record(competency.Evidence{EmployeeID: g.AccountID, CompetencyID: id, Level: min(4, level+r.IntN(2)),
			Source: competency.SourceSelf, At: at.Add(24 * time.Hour)}); err != nil {
			return err
		}
		if err := record(competency.Evidence{EmployeeID: g.AccountID, CompetencyID: ids[competency.CodeSecurity],
			Level: 2 + r.IntN(2), Source: competency.SourceSession, EvidenceKind: "session",
			EvidenceRef: "Sosialisasi keamanan informasi", At: ago(540)}); err != nil {
			return err
		}
	}
	// Everyone else: a third assessed their digital basics; half of those
	// were verified by their direct supervisor, the rest wait. The larger
	// benchmark worlds keep to their first people: their gap analysis has
	// its own generator.
	for i, e := range ds.Employees {
		if i >= demoAssessed {
			break
		}
		if i%3 != 0 {
			continue
		}
		self, at := 2+r.IntN(2), ago(400)
		if err := record(competency.Evidence{EmployeeID: e.ID, CompetencyID: ids[competency.CodeDigitalLiteracy],
			Level: self, Source: competency.SourceSelf, Note: "Penilaian diri", At: at}); err != nil {
			return err
		}
		if e.SupervisorID != 0 && i%2 == 0 {
			if err := record(competency.Evidence{EmployeeID: e.ID, CompetencyID: ids[competency.CodeDigitalLiteracy],
				Level: max(1, self-r.IntN(2)), Source: competency.SourceSupervisor, AssessorID: e.SupervisorID,
				EvidenceKind: "document", EvidenceRef: "Hasil kerja harian", At: at.Add(72 * time.Hour)}); err != nil {
				return err
			}
		}
		if i%5 == 0 {
			if err := record(competency.Evidence{EmployeeID: e.ID, CompetencyID: ids[competency.CodeWebmail],
				Level: 1 + r.IntN(3), Source: competency.SourceSelf, At: ago(200)}); err != nil {
				return err
			}
		}
	}
	return nil
}
