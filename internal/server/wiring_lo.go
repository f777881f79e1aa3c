package server

import (
	"context"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/leadership"
	"github.com/lontara-id/lontara/internal/spbe"
)

// The learning-organization capabilities read each other's records
// through the seams wired here, so none of them imports another's package
// for what is only one function.

// regulationPolicies lists the regulations in force for the SPBE evidence
// pack. A regulation whose obligations name competencies or JP is ICT
// competence management's; one naming only applications is service
// management's; any other is listed under all three indicators.
func regulationPolicies(ctx context.Context, q db.Querier, at time.Time) ([]spbe.Policy, error) {
	regs, err := leadership.RegulationsInForce(ctx, q, at)
	if err != nil {
		return nil, err
	}
	out := make([]spbe.Policy, 0, len(regs))
	for _, r := range regs {
		indicator := ""
		for _, o := range r.Obligations {
			switch {
			case o.CompetencyID != 0 || o.JP > 0:
				indicator = spbe.CompetenceManagement
			case o.AppID != 0 && indicator == "":
				indicator = spbe.ServiceManagement
			}
		}
		signed := r.SignedOn
		out = append(out, spbe.Policy{Indicator: indicator, Kind: r.Kind, Number: r.Number, Title: r.Title,
			Signed: &signed, Issuer: r.AgencyName})
	}
	return out, nil
}
