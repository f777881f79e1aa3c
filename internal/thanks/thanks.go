// Package thanks is peer feedback: one person thanks another for
// something they did, with the reason. Thanks are public within the city
// (a person's page shows what they received, the wall shows the newest),
// never to oneself, and at most DailyLimit a day from one person, so that
// they stay worth reading.
package thanks

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/notify"
	"github.com/lontara-id/lontara/internal/policy"
)

// DailyLimit is how many thanks one person gives in a day (in the city's
// zone).
const DailyLimit = 10

const maxReason = 500

// Service keeps the thanks.
type Service struct {
	db   *db.DB
	zone *time.Location
}

// NewService returns the thanks service over d; zone is the city's, where
// a day starts.
func NewService(d *db.DB, zone *time.Location) *Service { return &Service{db: d, zone: zone} }

// Thanks is one thanks.
type Thanks struct {
	ID             int64     `json:"id"`
	GiverID        int64     `json:"giver_id"`
	GiverName      string    `json:"giver_name"`
	ReceiverID     int64     `json:"employee_id"`
	ReceiverName   string    `json:"employee_name"`
	ReceiverAgency string    `json:"employee_agency"`
	Reason         string    `json:"reason"`
	CreatedAt      time.Time `json:"created_at"`
}

// Input thanks the employee EmployeeID for Reason.
type Input struct {
	EmployeeID int64  `json:"employee_id"`
	Reason     string `json:"reason"`
}

// Link is a person's thanks page.
func Link(employeeID int64) string {
	return "/terima-kasih/pegawai/" + strconv.FormatInt(employeeID, 10)
}

func signedIn(actor *policy.Actor) error {
	if actor == nil {
		return errs.New(errs.Unauthorized, "unauthorized")
	}
	return nil
}

