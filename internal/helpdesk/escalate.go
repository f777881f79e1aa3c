package helpdesk

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/notify"
)

// Escalation levels: a clock about to run out, and one that has.
const (
	LevelWarning  = "warning"
	LevelBreached = "breached"
)

// warnShare is how much of an SLA target is left when the escalation job
// warns: a quarter. One rule for every priority that scales with it: an
// urgent ticket's 15-minute first response is warned with about 4 minutes
// to spare, a low one's 3-day resolution 18 hours ahead. A fixed margin
// (say 30 minutes) would warn urgent tickets the moment they are filed and
// low ones too late to do anything.
const warnShare = 4

// escalationBatch bounds the escalations of one run; the rest wait for the
// next, a minute later.
const escalationBatch = 200

// escalation is a ticket's clock that needs escalating now. Its JSON is
// the audit record: numbers, clocks and who was told, never the subject.
type escalation struct {
	TicketID   int64     `json:"-"`
	Number     string    `json:"number"`
	Subject    string    `json:"-"`
	TeamID     *int64    `json:"team_id"`
	AssigneeID *int64    `json:"assignee_id"`
	Clock      string    `json:"clock"`
	Level      string    `json:"level"`
	Due        time.Time `json:"due"`
	Notified   []int64   `json:"notified"`
	// To says whom Notified are, the step of the recipients' chain that
	// found someone: "team", "assignee", "desk" or "superadmin" ("" when
	// the city has no one active to tell).
	To string `json:"to"`
}

// The steps of the escalation recipients' chain (see recipients).
const (
	toTeam       = "team"
	toAssignee   = "assignee"
	toDesk       = "desk"
	toSuperadmin = "superadmin"
)

// Escalate is the escalation job's run at now: it finds the running
// tickets (new or open: pending ones are paused, resolved and closed ones
// done) whose first response or resolution falls due within a quarter of
// its target, or has already, and tells the team's leads and the agents on
// duty now (or, when that is nobody, the next of the chain in recipients),
// once per ticket, clock and level. Each escalation is recorded
// in ticket_escalations in the same transaction as its notifications and
// history entry; the record's unique key keeps two nodes or two runs from
// notifying twice. Due times in the notifications are shown in the city's zone.
//
// Each ticket is escalated in a transaction of its own, holding only that
// ticket (current): holding a batch of them in one, in order of due time,
// would deadlock with a merge, which holds two tickets in order of id, and
// keep every agent's save of the batch's tickets waiting for all of it.
func (s *Service) Escalate(ctx context.Context, now time.Time) error {
	now = now.UTC()
	list, err := s.escalations(ctx, now)
	if err != nil {
		return err
	}
	r := &recipients{at: now, teams: map[int64][]int64{}}
	// One ticket that fails does not hold back the others due after it:
	// each has its own transaction, and the failures are answered together.
	var failed []error
	for _, e := range list {
		err := s.db.Tx(ctx, func(tx *sql.Tx) error {
			e, due, err := current(ctx, tx, e)
			if err != nil || !due {
				return err // !due: worked on since the list was read
			}
			fresh, err := recordEscalation(ctx, tx, e, now)
			if err != nil || !fresh {
				return err // !fresh: another node did it
			}
			if e.Notified, e.To, err = r.of(ctx, tx, e); err != nil {
				return err
			}
			return escalate(ctx, tx, e, now, s.zone)
		})
		if err != nil {
			if ctx.Err() != nil {
				return err
			}
			failed = append(failed, fmt.Errorf("%s: %w", e.Number, err))
		}
	}
	return errors.Join(failed...)
}

// escalate notifies the escalation's recipients and writes its history
// entry and audit record. The audit record is the help desk's own business
// (the reporter's side never sees escalations), so it is written city-wide,
// with no agency: policy.AuditRead gives entries without an agency only to
// those who read the whole log (the superadmin, the executives), not to the
// ticket's agency's admin and head. It holds no subject or message.
func escalate(ctx context.Context, tx *sql.Tx, e escalation, now time.Time, zone *time.Location) error {
	kind := "ticket.breach_soon."
	if e.Level == LevelBreached {
		kind = "ticket.breached."
	}
	args := []string{e.Number, e.Subject, e.Due.In(zone).Format("2006-01-02 15:04 MST")}
	msgs := make([]notify.Message, len(e.Notified))
	for i, id := range e.Notified {
		// A clock about to run out pages (SMS, whatever the person chose):
		// there is still time to act; a breach is told the usual way.
		msgs[i] = notify.Message{AccountID: id, Kind: kind + e.Clock, Args: args, Link: "/layanan/" + e.Number,
			Ref: e.Number, Page: e.Level == LevelWarning}
	}
	if err := notify.Send(ctx, tx, msgs...); err != nil {
		return err
	}
	ev := Event{Actor: authorName(systemDesk), Kind: "escalation", New: e.Clock + "." + e.Level, At: now}
	if err := insertEvents(ctx, tx, e.TicketID, nil, []Event{ev}); err != nil {
		return fmt.Errorf("helpdesk: escalation history: %w", err)
	}
	return audit.Write(ctx, tx, systemDesk, audit.Entry{Action: "escalate", Entity: "ticket", EntityID: e.TicketID,
		After: e})
}

