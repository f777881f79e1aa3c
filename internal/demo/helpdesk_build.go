package demo

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"time"
)

// deskBuilder draws the demo's tickets.
type deskBuilder struct {
	r       *rand.Rand
	ds      *dataset
	now     time.Time
	targets map[string][2]int  // SLA minutes per priority
	teams   map[string]int64   // team code → id
	members map[string][]int64 // team code → its agents' accounts
	apps    map[string]int64   // app slug → id
	agents  map[int64]bool
	d       desk
	lastMsg int64         // the id of the last message drawn
	settle  time.Duration // tickets older than this are all resolved (0: as status draws)
}

// buildDesk draws demoTickets tickets filed over the last demoDays days,
// the oldest first, from a generator seeded by the data set's size.
func buildDesk(ds *dataset, agents []int64, targets map[string][2]int, now time.Time) *desk {
	b := newDeskBuilder(ds, agents, targets, now, uint64(len(ds.Employees)))
	ages := make([]time.Duration, demoTickets)
	for i := range ages {
		ages[i] = time.Duration(b.r.Int64N(int64(demoDays * 24 * time.Hour)))
	}
	slices.SortFunc(ages, func(x, y time.Duration) int { return int(y/time.Second - x/time.Second) })
	for i, age := range ages {
		b.ticket(int64(i+1), now.Add(-age).Truncate(time.Second))
	}
	return &b.d
}

// newDeskBuilder readies a builder of the demo teams' tickets (the teams
// have ids 1, 2, 3 in deskTeams' order).
func newDeskBuilder(ds *dataset, agents []int64, targets map[string][2]int, now time.Time, seed uint64) *deskBuilder {
	b := &deskBuilder{r: rand.New(rand.NewPCG(seed, 0x68656c7064657368)), ds: ds, now: now,
		targets: targets, teams: map[string]int64{}, members: map[string][]int64{}, apps: map[string]int64{},
		agents: map[int64]bool{}}
	for i, t := range deskTeams {
		b.teams[t.Code] = int64(i + 1)
		for _, n := range t.Agents {
			if n < len(agents) {
				b.members[t.Code] = append(b.members[t.Code], agents[n])
			}
		}
		if len(b.members[t.Code]) == 0 {
			b.members[t.Code] = agents[:1]
		}
	}
	for _, a := range agents {
		b.agents[a] = true
	}
	for _, a := range ds.Apps {
		b.apps[a.Slug] = a.ID
	}
	return b
}

// name is the name of the person whose account is id (accounts have their
// person's id).
func (b *deskBuilder) name(id int64) string {
	if id >= 1 && int(id) <= len(b.ds.Employees) && b.ds.Employees[id-1].ID == id {
		return b.ds.Employees[id-1].Name
	}
	return "Petugas"
}

// status draws a ticket's status by its age: the recent ones still being
// worked, the old ones mostly closed.
func (b *deskBuilder) status(age time.Duration) string {
	n := b.r.IntN(100)
	switch {
	case age < 15*time.Minute:
		return "new"
	case age < 24*time.Hour:
		return pickShare(n, []int{35, 75, 85}, "new", "open", "pending", "resolved")
	case age < 7*24*time.Hour:
		return pickShare(n, []int{5, 30, 40}, "new", "open", "pending", "resolved")
	}
	if b.settle > 0 && age >= b.settle {
		return "resolved"
	}
	return pickShare(n, []int{0, 4, 7}, "new", "open", "pending", "resolved")
}

// pickShare returns the value whose share n (0–99) falls in: below the
// first bound the first value, and so on.
func pickShare(n int, bounds []int, values ...string) string {
	for i, b := range bounds {
		if n < b {
			return values[i]
		}
	}
	return values[len(values)-1]
}

// at returns created plus d, kept before now.
func (b *deskBuilder) at(created time.Time, d time.Duration) time.Time {
	t := created.Add(d)
	if limit := b.now.Add(-time.Minute); t.After(limit) {
		t = limit
	}
	if !t.After(created) {
		t = created.Add(time.Second)
	}
	return t
}

