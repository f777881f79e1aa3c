// Package spbe assembles the evidence pack for the national e-government
// evaluation (SPBE, PermenPANRB 59/2020) on the management indicators that
// Lontara serves: knowledge management, ICT competence (human resources)
// management and service (help desk) management. For a period it gathers
// the policies in force, the process records (what was published,
// reviewed, assessed, trained, resolved) and the figures, shown on /spbe
// and downloaded as one ZIP of CSV and XLSX tables, a README and a summary
// PDF. Nothing is computed twice: the help desk's figures come from its own
// report.
package spbe

import (
	"context"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/period"
	"github.com/lontara-id/lontara/internal/policy"
)

// The indicators, in the order the pack shows them.
const (
	KnowledgeManagement  = "knowledge"  // Manajemen Pengetahuan
	CompetenceManagement = "competence" // Manajemen Sumber Daya Manusia SPBE: ICT competence
	ServiceManagement    = "service"    // Manajemen Layanan SPBE: the help desk
)

// Indicators lists the indicator keys in order.
var Indicators = []string{KnowledgeManagement, CompetenceManagement, ServiceManagement}

// Policy is a rule in force for an indicator: a regulation from the
// registry (Kind Perwali, SK, SE …) or a rule configured in Lontara itself
// (Kind "lontara": the SLA policies, the JP target, the review workflow).
type Policy struct {
	Indicator string     `json:"indicator"`
	Kind      string     `json:"kind"`
	Number    string     `json:"number"`
	Title     string     `json:"title"`
	Signed    *time.Time `json:"signed_on"`
	Issuer    string     `json:"issuer"`
}

// PolicySource lists the regulations in force at a moment, each assigned
// to an indicator (Indicator "" lists it under all three). The leadership
// capability's registry provides it once wired (SetPolicies); without one,
// the pack says the registry is absent and shows the rules configured in
// Lontara only.
type PolicySource func(ctx context.Context, q db.Querier, at time.Time) ([]Policy, error)

// Figure is one number of an indicator. Value is nil when there is no
// data for it (no tickets, no ratings).
type Figure struct {
	Key   string   `json:"key"`
	Value *float64 `json:"value"`
	Unit  string   `json:"unit"` // count, pct, jp, minutes, score
}

// Pack is the evidence of a period.
type Pack struct {
	Period      string    `json:"period"`
	From        time.Time `json:"from"`
	To          time.Time `json:"to"` // exclusive
	GeneratedAt time.Time `json:"generated_at"`
	// Registry says whether the regulations come from a registry; false:
	// only the rules configured in Lontara are listed.
	Registry   bool           `json:"regulation_registry"`
	Knowledge  KnowledgePart  `json:"knowledge"`
	Competence CompetencePart `json:"competence"`
	Service    ServicePart    `json:"service"`
}

// Service builds evidence packs.
type Service struct {
	db       *db.DB
	desk     *helpdesk.Service
	zone     *time.Location
	policies PolicySource
	now      func() time.Time
}

// NewService returns the service over d, reading the help desk's figures
// through desk; zone is the city's, in which periods are read.
func NewService(d *db.DB, desk *helpdesk.Service, zone *time.Location) *Service {
	return &Service{db: d, desk: desk, zone: zone, now: func() time.Time { return time.Now().UTC() }}
}

// SetPolicies wires the registry of regulations.
func (s *Service) SetPolicies(src PolicySource) { s.policies = src }

// Period reads a period label in the city's zone; empty is this year (the
// SPBE evaluation is yearly).
func (s *Service) Period(label string) (period.Period, error) {
	if label == "" {
		return period.Of(s.now().In(s.zone), period.Year), nil
	}
	return period.Parse(label, s.zone)
}

