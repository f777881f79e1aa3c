package training

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/markdown"
	"github.com/lontara-id/lontara/internal/notify"
)

const eventColumns = `e.id, e.activity_id, e.kind, e.title, e.description, e.starts_at, e.ends_at, e.place, e.link,
	e.capacity, e.jp, e.agency_id, COALESCE(g.name, ''), e.self_enrol, e.needs_approval, e.cancelled_at, e.finished_at,
	e.sequence, COALESCE(e.created_by, 0), e.created_at, e.updated_at,
	(SELECT COUNT(*) FROM enrolments n WHERE n.event_id = e.id AND n.status IN ('enrolled','completed')),
	(SELECT COUNT(*) FROM enrolments n WHERE n.event_id = e.id AND n.status = 'waitlisted')`

const eventFrom = ` FROM events e LEFT JOIN agencies g ON g.id = e.agency_id`

func scanEvent(row interface{ Scan(...any) error }) (Event, error) {
	var e Event
	var activity, agency sql.NullInt64
	var cancelled, finished sql.NullTime
	err := row.Scan(&e.ID, &activity, &e.Kind, &e.Title, &e.Description, &e.StartsAt, &e.EndsAt, &e.Place, &e.Link,
		&e.Capacity, &e.JP, &agency, &e.AgencyName, &e.SelfEnrol, &e.NeedsApproval, &cancelled, &finished,
		&e.Sequence, &e.CreatedBy, &e.CreatedAt, &e.UpdatedAt, &e.Enrolled, &e.Waitlisted)
	if activity.Valid {
		e.ActivityID = &activity.Int64
	}
	if agency.Valid {
		e.AgencyID = &agency.Int64
	}
	if cancelled.Valid {
		e.CancelledAt = utcPtr(&cancelled.Time)
	}
	if finished.Valid {
		e.FinishedAt = utcPtr(&finished.Time)
	}
	e.StartsAt, e.EndsAt, e.CreatedAt, e.UpdatedAt = e.StartsAt.UTC(), e.EndsAt.UTC(), e.CreatedAt.UTC(), e.UpdatedAt.UTC()
	e.DescriptionHTML = markdown.Render(e.Description)
	return e, err
}