func (b *deskBuilder) ticket(id int64, created time.Time) {
	r := b.r
	p := problems[r.IntN(len(problems))]
	t := deskTicket{ID: id, Subject: p.Subject, Body: p.Body, Category: p.Category, App: b.apps[p.App], Tags: p.Tags,
		Team: b.teams[p.Team], Priority: pick(r, deskPriorities), Channel: pick(r, deskChannels), Created: created}
	if r.IntN(20) == 0 {
		t.Channel, t.Contact, t.Phone = "phone", pick(r, callers), "0812"+strconv.Itoa(10000000+r.IntN(89999999))
	} else {
		for {
			e := b.ds.Employees[r.IntN(len(b.ds.Employees))]
			if !b.agents[e.ID] {
				t.Reporter, t.Agency = e.ID, e.AgencyID
				break
			}
		}
	}
	members := b.members[p.Team]
	t.Assignee = members[r.IntN(len(members))]
	t.Status = b.status(b.now.Sub(created))
	if t.Status == "new" && r.IntN(2) == 0 {
		t.Assignee = 0
	}
	target := b.targets[t.Priority]
	first, resolution := time.Duration(max(1, target[0]))*time.Minute, time.Duration(max(1, target[1]))*time.Minute
	t.FRDue, t.ResDue = created.Add(first), created.Add(resolution)
	reporter := t.Reporter
	if reporter == 0 {
		reporter = t.Assignee // a call the agent logged
	}
	b.event(id, reporter, "created", "", "new", created)
	if t.Assignee != 0 {
		b.event(id, t.Assignee, "assignee", "", strconv.FormatInt(t.Assignee, 10), b.at(created, time.Minute))
	}
	t.Updated = created
	if t.Status != "new" {
		b.answer(&t, p, first, resolution)
	}
	b.d.tickets = append(b.d.tickets, t)
}

// answer works a ticket: the first reply (late a quarter of the time), an
// internal note with the time spent, then waiting for the reporter, or the
// resolution, the closing two days later and perhaps a rating.
func (b *deskBuilder) answer(t *deskTicket, p problem, first, resolution time.Duration) {
	r, id, agent := b.r, t.ID, t.Assignee
	t.FR = b.at(t.Created, first*time.Duration(10+r.IntN(130))/100)
	b.message(t, agent, p.Reply, false, pickInt(r, 3, 5+r.IntN(15)), t.FR)
	b.event(id, agent, "first_response", "", t.FR.Format(time.RFC3339), t.FR)
	b.event(id, agent, "status", "new", "open", t.FR)
	t.Updated = t.FR
	if r.IntN(10) < 6 {
		b.message(t, agent, p.Note, true, 10+r.IntN(80), b.at(t.FR, 3*time.Minute))
	}
	switch t.Status {
	case "pending":
		t.Pending = b.at(t.FR, time.Duration(10+r.IntN(110))*time.Minute)
		b.message(t, agent, pendingAsk, false, 0, t.Pending)
		b.event(id, agent, "status", "open", "pending", t.Pending)
		t.Updated = t.Pending
	case "resolved":
		t.Res = b.at(t.FR, resolution*time.Duration(5+r.IntN(125))/100)
		b.message(t, agent, p.Done, false, pickInt(r, 2, 5+r.IntN(40)), t.Res)
		b.event(id, agent, "status", "open", "resolved", t.Res)
		t.Updated = t.Res
		if closed := t.Res.Add(48 * time.Hour); closed.Before(b.now) {
			t.Status, t.Closed, t.Updated = "closed", closed, closed
			b.event(id, agent, "status", "resolved", "closed", closed)
		}
		if t.Reporter != 0 && r.IntN(100) < 45 {
			score := deskScores[r.IntN(len(deskScores))]
			at := b.at(t.Res, time.Duration(1+r.IntN(20))*time.Hour)
			b.d.ratings = append(b.d.ratings, deskRating{Ticket: id, Account: t.Reporter, Score: score,
				Comment: pick(r, ratingComments[score-1]), At: at})
			b.event(id, t.Reporter, "rating", "", strconv.Itoa(score), at)
		}
	}
}

// pickInt returns v one time in n, else 0.
func pickInt(r *rand.Rand, n, v int) int {
	if r.IntN(n) == 0 {
		return v
	}
	return 0
}

func (b *deskBuilder) message(t *deskTicket, author int64, body string, internal bool, minutes int, at time.Time) {
	b.lastMsg++
	m := deskMessage{ID: b.lastMsg, Ticket: t.ID, Author: author, Name: b.name(author), Body: body,
		Internal: internal, Minutes: minutes, At: at}
	b.d.messages = append(b.d.messages, m)
	kind := "reply"
	if internal {
		kind = "note"
	}
	b.event(t.ID, author, kind, "", strconv.FormatInt(m.ID, 10), at)
}

func (b *deskBuilder) event(ticket, actor int64, kind, old, new string, at time.Time) {
	b.d.events = append(b.d.events, deskEvent{Ticket: ticket, Actor: actor, Name: b.name(actor), Kind: kind, Old: old,
		New: new, At: at})
}