// escalations finds, in one query over the tickets' due-date indexes, the
// clocks to escalate at now: each running clock within its warning window
// that has no escalation yet at its level (warning before the due time,
// breached after it). The window is a quarter of the ticket's priority's
// target, read from the SLA policies.
func (s *Service) escalations(ctx context.Context, now time.Time) ([]escalation, error) {
	targets, err := SLATargets(ctx, s.db.R)
	if err != nil {
		return nil, err
	}
	if len(targets) == 0 {
		return nil, nil
	}
	q, args := escalationQuery(targets, now)
	rows, err := s.db.R.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("helpdesk: escalations: %w", err)
	}
	defer rows.Close()
	var list []escalation
	for rows.Next() {
		var e escalation
		var team, assignee sql.NullInt64
		if err := rows.Scan(&e.TicketID, &e.Subject, &team, &assignee, &e.Clock, &e.Due); err != nil {
			return nil, fmt.Errorf("helpdesk: escalations: %w", err)
		}
		e.Number, e.TeamID, e.AssigneeID, e.Due = Number(e.TicketID), idPtr(team), idPtr(assignee), e.Due.UTC()
		e.Level, e.Notified = LevelWarning, []int64{}
		if !e.Due.After(now) {
			e.Level = LevelBreached
		}
		list = append(list, e)
	}
	return list, rows.Err()
}

// escalationQuery is the query of escalations: per clock, the running
// tickets whose due time is within the widest window (a range of the
// status-and-due index), narrowed to each priority's window, that have no
// escalation yet at the level they are at; both clocks in one UNION ALL.
func escalationQuery(targets map[string][2]int, now time.Time) (string, []any) {
	c := &conds{}
	n := c.arg(now)
	clock := func(name, due, extra string, minutes func(first, resolution int) int) string {
		var windows string
		var widest time.Duration
		for _, priority := range slices.Sorted(maps.Keys(targets)) {
			t := targets[priority]
			w := time.Duration(minutes(t[0], t[1])) * time.Minute / warnShare
			widest = max(widest, w)
			if windows != "" {
				windows += " OR "
			}
			windows += "(t.priority = " + c.arg(priority) + " AND t." + due + " <= " + c.arg(now.Add(w)) + ")"
		}
		return `SELECT t.id, t.subject, t.team_id, t.assignee_account_id, '` + name + `' AS clock, t.` + due + ` AS due
			FROM tickets t WHERE t.status IN ('new', 'open')` + extra + ` AND t.` + due + ` <= ` + c.arg(now.Add(widest)) +
			` AND (` + windows + `) AND NOT EXISTS (SELECT 1 FROM ticket_escalations e WHERE e.ticket_id = t.id
			AND e.clock = '` + name + `' AND (e.level = 'breached' OR t.` + due + ` > ` + n + `))`
	}
	q := clock(ClockFirstResponse, "first_response_due", " AND t.first_responded_at IS NULL",
		func(first, _ int) int { return first }) +
		" UNION ALL " + clock(ClockResolution, "resolution_due", "", func(_, resolution int) int { return resolution }) +
		" ORDER BY due, id LIMIT " + c.arg(escalationBatch)
	return q, c.args
}

// SLATargets reads every priority's first-response and resolution targets
// in minutes.
func SLATargets(ctx context.Context, q db.Querier) (map[string][2]int, error) {
	rows, err := q.QueryContext(ctx, `SELECT priority, first_response_minutes, resolution_minutes FROM sla_policies`)
	if err != nil {
		return nil, fmt.Errorf("helpdesk: SLA targets: %w", err)
	}
	defer rows.Close()
	targets := map[string][2]int{}
	for rows.Next() {
		var p string
		var first, resolution int
		if err := rows.Scan(&p, &first, &resolution); err != nil {
			return nil, fmt.Errorf("helpdesk: SLA targets: %w", err)
		}
		targets[p] = [2]int{first, resolution}
	}
	return targets, rows.Err()
}