// findEvent loads event id with its seat counts; NotFound if missing.
func findEvent(ctx context.Context, q db.Querier, id int64) (Event, error) {
	e, err := scanEvent(q.QueryRowContext(ctx, `SELECT `+eventColumns+eventFrom+` WHERE e.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Event{}, errs.New(errs.NotFound, "training.event_not_found")
	}
	if err != nil {
		return Event{}, fmt.Errorf("training: event %d: %w", id, err)
	}
	return e, nil
}

// lockEvent locks event id's row for the rest of the transaction (a no-op
// UPDATE: a row lock on PostgreSQL, the write lock on SQLite) and loads
// it, so everything that counts its seats sees the same count.
func lockEvent(ctx context.Context, q db.Querier, id int64) (Event, error) {
	res, err := q.ExecContext(ctx, `UPDATE events SET sequence = sequence WHERE id = $1`, id)
	if err != nil {
		return Event{}, fmt.Errorf("training: lock event %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return Event{}, errs.New(errs.NotFound, "training.event_not_found")
	}
	return findEvent(ctx, q, id)
}

// fillEvents loads the competencies and trainers of events in two queries.
func fillEvents(ctx context.Context, q db.Querier, list []*Event) error {
	ids := make([]int64, len(list))
	for i, e := range list {
		ids[i] = e.ID
	}
	comps, err := competenciesOf(ctx, q, "event_competencies", "event_id", ids)
	if err != nil {
		return err
	}
	trainers := map[int64][]Trainer{}
	if len(ids) > 0 {
		marks, args := db.InList(ids)
		rows, err := q.QueryContext(ctx, `SELECT t.event_id, t.account_id, COALESCE(p.name, '') FROM event_trainers t
			JOIN accounts a ON a.id = t.account_id LEFT JOIN employees p ON p.id = a.employee_id
			WHERE t.event_id IN (`+marks+`) ORDER BY p.name, t.account_id`, args...)
		if err != nil {
			return fmt.Errorf("training: trainers: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var ev int64
			var t Trainer
			if err := rows.Scan(&ev, &t.AccountID, &t.Name); err != nil {
				return fmt.Errorf("training: trainers: %w", err)
			}
			trainers[ev] = append(trainers[ev], t)
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	for _, e := range list {
		e.Competencies = nonNilLevels(comps[e.ID])
		e.Trainers = trainers[e.ID]
		if e.Trainers == nil {
			e.Trainers = []Trainer{}
		}
		if e.Sessions == nil {
			e.Sessions = []Session{}
		}
	}
	return nil
}

// sessionsOf lists an event's sessions in time order.
func sessionsOf(ctx context.Context, q db.Querier, eventID int64) ([]Session, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, event_id, starts_at, ends_at, place, link FROM event_sessions
		WHERE event_id = $1 ORDER BY starts_at, id`, eventID)
	if err != nil {
		return nil, fmt.Errorf("training: sessions of %d: %w", eventID, err)
	}
	defer rows.Close()
	list := []Session{}
	for rows.Next() {
		var ss Session
		if err := rows.Scan(&ss.ID, &ss.EventID, &ss.StartsAt, &ss.EndsAt, &ss.Place, &ss.Link); err != nil {
			return nil, fmt.Errorf("training: sessions of %d: %w", eventID, err)
		}
		ss.StartsAt, ss.EndsAt = ss.StartsAt.UTC(), ss.EndsAt.UTC()
		list = append(list, ss)
	}
	return list, rows.Err()
}

// findSession loads session id; NotFound if missing.
func findSession(ctx context.Context, q db.Querier, id int64) (Session, error) {
	var ss Session
	err := q.QueryRowContext(ctx, `SELECT id, event_id, starts_at, ends_at, place, link FROM event_sessions WHERE id = $1`,
		id).Scan(&ss.ID, &ss.EventID, &ss.StartsAt, &ss.EndsAt, &ss.Place, &ss.Link)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, errs.New(errs.NotFound, "training.session_not_found")
	}
	if err != nil {
		return Session{}, fmt.Errorf("training: session %d: %w", id, err)
	}
	ss.StartsAt, ss.EndsAt = ss.StartsAt.UTC(), ss.EndsAt.UTC()
	return ss, nil
}