// Give records the actor's thanks and tells the receiver.
func (s *Service) Give(ctx context.Context, actor *policy.Actor, in Input) (Thanks, error) {
	if err := signedIn(actor); err != nil {
		return Thanks{}, err
	}
	if actor.EmployeeID == 0 {
		return Thanks{}, errs.New(errs.Forbidden, "thanks.no_person")
	}
	in.Reason = strings.TrimSpace(in.Reason)
	var v errs.Validation
	switch {
	case in.Reason == "":
		v.Add("reason", "required")
	case utf8.RuneCountInString(in.Reason) > maxReason:
		v.Add("reason", "too_long", maxReason)
	}
	if in.EmployeeID == actor.EmployeeID {
		v.Add("employee_id", "thanks.self")
	}
	var id int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var active bool
		err := tx.QueryRowContext(ctx, `SELECT active FROM employees WHERE id = $1`, in.EmployeeID).Scan(&active)
		switch {
		case errors.Is(err, sql.ErrNoRows) || (err == nil && !active):
			v.Add("employee_id", "thanks.unknown")
		case err != nil:
			return fmt.Errorf("thanks: receiver: %w", err)
		}
		if err := v.Err(); err != nil {
			return err
		}
		// The giver's row is locked so that two thanks sent at once
		// cannot both pass the daily count.
		if err := db.HoldRow(ctx, tx, "employees", actor.EmployeeID); err != nil {
			return fmt.Errorf("thanks: %w", err)
		}
		at := time.Now().UTC().Truncate(time.Microsecond)
		local := at.In(s.zone)
		today := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, s.zone)
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM thanks WHERE giver_id = $1 AND created_at >= $2`,
			actor.EmployeeID, today.UTC()).Scan(&n); err != nil {
			return fmt.Errorf("thanks: today's count: %w", err)
		}
		if n >= DailyLimit {
			return errs.New(errs.TooMany, "thanks.daily_limit", int(today.AddDate(0, 0, 1).Sub(local).Seconds())+1, DailyLimit)
		}
		if id, err = db.InsertID(ctx, tx, `INSERT INTO thanks (giver_id, receiver_id, reason, created_at)
			VALUES ($1, $2, $3, $4) RETURNING id`, actor.EmployeeID, in.EmployeeID, in.Reason, at); err != nil {
			return fmt.Errorf("thanks: give: %w", err)
		}
		rows, err := tx.QueryContext(ctx, `SELECT id FROM accounts WHERE employee_id = $1`, in.EmployeeID)
		if err != nil {
			return fmt.Errorf("thanks: receiver's accounts: %w", err)
		}
		var msgs []notify.Message
		for rows.Next() {
			var acc int64
			if err := rows.Scan(&acc); err != nil {
				rows.Close()
				return fmt.Errorf("thanks: receiver's accounts: %w", err)
			}
			msgs = append(msgs, notify.Message{AccountID: acc, Kind: "thanks.received", Args: []string{actor.Name},
				Link: Link(in.EmployeeID)})
		}
		if err := rows.Close(); err != nil {
			return fmt.Errorf("thanks: receiver's accounts: %w", err)
		}
		if err := notify.Send(ctx, tx, msgs...); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "create", Entity: "thanks", EntityID: id,
			AgencyID: actor.AgencyID, After: in})
	})
	if err != nil {
		return Thanks{}, err
	}
	list, _, err := s.list(ctx, "t.id = $1", []any{id}, db.Page{Limit: 1})
	if err != nil {
		return Thanks{}, err
	}
	if len(list) == 0 { // deleted with its giver meanwhile
		return Thanks{}, errs.New(errs.NotFound, "not_found")
	}
	return list[0], nil
}

// Filter picks thanks; with neither field the whole city's, newest first.
type Filter struct {
	ReceiverID *int64 // received by this employee
	GiverID    *int64 // given by this employee
}

// List reads a page of thanks, newest first.
func (s *Service) List(ctx context.Context, actor *policy.Actor, f Filter, page db.Page) ([]Thanks, string, error) {
	if err := signedIn(actor); err != nil {
		return nil, "", err
	}
	var conds []string
	var args []any
	if f.ReceiverID != nil {
		args = append(args, *f.ReceiverID)
		conds = append(conds, "t.receiver_id = $"+strconv.Itoa(len(args)))
	}
	if f.GiverID != nil {
		args = append(args, *f.GiverID)
		conds = append(conds, "t.giver_id = $"+strconv.Itoa(len(args)))
	}
	if page.After != "" {
		var after int64
		if err := db.ParseCursor(page.After, &after); err != nil {
			return nil, "", err
		}
		args = append(args, after)
		conds = append(conds, "t.id < $"+strconv.Itoa(len(args)))
	}
	if len(conds) == 0 {
		conds = []string{"TRUE"}
	}
	return s.list(ctx, strings.Join(conds, " AND "), args, page)
}

func (s *Service) list(ctx context.Context, where string, args []any, page db.Page) ([]Thanks, string, error) {
	size := page.Size()
	args = append(args, size+1)
	rows, err := s.db.R.QueryContext(ctx, `SELECT t.id, t.giver_id, g.name, t.receiver_id, r.name, a.name, t.reason,
		t.created_at FROM thanks t JOIN employees g ON g.id = t.giver_id JOIN employees r ON r.id = t.receiver_id
		JOIN agencies a ON a.id = r.agency_id WHERE `+where+` ORDER BY t.id DESC LIMIT $`+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, "", fmt.Errorf("thanks: list: %w", err)
	}
	defer rows.Close()
	list := []Thanks{}
	for rows.Next() {
		var t Thanks
		if err := rows.Scan(&t.ID, &t.GiverID, &t.GiverName, &t.ReceiverID, &t.ReceiverName, &t.ReceiverAgency, &t.Reason,
			&t.CreatedAt); err != nil {
			return nil, "", fmt.Errorf("thanks: list: %w", err)
		}
		t.CreatedAt = t.CreatedAt.UTC()
		list = append(list, t)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("thanks: list: %w", err)
	}
	next := ""
	if len(list) > size {
		list = list[:size]
		next = db.Cursor(list[size-1].ID)
	}
	return list, next, nil
}

// Person is someone to thank.
type Person struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Agency   string `json:"agency"`
	Received int    `json:"received"` // thanks received in all
}

// Person reads the employee id with the number of thanks they received.
func (s *Service) Person(ctx context.Context, actor *policy.Actor, id int64) (Person, error) {
	if err := signedIn(actor); err != nil {
		return Person{}, err
	}
	p := Person{ID: id}
	err := s.db.R.QueryRowContext(ctx, `SELECT e.name, a.name, (SELECT COUNT(*) FROM thanks t WHERE t.receiver_id = e.id)
		FROM employees e JOIN agencies a ON a.id = e.agency_id WHERE e.id = $1`, id).Scan(&p.Name, &p.Agency, &p.Received)
	if errors.Is(err, sql.ErrNoRows) {
		return Person{}, errs.New(errs.NotFound, "not_found")
	}
	if err != nil {
		return Person{}, fmt.Errorf("thanks: person %d: %w", id, err)
	}
	return p, nil
}

// Find lists up to 20 people in service whose name holds q, by name.
func (s *Service) Find(ctx context.Context, actor *policy.Actor, q string) ([]Person, error) {
	if err := signedIn(actor); err != nil {
		return nil, err
	}
	q = strings.TrimSpace(q)
	if q == "" {
		return nil, nil
	}
	rows, err := s.db.R.QueryContext(ctx, `SELECT e.id, e.name, a.name FROM employees e JOIN agencies a ON a.id = e.agency_id
		WHERE e.active AND `+s.db.Dialect.ContainsFold("e.name", "$1")+` ORDER BY e.name, e.id LIMIT 20`, db.EscapeLike(q))
	if err != nil {
		return nil, fmt.Errorf("thanks: find: %w", err)
	}
	defer rows.Close()
	var list []Person
	for rows.Next() {
		var p Person
		if err := rows.Scan(&p.ID, &p.Name, &p.Agency); err != nil {
			return nil, fmt.Errorf("thanks: find: %w", err)
		}
		list = append(list, p)
	}
	return list, rows.Err()
}
