package targets_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/loindex"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/targets"
)

var wita = time.FixedZone("WITA", 8*3600)

// world is an agency with four people: two operate SIPD, one at level 3
// of its competency and one at level 2; one has 10 JP this quarter; two
// tickets, one resolved late.
type world struct {
	agency, app, comp int64
	people            []int64
	svc               *targets.Service
	now               time.Time
}

func setUp(t *testing.T, d *db.DB) world {
	t.Helper()
	ctx := context.Background()
	w := world{now: time.Date(2026, 2, 14, 12, 0, 0, 0, wita)}
	w.agency = dbtest.Agency(t, d, "BPKAD", "Badan Pengelolaan Keuangan dan Aset Daerah", "badan")
	var err error
	w.app, err = db.InsertID(ctx, d.W, `INSERT INTO apps (slug, name, owner_agency_id, status, created_at, updated_at)
		VALUES ('sipd', 'SIPD', $1, 'active', $2, $2) RETURNING id`, w.agency, w.now.UTC())
	if err != nil {
		t.Fatal(err)
	}
	w.comp = dbtest.Competency(t, d, "SIPD-OPS", "Mengoperasikan SIPD")
	var accounts []int64
	for i, name := range []string{"Nur'aini", "Dottoro'ta", "Andi", "Becce"} {
		e, a := dbtest.Person(t, d, w.agency, name, fmt.Sprintf("p%d@bpkad.go.id", i))
		w.people, accounts = append(w.people, e), append(accounts, a)
	}
	for i, level := range []int{3, 2} {
		if _, err := d.W.Exec(`INSERT INTO role_grants (account_id, role, agency_id, app_id, created_at)
			VALUES ($1, 'operator', $2, $3, $4)`, accounts[i], w.agency, w.app, w.now.UTC()); err != nil {
			t.Fatal(err)
		}
		if _, err := d.W.Exec(`INSERT INTO competency_held (employee_id, levels, updated_at) VALUES ($1, $2, $3)`,
			w.people[i], fmt.Sprintf("%d:%d", w.comp, level), w.now.UTC()); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := d.W.Exec(`INSERT INTO learning_records (employee_id, kind, title, jp, source_kind, source_id,
		completed_at, created_at) VALUES ($1, 'bimtek', 'Bimtek SIPD', 10, 'manual', 1, $2, $2)`,
		w.people[0], w.now.AddDate(0, 0, -10).UTC()); err != nil {
		t.Fatal(err)
	}
	for i, late := range []bool{false, true} {
		created := w.now.AddDate(0, 0, -20+i)
		resolved := created.Add(time.Hour)
		if late {
			resolved = created.Add(72 * time.Hour)
		}
		if _, err := d.W.Exec(`INSERT INTO tickets (subject, reporter_account_id, channel, category, agency_id, priority,
			status, first_response_due, resolution_due, resolved_at, created_at, updated_at)
			VALUES ($1, $2, 'web', 'application', $3, 'normal', 'resolved', $4, $4, $5, $6, $6)`,
			fmt.Sprintf("SIPD tidak bisa dibuka %d", i), accounts[2], w.agency, created.Add(8*time.Hour).UTC(),
			resolved.UTC(), created.UTC()); err != nil {
			t.Fatal(err)
		}
	}
	index := loindex.NewService(d, wita)
	index.SetClock(func() time.Time { return w.now })
	w.svc = targets.NewService(d, wita, index)
	w.svc.SetClock(func() time.Time { return w.now })
	return w
}

func goal(v float64) *float64 { return &v }

func TestProgressComesFromLiveDataWithWhoIsBehind(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx, sys := context.Background(), policy.SystemActor("test")
		w := setUp(t, d)
		level := 3
		cases := []struct {
			in      targets.Input
			current float64
			status  string
			items   int
		}{
			// 10 JP over 4 people is 2.5; 44.5 of the quarter's 90 days ask 2.47 of 5.
			{targets.Input{AgencyID: &w.agency, Period: "2026-q1", Metric: targets.MetricJP, Goal: goal(5)}, 2.5, targets.StatusOnTrack, 3},
			// The city asks 10.88 of 22: the person with 10 JP is behind too.
			{targets.Input{Period: "2026-Q1", Metric: targets.MetricJP, Goal: goal(22)}, 2.5, targets.StatusBehind, 4},
			{targets.Input{AgencyID: &w.agency, Period: "2026", Metric: targets.MetricCompetency, CompetencyID: &w.comp,
				Level: &level, AppID: &w.app}, 50, targets.StatusBehind, 1},
			{targets.Input{AgencyID: &w.agency, Period: "2026-Q1", Metric: targets.MetricSLA}, 50, targets.StatusBehind, 1},
			{targets.Input{Period: "2026-Q1", Metric: targets.MetricSLA, Goal: goal(40)}, 50, targets.StatusMet, 1},
		}
		for _, c := range cases {
			created, err := w.svc.Create(ctx, sys, c.in)
			if err != nil {
				t.Fatalf("%s: %v", c.in.Metric, err)
			}
			got, err := w.svc.Get(ctx, sys, created.ID)
			if err != nil {
				t.Fatal(err)
			}
			p := got.Progress
			if p.Current == nil || *p.Current != c.current || p.Status != c.status || p.ItemsTotal != c.items || len(p.Items) != c.items {
				t.Errorf("%s %s: progress = %+v (current %v), want %v %s with %d items", got.Metric, got.Period, p,
					show(p.Current), c.current, c.status, c.items)
			}
		}
		comp, _, err := w.svc.List(ctx, sys, targets.Filter{Period: ptr("2026")}, db.Page{Limit: 10})
		if err != nil || len(comp) != 1 {
			t.Fatalf("list of 2026 = %v, %v", comp, err)
		}
		if comp[0].Period != "2026" || comp[0].AppName != "SIPD" || comp[0].Progress == nil || comp[0].Progress.Items != nil {
			t.Errorf("listed target = %+v, want names and progress without the drill-down", comp[0])
		}
		one, _ := w.svc.Get(ctx, sys, comp[0].ID)
		if it := one.Progress.Items[0]; it.Name != "Dottoro'ta" || it.Value == nil || *it.Value != 2 {
			t.Errorf("the operator below level 3 = %+v, want Dottoro'ta at 2", it)
		}
	})
}