// Evidence assembles the pack of p for actor (EvidenceView), the rules
// configured in Lontara described in lang.
func (s *Service) Evidence(ctx context.Context, actor *policy.Actor, p period.Period, lang string) (Pack, error) {
	if err := policy.Check(actor, policy.EvidenceView, policy.Target{}); err != nil {
		return Pack{}, err
	}
	from, to := p.Start.UTC(), p.End.UTC()
	pack := Pack{Period: p.Label, From: from, To: to, GeneratedAt: s.now(), Registry: s.policies != nil}
	q := s.db.Replica // a period's evidence may lag the last moment's writes
	var err error
	if pack.Knowledge, err = knowledgeOf(ctx, q, lang, from, to); err != nil {
		return Pack{}, err
	}
	if pack.Competence, err = competenceOf(ctx, q, lang, from, to, p.End.In(s.zone).AddDate(0, 0, -1).Format(time.DateOnly), p.Start.In(s.zone).Year()); err != nil {
		return Pack{}, err
	}
	rep, err := s.desk.HelpdeskReport(ctx, actor, helpdesk.ReportFilter{From: from, To: to})
	if err != nil {
		return Pack{}, err
	}
	if pack.Service, err = serviceOf(ctx, q, lang, rep, from, to); err != nil {
		return Pack{}, err
	}
	pack.Knowledge.Figures = append(pack.Knowledge.Figures, count("self_service_solved", selfServiceSolved(rep)))
	if s.policies != nil {
		list, err := s.policies(ctx, q, to.Add(-time.Second))
		if err != nil {
			return Pack{}, err
		}
		reg := map[string][]Policy{}
		for _, pol := range list {
			if pol.Indicator != "" {
				reg[pol.Indicator] = append(reg[pol.Indicator], pol)
				continue
			}
			for _, k := range Indicators {
				pol.Indicator = k
				reg[k] = append(reg[k], pol)
			}
		}
		// The regulations first, then the rules configured in Lontara.
		pack.Knowledge.Policies = append(reg[KnowledgeManagement], pack.Knowledge.Policies...)
		pack.Competence.Policies = append(reg[CompetenceManagement], pack.Competence.Policies...)
		pack.Service.Policies = append(reg[ServiceManagement], pack.Service.Policies...)
	}
	pack.emptyLists()
	return pack, nil
}

// emptyLists makes every absent list an empty one, so the API answers []
// and never null.
func (p *Pack) emptyLists() {
	orEmpty(&p.Knowledge.Figures)
	orEmpty(&p.Knowledge.Policies)
	orEmpty(&p.Knowledge.Published)
	orEmpty(&p.Knowledge.Reviews)
	orEmpty(&p.Competence.Figures)
	orEmpty(&p.Competence.Policies)
	orEmpty(&p.Competence.Frameworks)
	orEmpty(&p.Competence.Revisions)
	orEmpty(&p.Competence.Events)
	orEmpty(&p.Competence.Assessments)
	orEmpty(&p.Service.Figures)
	orEmpty(&p.Service.Policies)
	orEmpty(&p.Service.SLA)
	orEmpty(&p.Service.Problems)
}

func orEmpty[T any](list *[]T) {
	if *list == nil {
		*list = []T{}
	}
}

// rule is a rule configured in Lontara, described in lang by key.
func rule(lang, indicator, key string, args ...any) Policy {
	return Policy{Indicator: indicator, Kind: "lontara", Title: i18n.T(lang, key, args...), Issuer: "Lontara"}
}

// count is a figure that is a count.
func count(key string, n int) Figure {
	v := float64(n)
	return Figure{Key: key, Value: &v, Unit: "count"}
}

// figure is a figure that may have no data.
func figure(key, unit string, v *float64) Figure { return Figure{Key: key, Value: v, Unit: unit} }

// selfServiceSolved sums the problems the help form's articles solved.
func selfServiceSolved(rep helpdesk.Report) int {
	n := 0
	for _, r := range rep.SelfService {
		n += r.Solved
	}
	return n
}

// LastDay is a moment on the period's last day, for showing it.
func (p Pack) LastDay() time.Time { return p.To.Add(-time.Second) }