// current holds e's ticket until the escalation's transaction ends, reads
// its subject, team and assignee again, and reports whether its clock
// still runs to the due time the list found. The list is read before the
// transaction: meanwhile an agent may have answered the ticket, resolved
// or paused it, changed its priority or handed it to another team, and
// nobody should be paged about that, or the old team paged. Held, the
// ticket waits for the escalation, or the escalation for the agent's save,
// and sees it.
func current(ctx context.Context, tx *sql.Tx, e escalation) (escalation, bool, error) {
	if err := db.HoldRow(ctx, tx, "tickets", e.TicketID); err != nil {
		return e, false, fmt.Errorf("helpdesk: escalation: %w", err)
	}
	// The clock's columns, as escalationQuery names them.
	due, answered := "resolution_due", "FALSE"
	if e.Clock == ClockFirstResponse {
		due, answered = "first_response_due", "first_responded_at IS NOT NULL"
	}
	var status string
	var done bool
	var at sql.NullTime
	var team, assignee sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT status, `+answered+`, `+due+`, subject, team_id, assignee_account_id
		FROM tickets WHERE id = $1`, e.TicketID).Scan(&status, &done, &at, &e.Subject, &team, &assignee)
	if errors.Is(err, sql.ErrNoRows) {
		return e, false, nil
	}
	if err != nil {
		return e, false, fmt.Errorf("helpdesk: escalation: %w", err)
	}
	e.TeamID, e.AssigneeID = idPtr(team), idPtr(assignee)
	return e, (status == StatusNew || status == StatusOpen) && !done && at.Valid && at.Time.Equal(e.Due), nil
}

// recordEscalation records the escalation unless it already is (by another
// node or run), and reports whether this call recorded it.
func recordEscalation(ctx context.Context, tx *sql.Tx, e escalation, at time.Time) (bool, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO ticket_escalations (ticket_id, clock, level, at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (ticket_id, clock, level) DO NOTHING`, e.TicketID, e.Clock, e.Level, at)
	if err != nil {
		return false, fmt.Errorf("helpdesk: record escalation: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// recipients finds who hears of escalations in one run, reading each team's
// list, and the desk's and the superadmins', once.
type recipients struct {
	at            time.Time
	teams         map[int64][]int64
	desk, supers  []int64
	deskR, superR bool // desk, supers read
}

// of is who hears of e, read with q, and the step of the chain that found
// them. An escalation nobody hears of is one nobody acts on, so the chain
// goes on until it finds someone active:
//
//  1. the ticket's team: its leads and its agents on duty now;
//  2. else (no team, or a team with no lead and nobody on duty) the ticket's
//     assignee;
//  3. else the whole desk: the leads and the agents on duty now of every team;
//  4. else the superadmins.
func (r *recipients) of(ctx context.Context, q db.Querier, e escalation) ([]int64, string, error) {
	var err error
	if e.TeamID != nil {
		to, ok := r.teams[*e.TeamID]
		if !ok {
			if to, err = onDesk(ctx, q, e.TeamID, r.at); err != nil {
				return nil, "", err
			}
			r.teams[*e.TeamID] = to
		}
		if len(to) > 0 {
			return to, toTeam, nil
		}
	}
	if e.AssigneeID != nil {
		to, err := db.IDs(ctx, q, `SELECT id FROM accounts WHERE id = $1 AND active = TRUE`, *e.AssigneeID)
		if err != nil || len(to) > 0 {
			return to, toAssignee, err
		}
	}
	if !r.deskR {
		if r.desk, err = onDesk(ctx, q, nil, r.at); err != nil {
			return nil, "", err
		}
		r.deskR = true
	}
	if len(r.desk) > 0 {
		return r.desk, toDesk, nil
	}
	if !r.superR {
		if r.supers, err = db.IDs(ctx, q, `SELECT DISTINCT g.account_id FROM role_grants g
			JOIN accounts a ON a.id = g.account_id AND a.active = TRUE
			WHERE g.role = 'superadmin' ORDER BY g.account_id`); err != nil {
			return nil, "", err
		}
		r.superR = true
	}
	if len(r.supers) > 0 {
		return r.supers, toSuperadmin, nil
	}
	return []int64{}, "", nil
}

// onDesk are the leads and the agents on duty at the time at of a team, or
// of every team when team is nil, each once, active accounts only.
func onDesk(ctx context.Context, tx db.Querier, team *int64, at time.Time) ([]int64, error) {
	args := []any{at, at.Add(-maxShift)}
	scope := ""
	if team != nil {
		scope, args = "m.team_id = $3 AND ", append(args, *team)
	}
	return db.IDs(ctx, tx, `SELECT DISTINCT m.account_id FROM team_members m
		JOIN accounts a ON a.id = m.account_id AND a.active = TRUE
		WHERE `+scope+`(m.lead = TRUE OR EXISTS (SELECT 1 FROM team_shifts s WHERE s.team_id = m.team_id
			AND s.account_id = m.account_id AND s.starts_at <= $1 AND s.ends_at > $1 AND s.starts_at > $2))
		ORDER BY m.account_id`, args...)
}