func insertSession(ctx context.Context, q db.Querier, eventID int64, in SessionInput, at time.Time) (int64, error) {
	id, err := db.InsertID(ctx, q, `INSERT INTO event_sessions (event_id, starts_at, ends_at, place, link, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, eventID, in.StartsAt.UTC(), in.EndsAt.UTC(), in.Place, in.Link, at)
	if err != nil {
		return 0, fmt.Errorf("training: session of %d: %w", eventID, err)
	}
	return id, nil
}

// EventFilter selects events for a list.
type EventFilter struct {
	Past     bool    // ended ones, latest first; else those not ended, soonest first
	AgencyID *int64  // organized by this agency
	Kind     *string // of this kind
	Q        *string // title contains
	// EmployeeID: only events this person holds or awaits a place in.
	EmployeeID *int64
	// TrainerID: only events this account trains.
	TrainerID *int64
	// ActivityID: only events running this activity.
	ActivityID *int64
}

// listEvents returns a page of events; the cursor is the last row's start
// and id.
func listEvents(ctx context.Context, q db.Querier, dialect db.Dialect, f EventFilter, at time.Time, p db.Page) ([]Event, string, error) {
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	order, cmp := "e.starts_at, e.id", ">"
	if f.Past {
		where = append(where, "e.ends_at <= "+arg(at))
		order, cmp = "e.starts_at DESC, e.id DESC", "<"
	} else {
		where = append(where, "e.ends_at > "+arg(at))
	}
	if f.AgencyID != nil {
		where = append(where, "e.agency_id = "+arg(*f.AgencyID))
	}
	if f.Kind != nil {
		where = append(where, "e.kind = "+arg(*f.Kind))
	}
	if f.ActivityID != nil {
		where = append(where, "e.activity_id = "+arg(*f.ActivityID))
	}
	if f.Q != nil && strings.TrimSpace(*f.Q) != "" {
		where = append(where, dialect.ContainsFold("e.title", arg(db.EscapeLike(strings.TrimSpace(*f.Q)))))
	}
	if f.EmployeeID != nil {
		where = append(where, `EXISTS (SELECT 1 FROM enrolments n WHERE n.event_id = e.id AND n.employee_id = `+
			arg(*f.EmployeeID)+` AND n.status <> 'cancelled')`)
	}
	if f.TrainerID != nil {
		where = append(where, `EXISTS (SELECT 1 FROM event_trainers t WHERE t.event_id = e.id AND t.account_id = `+
			arg(*f.TrainerID)+`)`)
	}
	if p.After != "" {
		var start time.Time
		var id int64
		if err := db.ParseCursor(p.After, &start, &id); err != nil {
			return nil, "", err
		}
		s, i := arg(start.UTC()), arg(id)
		where = append(where, fmt.Sprintf("(e.starts_at %s %s OR (e.starts_at = %s AND e.id %s %s))", cmp, s, s, cmp, i))
	}
	rows, err := q.QueryContext(ctx, `SELECT `+eventColumns+eventFrom+` WHERE `+strings.Join(where, " AND ")+
		` ORDER BY `+order+` LIMIT `+arg(p.Size()+1), args...)
	if err != nil {
		return nil, "", fmt.Errorf("training: events: %w", err)
	}
	defer rows.Close()
	list := []Event{}
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, "", fmt.Errorf("training: events: %w", err)
		}
		list = append(list, e)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	next := ""
	if len(list) > p.Size() {
		list = list[:p.Size()]
		last := list[len(list)-1]
		next = db.Cursor(last.StartsAt, last.ID)
	}
	ptrs := make([]*Event, len(list))
	for i := range list {
		ptrs[i] = &list[i]
	}
	return list, next, fillEvents(ctx, q, ptrs)
}

// participantAccounts lists the active accounts of the people holding a
// cleared place at an event and of its trainers: a nomination still
// awaiting its head's answer is no place yet, so gets no reminder. With
// waiting, those still hoping for one (on the waitlist or awaiting the
// answer) are included, for news such as a cancellation.
func participantAccounts(ctx context.Context, q db.Querier, eventID int64, waiting bool) ([]int64, error) {
	statuses, approval := `('enrolled')`, `('approved','not_needed')`
	if waiting {
		statuses, approval = `('enrolled','waitlisted')`, `('approved','not_needed','pending')`
	}
	return db.IDs(ctx, q, `SELECT a.id FROM enrolments n JOIN accounts a ON a.employee_id = n.employee_id
		WHERE n.event_id = $1 AND n.status IN `+statuses+` AND n.approval IN `+approval+` AND a.active = TRUE
		UNION SELECT t.account_id FROM event_trainers t WHERE t.event_id = $1 ORDER BY 1`, eventID)
}

// accountOf returns the active account of an employee, 0 if none.
func accountOf(ctx context.Context, q db.Querier, employeeID int64) (int64, error) {
	ids, err := db.IDs(ctx, q, `SELECT id FROM accounts WHERE employee_id = $1 AND active = TRUE`, employeeID)
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	return ids[0], nil
}

// tell notifies accounts of event e: kind's text gets its title and its
// start in the city's zone.
func (s *Service) tell(ctx context.Context, q db.Querier, accounts []int64, kind string, e Event) error {
	when := e.StartsAt.In(s.zone).Format("02-01-2006 15:04 MST")
	msgs := make([]notify.Message, 0, len(accounts))
	for _, a := range accounts {
		if a != 0 {
			msgs = append(msgs, notify.Message{AccountID: a, Kind: kind, Args: []string{e.Title, when}, Link: EventLink(e.ID)})
		}
	}
	return notify.Send(ctx, q, msgs...)
}