func TestBadTargetsAreRefusedNamingTheField(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx, sys := context.Background(), policy.SystemActor("test")
		w := setUp(t, d)
		missing, zero, four := int64(999999), 0, 4
		for _, c := range []struct {
			in    targets.Input
			field string
		}{
			{targets.Input{Period: "2026-Q5", Metric: targets.MetricJP}, "period"},
			{targets.Input{Period: "2026", Metric: "happiness"}, "metric"},
			{targets.Input{Period: "2026", Metric: targets.MetricSLA, Goal: goal(120)}, "goal"},
			{targets.Input{Period: "2026", Metric: targets.MetricJP, Goal: goal(0)}, "goal"},
			{targets.Input{Period: "2026", Metric: targets.MetricCompetency, Level: &four}, "competency_id"},
			{targets.Input{Period: "2026", Metric: targets.MetricCompetency, CompetencyID: &w.comp, Level: &zero}, "level"},
			{targets.Input{Period: "2026", Metric: targets.MetricCompetency, CompetencyID: &w.comp, Level: &four,
				AppID: &w.app, Role: ptr("trainer")}, "group"},
			{targets.Input{Period: "2026", Metric: targets.MetricCompetency, CompetencyID: &w.comp, Level: &four,
				Role: ptr("executive")}, "role"},
			{targets.Input{Period: "2026", Metric: targets.MetricSLA, CompetencyID: &w.comp}, "competency_id"},
			{targets.Input{AgencyID: &missing, Period: "2026", Metric: targets.MetricSLA}, "agency_id"},
		} {
			_, err := w.svc.Create(ctx, sys, c.in)
			e := errs.As(err)
			if e == nil || e.Code != errs.Invalid || !hasField(e, c.field) {
				t.Errorf("%+v: err = %v, want Invalid on %s", c.in, err, c.field)
			}
		}
		var n int
		if err := d.R.QueryRow(`SELECT count(*) FROM learning_targets`).Scan(&n); err != nil || n != 0 {
			t.Errorf("%d targets stored after refusals (%v)", n, err)
		}
	})
}

func hasField(e *errs.Error, field string) bool {
	for _, f := range e.Fields {
		if f.Name == field {
			return true
		}
	}
	return false
}

func ptr[T any](v T) *T { return &v }

func show(v *float64) any {
	if v == nil {
		return "nil"
	}
	return *v
}

// The executive reads every agency's targets but, by the help desk's
// rule, no ticket: the SLA drill-down shows them the missed ticket's
// number and status, not its subject or a link; the agency head, who may
// view the agency's tickets, sees both.
func TestMissedTicketsShowTheirSubjectOnlyToWhoMayViewThem(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx, sys := context.Background(), policy.SystemActor("test")
		w := setUp(t, d)
		created, err := w.svc.Create(ctx, sys, targets.Input{AgencyID: &w.agency, Period: "2026-Q1", Metric: targets.MetricSLA})
		if err != nil {
			t.Fatal(err)
		}
		executive := &policy.Actor{AccountID: 900001, Grants: []policy.Grant{{Role: policy.Executive}}}
		head := &policy.Actor{AccountID: 900002, Grants: []policy.Grant{{Role: policy.AgencyHead, AgencyID: w.agency}}}
		for _, c := range []struct {
			who     string
			actor   *policy.Actor
			subject bool
		}{{"executive", executive, false}, {"head", head, true}} {
			got, err := w.svc.Get(ctx, c.actor, created.ID)
			if err != nil {
				t.Fatalf("%s: %v", c.who, err)
			}
			items := got.Progress.Items
			if len(items) != 1 || items[0].Detail != "resolved" {
				t.Fatalf("%s: items = %+v, want the one late ticket with its status", c.who, items)
			}
			it := items[0]
			shown := it.Name == "SIPD tidak bisa dibuka 1" && it.Link != ""
			hidden := it.Name == fmt.Sprintf("T-%06d", it.ID) && it.Link == ""
			if (c.subject && !shown) || (!c.subject && !hidden) {
				t.Errorf("%s sees %+v, want subject and link %v", c.who, it, c.subject)
			}
		}
	})
}
