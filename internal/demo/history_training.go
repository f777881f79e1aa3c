package demo

import (
	"context"
	"time"

	"github.com/lontara-id/lontara/internal/ledger"
	"github.com/lontara-id/lontara/internal/training"
)

// historyCourses are the events the history's trainers hold, again and
// again: kind, title, JP and days.
var historyCourses = []struct {
	kind, title string
	jp, days    int
}{
	{training.KindBimtek, "Bimtek Penyusunan Laporan Kinerja", 24, 3},
	{training.KindBimtek, "Bimtek Pengelolaan Arsip Dinamis", 16, 2},
	{training.KindWorkshop, "Workshop Keamanan Informasi", 8, 1},
	{training.KindWorkshop, "Workshop Analisis Data dengan Spreadsheet", 8, 1},
	{training.KindCourse, "Pelatihan Pelayanan Publik Prima", 16, 2},
	{training.KindCourse, "Pelatihan Manajemen Risiko", 24, 3},
	{training.KindOnlineMeeting, "Webinar Literasi Digital", 2, 1},
	{training.KindOnlineMeeting, "Webinar Naskah Dinas Elektronik", 2, 1},
}

// trainingChunk is how many events are drawn and written at a time.
const trainingChunk = historyChunk / seatsPerEvent

// historyEvent is a finished event of the history and its people.
type historyEvent struct {
	id, trainer, agency int64
	course              int
	sessions            []historySession
	people              []int64 // employee ids
	created             time.Time
}

type historySession struct {
	id       int64
	from, to time.Time
}

// training draws the finished events of the history: about
// enrolmentsPerPersonYearly enrolments a person a year, seatsPerEvent to
// an event. As finishing an event leaves them (training.Finish): most
// people attended every session and completed it, with their JP in the
// ledger dated when it ended; a few never came (enrolled, not completed),
// a few cancelled beforehand; some evaluated it.
func (h *history) training(ctx context.Context) error {
	trainers := h.roles["trainer"]
	if len(trainers) == 0 {
		trainers = h.roles["superadmin"]
	}
	if len(trainers) == 0 {
		return nil
	}
	n := h.people * enrolmentsPerPersonYearly * historyYears / seatsPerEvent
	for start := 0; start < n; start += trainingChunk {
		var events []historyEvent
		for range min(trainingChunk, n-start) {
			events = append(events, h.event(trainers[h.r.IntN(len(trainers))]))
		}
		if err := h.writeEvents(ctx, events); err != nil {
			return err
		}
	}
	return nil
}

// event draws one finished event.
func (h *history) event(trainer int64) historyEvent {
	c := h.r.IntN(len(historyCourses))
	e := historyEvent{id: h.id("events"), trainer: trainer, agency: h.ds.Employees[trainer-1].AgencyID, course: c}
	start := h.moment(h.from.AddDate(0, 1, 0), h.now.AddDate(0, 0, -7))
	l := start.In(cityZone())
	day := time.Date(l.Year(), l.Month(), l.Day(), 8, 0, 0, 0, cityZone())
	for k := range historyCourses[c].days {
		from := day.AddDate(0, 0, k).UTC()
		e.sessions = append(e.sessions, historySession{id: h.id("event_sessions"), from: from, to: from.Add(8 * time.Hour)})
	}
	e.created = e.sessions[0].from.AddDate(0, 0, -30)
	seen := map[int64]bool{}
	for len(e.people) < seatsPerEvent {
		if p := h.person(); !seen[p] {
			seen[p] = true
			e.people = append(e.people, p)
		}
	}
	return e
}

// writeEvents writes a chunk of events with their sessions, trainers,
// enrolments, attendance, ledger records and evaluations.
func (h *history) writeEvents(ctx context.Context, events []historyEvent) error {
	err := h.write(ctx, "events", []string{"id", "kind", "title", "description", "starts_at", "ends_at", "place",
		"capacity", "jp", "agency_id", "self_enrol", "needs_approval", "finished_at", "created_by", "created_at",
		"updated_at"}, len(events), func(i int, a []any) []any {
		e := events[i]
		c := historyCourses[e.course]
		end := e.sessions[len(e.sessions)-1].to
		return append(a, e.id, c.kind, c.title, "", e.sessions[0].from, end, "Ruang Pelatihan", seatsPerEvent+5, c.jp,
			e.agency, false, false, end, e.trainer, e.created, end)
	})
	if err != nil {
		return err
	}
	var sessions []historySession
	var owner []int64
	for _, e := range events {
		for _, s := range e.sessions {
			sessions = append(sessions, s)
			owner = append(owner, e.id)
		}
	}
	err = h.write(ctx, "event_sessions", []string{"id", "event_id", "starts_at", "ends_at", "place", "created_at"},
		len(sessions), func(i int, a []any) []any {
			return append(a, sessions[i].id, owner[i], sessions[i].from, sessions[i].to, "Ruang Pelatihan", sessions[i].from)
		})
	if err == nil {
		err = h.write(ctx, "event_trainers", []string{"event_id", "account_id"}, len(events), func(i int, a []any) []any {
			return append(a, events[i].id, events[i].trainer)
		})
	}
	if err != nil {
		return err
	}
	return h.writeEnrolments(ctx, events)
}

