package apps

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/lontara-id/lontara/internal/auth"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/org"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/web"
)

// summaryLen is how many characters of a description a catalog card shows.
const summaryLen = 160

// catalogPage is what the catalog shows.
type catalogPage struct {
	Items     []catalogItem
	Next      string
	Agencies  []org.Agency // for the owner and "used by" filters
	Statuses  []string
	UsedBy    *org.Agency // the agency of used_by=, named in the heading
	CanCreate bool
}

// catalogItem is an application with the start of its description.
type catalogItem struct {
	App
	Summary string
}

// detailPage is what an application's page shows.
type detailPage struct {
	App        App
	Paragraphs []string       // the description, one entry per paragraph
	Mine       *operatorGroup // the viewer's agency; nil when the viewer has none
	Others     []operatorGroup
	CanEdit    bool
	Choices    []agencyChoice // the "used by" form's checkboxes, when CanEdit
	OpAgencies []org.Agency   // where the viewer may name operators
	OpAgency   int64          // the agency the add-operator form is for
	Accounts   []auth.Account // that agency's people who are not operators yet
}

// operatorGroup is an application's operators in one agency.
type operatorGroup struct {
	AgencyID   int64
	AgencyName string
	Operators  []Operator
	CanManage  bool // the viewer may remove them
}

// agencyChoice is an agency offered as a checkbox.
type agencyChoice struct {
	org.Agency
	Checked bool
}

// agencies returns every agency by name, for selects and checkboxes
// (people look for an agency by its name, not its code).
func (h *Handler) agencies(ctx context.Context) ([]org.Agency, error) {
	list, _, err := h.org.ListAgencies(ctx, org.AgencyFilter{}, db.Page{Limit: db.MaxLimit})
	slices.SortStableFunc(list, func(a, b org.Agency) int { return strings.Compare(a.Name, b.Name) })
	return list, err
}

// allowed returns the agencies where the actor may do act.
func allowed(actor *policy.Actor, act policy.Action, agencies []org.Agency) []org.Agency {
	var out []org.Agency
	for _, a := range agencies {
		if policy.Can(actor, act, policy.Target{AgencyID: a.ID}) {
			out = append(out, a)
		}
	}
	return out
}

// summary shortens a description to its first summaryLen characters.
func summary(s string) string {
	if utf8.RuneCountInString(s) <= summaryLen {
		return s
	}
	r := []rune(s)
	return string(r[:summaryLen]) + "…"
}

// paragraphs splits a description at its line breaks, so the page shows
// them without inline styles.
func paragraphs(s string) []string {
	var out []string
	for line := range strings.Lines(s) {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

func (h *Handler) catalog(w http.ResponseWriter, r *http.Request) {
	usedBy, err := web.QueryID(r, "used_by")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	owner, err := web.QueryID(r, "owner")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	p, err := web.ListPage(r)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	f := AppFilter{OwnerAgencyID: owner, UsedByAgencyID: usedBy, Status: web.QueryString(r, "status"),
		Query: web.QueryString(r, "q")}
	items, next, err := h.apps.ListApps(r.Context(), f, p)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	agencies, err := h.agencies(r.Context())
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	data := catalogPage{Next: next, Agencies: agencies, Statuses: Statuses,
		CanCreate: len(allowed(web.Actor(r), policy.AppWrite, agencies)) > 0}
	for _, a := range items {
		data.Items = append(data.Items, catalogItem{App: a, Summary: summary(a.Description)})
	}
	if usedBy != nil {
		if i := slices.IndexFunc(agencies, func(a org.Agency) bool { return a.ID == *usedBy }); i >= 0 {
			data.UsedBy = &agencies[i]
		}
	}
	web.Render(w, r, http.StatusOK, "apps/catalog", "app.catalog.title", data)
}

func (h *Handler) detail(w http.ResponseWriter, r *http.Request) {
	a, err := h.apps.GetAppBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	data, err := h.detailOf(r, a)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "apps/detail", a.Name, data)
}

// detailOf gathers an application's page for the viewer: the operators of
// the viewer's own agency first, and the forms the viewer may use.
func (h *Handler) detailOf(r *http.Request, a App) (detailPage, error) {
	actor := web.Actor(r)
	d := detailPage{App: a, Paragraphs: paragraphs(a.Description), CanEdit: policy.Can(actor, policy.AppWrite, policy.Target{AgencyID: a.OwnerAgencyID})}
	if actor.AgencyID != 0 {
		d.Mine = &operatorGroup{AgencyID: actor.AgencyID,
			CanManage: policy.Can(actor, policy.AppOperatorWrite, policy.Target{AgencyID: actor.AgencyID})}
	}
	for _, o := range a.Operators {
		if d.Mine != nil && o.AgencyID == d.Mine.AgencyID {
			d.Mine.AgencyName = o.AgencyName
			d.Mine.Operators = append(d.Mine.Operators, o)
			continue
		}
		if n := len(d.Others); n == 0 || d.Others[n-1].AgencyID != o.AgencyID {
			d.Others = append(d.Others, operatorGroup{AgencyID: o.AgencyID, AgencyName: o.AgencyName,
				CanManage: policy.Can(actor, policy.AppOperatorWrite, policy.Target{AgencyID: o.AgencyID})})
		}
		g := &d.Others[len(d.Others)-1]
		g.Operators = append(g.Operators, o)
	}
	// Only people who may change something need the list of agencies.
	if !d.CanEdit && !actor.IsSuper() && len(actor.AgenciesWith(policy.AgencyAdmin)) == 0 {
		return d, nil
	}
	agencies, err := h.agencies(r.Context())
	if err != nil {
		return d, err
	}
	if d.CanEdit {
		for _, g := range agencies {
			used := slices.ContainsFunc(a.UsedBy, func(u AgencyRef) bool { return u.ID == g.ID })
			d.Choices = append(d.Choices, agencyChoice{Agency: g, Checked: used})
		}
	}
	d.OpAgencies = allowed(actor, policy.AppOperatorWrite, agencies)
	if len(d.OpAgencies) == 0 {
		return d, nil
	}
	d.OpAgency = d.OpAgencies[0].ID
	want, _ := strconv.ParseInt(r.URL.Query().Get("opd"), 10, 64)
	for _, g := range d.OpAgencies {
		if g.ID == want || (want == 0 && g.ID == actor.AgencyID) {
			d.OpAgency = g.ID
		}
	}
	active := true
	accounts, _, err := h.accounts.ListAccounts(r.Context(), actor,
		auth.AccountFilter{AgencyID: &d.OpAgency, Active: &active}, db.Page{Limit: db.MaxLimit})
	if err != nil {
		return d, err
	}
	for _, acc := range accounts {
		if !slices.ContainsFunc(a.Operators, func(o Operator) bool {
			return o.AgencyID == d.OpAgency && o.AccountID == acc.ID
		}) {
			d.Accounts = append(d.Accounts, acc)
		}
	}
	return d, nil
}