// historyEnrolment is one person's seat in an event and what came of it.
type historyEnrolment struct {
	id, employee, event int64
	e                   *historyEvent
	status              string // completed, enrolled (never came) or cancelled
	pre, post           int
	created, done       time.Time
}

func (h *history) writeEnrolments(ctx context.Context, events []historyEvent) error {
	var ns []historyEnrolment
	for i := range events {
		e := &events[i]
		end := e.sessions[len(e.sessions)-1].to
		for _, p := range e.people {
			n := historyEnrolment{id: h.id("enrolments"), employee: p, event: e.id, e: e, status: "completed",
				created: e.created.Add(time.Duration(h.r.IntN(14*24)) * time.Hour), done: end}
			switch x := h.r.IntN(100); {
			case x < 5:
				n.status, n.done = "enrolled", time.Time{}
			case x < 12:
				n.status, n.done = "cancelled", e.sessions[0].from.Add(-time.Duration(1+h.r.IntN(72))*time.Hour)
			}
			if n.status == "completed" && historyCourses[e.course].kind != training.KindOnlineMeeting {
				n.pre = 40 + h.r.IntN(36)
				n.post = min(100, n.pre+5+h.r.IntN(21))
			}
			ns = append(ns, n)
		}
	}
	score := func(v int) any {
		if v == 0 {
			return nil
		}
		return v
	}
	err := h.write(ctx, "enrolments", []string{"id", "event_id", "employee_id", "status", "approval", "source",
		"completed_at", "cancelled_by", "cancelled_at", "pre_score", "post_score", "created_at", "updated_at"}, len(ns),
		func(i int, a []any) []any {
			n := ns[i]
			var completed, cancelled, by any
			switch n.status {
			case "completed":
				completed = n.done
			case "cancelled":
				cancelled, by = n.done, n.employee
			}
			updated := n.created
			if !n.done.IsZero() {
				updated = n.done
			}
			return append(a, n.id, n.event, n.employee, n.status, training.ApprovalNotNeeded, training.SourceOrganizer,
				completed, by, cancelled, score(n.pre), score(n.post), n.created, updated)
		})
	if err != nil {
		return err
	}
	type mark struct {
		session, enrolment, by int64
		at                     time.Time
	}
	var marks []mark
	var done []historyEnrolment
	for _, n := range ns {
		if n.status != "completed" {
			continue
		}
		done = append(done, n)
		for _, s := range n.e.sessions {
			marks = append(marks, mark{s.id, n.id, n.e.trainer, s.from.Add(time.Duration(h.r.IntN(30)) * time.Minute)})
		}
	}
	err = h.write(ctx, "session_attendance", []string{"session_id", "enrolment_id", "method", "marked_by", "marked_at"},
		len(marks), func(i int, a []any) []any {
			m := marks[i]
			return append(a, m.session, m.enrolment, "trainer", m.by, m.at)
		})
	if err != nil {
		return err
	}
	err = h.write(ctx, "learning_records", []string{"id", "employee_id", "kind", "title", "jp", "event_id",
		"source_kind", "source_id", "completed_at", "created_at"}, len(done), func(i int, a []any) []any {
		n := done[i]
		c := historyCourses[n.e.course]
		return append(a, h.id("learning_records"), n.employee, c.kind, c.title, c.jp, n.event, ledger.SourceEnrolment,
			n.id, n.done, n.done)
	})
	if err != nil {
		return err
	}
	var rated []historyEnrolment
	for _, n := range done {
		if h.r.IntN(10) < 4 {
			rated = append(rated, n)
		}
	}
	return h.write(ctx, "event_evaluations", []string{"enrolment_id", "relevance", "content", "trainer", "usefulness",
		"comment", "created_at", "updated_at"}, len(rated), func(i int, a []any) []any {
		n := rated[i]
		at := n.done.Add(time.Duration(1+h.r.IntN(48)) * time.Hour)
		return append(a, n.id, 3+h.r.IntN(3), 3+h.r.IntN(3), 3+h.r.IntN(3), 3+h.r.IntN(3), "", at, at)
	})
}
