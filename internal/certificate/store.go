package certificate

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// certColumns are a certificate's columns with its holder's agency and
// direct supervisor now (for who may see the PDF); certFrom joins them.
const certColumns = `c.id, c.code, c.event_id, c.employee_id, c.holder_name, c.event_title, c.event_kind, c.jp,
	c.starts_at, c.ends_at, c.place, c.competencies, COALESCE(c.issuer_agency_id, 0), c.issuer_name, c.recipient_type,
	c.recipient_salt, c.recipient_hash, c.issued_at, c.revoked_at, c.revoke_reason, e.agency_id, COALESCE(e.supervisor_id, 0)`

const certFrom = ` FROM certificates c JOIN employees e ON e.id = c.employee_id`

func scanCert(row interface{ Scan(...any) error }) (Certificate, error) {
	var c Certificate
	var comps string
	var revoked sql.NullTime
	err := row.Scan(&c.ID, &c.Code, &c.EventID, &c.EmployeeID, &c.HolderName, &c.EventTitle, &c.EventKind, &c.JP,
		&c.StartsAt, &c.EndsAt, &c.Place, &comps, &c.issuerAgencyID, &c.Issuer, &c.recipientType, &c.salt, &c.hash,
		&c.IssuedAt, &revoked, &c.RevokeReason, &c.holderAgencyID, &c.holderBossID)
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal([]byte(comps), &c.Competencies); err != nil {
		return c, fmt.Errorf("competencies of certificate %d: %w", c.ID, err)
	}
	if revoked.Valid {
		at := revoked.Time.UTC()
		c.RevokedAt = &at
	}
	c.StartsAt, c.EndsAt, c.IssuedAt = c.StartsAt.UTC(), c.EndsAt.UTC(), c.IssuedAt.UTC()
	c.fill()
	return c, nil
}

// findByCode loads the certificate with a stored-form code; NotFound if
// there is none.
func findByCode(ctx context.Context, q db.Querier, code string) (Certificate, error) {
	c, err := scanCert(q.QueryRowContext(ctx, `SELECT `+certColumns+certFrom+` WHERE c.code = $1`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return Certificate{}, errs.New(errs.NotFound, "cert.unknown")
	}
	if err != nil {
		return Certificate{}, fmt.Errorf("certificate %s: %w", code, err)
	}
	return c, nil
}

// listFilter selects certificates: those of an event (in the order they
// were issued) or of a person (newest first).
type listFilter struct {
	EventID    *int64
	EmployeeID *int64
	IDs        []int64
}

// listCerts returns a page of certificates; the cursor is the last row's id.
func listCerts(ctx context.Context, q db.Querier, f listFilter, p db.Page) ([]Certificate, string, error) {
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	order, cmp := "c.id", ">"
	if f.EventID != nil {
		where = append(where, "c.event_id = "+arg(*f.EventID))
	}
	if f.EmployeeID != nil {
		where = append(where, "c.employee_id = "+arg(*f.EmployeeID))
		order, cmp = "c.id DESC", "<"
	}
	if f.IDs != nil {
		marks := make([]string, len(f.IDs))
		for i, id := range f.IDs {
			marks[i] = arg(id)
		}
		where = append(where, "c.id IN ("+strings.Join(marks, ", ")+")")
	}
	if p.After != "" {
		var id int64
		if err := db.ParseCursor(p.After, &id); err != nil {
			return nil, "", err
		}
		where = append(where, "c.id "+cmp+" "+arg(id))
	}
	if len(where) == 0 {
		where = append(where, "TRUE")
	}
	size := p.Size()
	if f.IDs != nil {
		size = len(f.IDs)
	}
	rows, err := q.QueryContext(ctx, `SELECT `+certColumns+certFrom+` WHERE `+strings.Join(where, " AND ")+
		` ORDER BY `+order+` LIMIT `+arg(size+1), args...)
	if err != nil {
		return nil, "", fmt.Errorf("certificates: list: %w", err)
	}
	defer rows.Close()
	var list []Certificate
	for rows.Next() {
		c, err := scanCert(rows)
		if err != nil {
			return nil, "", fmt.Errorf("certificates: list: %w", err)
		}
		list = append(list, c)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("certificates: list: %w", err)
	}
	next := ""
	if len(list) > size {
		list = list[:size]
		next = db.Cursor(list[len(list)-1].ID)
	}
	return list, next, nil
}

// Event is what issuing needs to know of an event.
type Event struct {
	ID          int64      `json:"id"`
	Title       string     `json:"title"`
	Kind        string     `json:"kind"`
	JP          int        `json:"jp"`
	StartsAt    time.Time  `json:"starts_at"`
	EndsAt      time.Time  `json:"ends_at"`
	Place       string     `json:"place"`
	AgencyID    int64      `json:"agency_id"` // 0: the city
	CreatedBy   int64      `json:"-"`
	FinishedAt  *time.Time `json:"finished_at"`
	CancelledAt *time.Time `json:"cancelled_at"`
	Completed   int        `json:"completed"`   // enrolments completed
	Issued      int        `json:"issued"`      // certificates issued (revoked ones too)
	Uncertified int        `json:"uncertified"` // completed enrolments without a certificate yet
}

// findEvent loads an event with its counts; NotFound if missing.
func findEvent(ctx context.Context, q db.Querier, id int64) (Event, error) {
	var ev Event
	var finished, cancelled sql.NullTime
	err := q.QueryRowContext(ctx, `SELECT id, title, kind, jp, starts_at, ends_at, place, COALESCE(agency_id, 0),
		COALESCE(created_by, 0), finished_at, cancelled_at,
		(SELECT COUNT(*) FROM enrolments WHERE event_id = ev.id AND status = 'completed'),
		(SELECT COUNT(*) FROM certificates WHERE event_id = ev.id),
		(SELECT COUNT(*) FROM enrolments en WHERE en.event_id = ev.id AND en.status = 'completed'
			AND NOT EXISTS (SELECT 1 FROM certificates c WHERE c.enrolment_id = en.id))
		FROM events ev WHERE id = $1`, id).Scan(&ev.ID, &ev.Title, &ev.Kind, &ev.JP, &ev.StartsAt, &ev.EndsAt, &ev.Place,
		&ev.AgencyID, &ev.CreatedBy, &finished, &cancelled, &ev.Completed, &ev.Issued, &ev.Uncertified)
	if errors.Is(err, sql.ErrNoRows) {
		return Event{}, errs.New(errs.NotFound, "cert.event_not_found")
	}
	if err != nil {
		return Event{}, fmt.Errorf("certificates: event %d: %w", id, err)
	}
	ev.StartsAt, ev.EndsAt = ev.StartsAt.UTC(), ev.EndsAt.UTC()
	if finished.Valid {
		at := finished.Time.UTC()
		ev.FinishedAt = &at
	}
	if cancelled.Valid {
		at := cancelled.Time.UTC()
		ev.CancelledAt = &at
	}
	return ev, nil
}

// isTrainer reports whether the account trains the event.
func isTrainer(ctx context.Context, q db.Querier, eventID, accountID int64) (bool, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM event_trainers WHERE event_id = $1 AND account_id = $2`,
		eventID, accountID).Scan(&n); err != nil {
		return false, fmt.Errorf("certificates: trainers of %d: %w", eventID, err)
	}
	return n > 0, nil
}

// eventCompetencies lists the competencies an event builds, by code.
func eventCompetencies(ctx context.Context, q db.Querier, eventID int64) ([]Competency, []int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT c.id, c.code, c.name, ec.level FROM event_competencies ec
		JOIN competencies c ON c.id = ec.competency_id WHERE ec.event_id = $1 ORDER BY c.code`, eventID)
	if err != nil {
		return nil, nil, fmt.Errorf("certificates: competencies of %d: %w", eventID, err)
	}
	defer rows.Close()
	var list []Competency
	var ids []int64
	for rows.Next() {
		var c Competency
		var id int64
		if err := rows.Scan(&id, &c.Code, &c.Name, &c.Level); err != nil {
			return nil, nil, fmt.Errorf("certificates: competencies of %d: %w", eventID, err)
		}
		list, ids = append(list, c), append(ids, id)
	}
	return list, ids, rows.Err()
}

// issuerOf names who issues an event's certificates: the organizing
// agency, or for a city event the agency of whoever made it (Kominfo's
// trainers); 0 and "" when neither is known.
func issuerOf(ctx context.Context, q db.Querier, ev Event) (int64, string, error) {
	var id int64
	var name string
	err := q.QueryRowContext(ctx, `SELECT ag.id, ag.name FROM agencies ag WHERE ag.id = $1
		UNION ALL SELECT ag.id, ag.name FROM accounts a JOIN employees e ON e.id = a.employee_id
		JOIN agencies ag ON ag.id = e.agency_id WHERE a.id = $2 AND $1 = 0`, ev.AgencyID, ev.CreatedBy).Scan(&id, &name)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", nil
	}
	if err != nil {
		return 0, "", fmt.Errorf("certificates: issuer of %d: %w", ev.ID, err)
	}
	return id, name, nil
}

// holder is a completed participant still without a certificate.
type holder struct {
	EnrolmentID, EmployeeID, AccountID int64
	Name, Email                        string
	CompletedAt                        time.Time
}

// uncertified lists an event's completed enrolments that have no
// certificate yet, with their people's names as a certificate prints them.
func uncertified(ctx context.Context, q db.Querier, eventID int64) ([]holder, error) {
	rows, err := q.QueryContext(ctx, `SELECT en.id, en.employee_id, COALESCE(a.id, 0), e.front_title, e.name,
		e.back_title, COALESCE(e.email, ''), en.completed_at, en.updated_at
		FROM enrolments en JOIN employees e ON e.id = en.employee_id LEFT JOIN accounts a ON a.employee_id = e.id
		WHERE en.event_id = $1 AND en.status = 'completed'
		AND NOT EXISTS (SELECT 1 FROM certificates c WHERE c.enrolment_id = en.id) ORDER BY en.id`, eventID)
	if err != nil {
		return nil, fmt.Errorf("certificates: completed of %d: %w", eventID, err)
	}
	defer rows.Close()
	var list []holder
	for rows.Next() {
		var h holder
		var front, back string
		var completed sql.NullTime
		var updated time.Time
		if err := rows.Scan(&h.EnrolmentID, &h.EmployeeID, &h.AccountID, &front, &h.Name, &back, &h.Email,
			&completed, &updated); err != nil {
			return nil, fmt.Errorf("certificates: completed of %d: %w", eventID, err)
		}
		h.CompletedAt = updated.UTC() // a completion marked before completed_at was kept
		if completed.Valid {
			h.CompletedAt = completed.Time.UTC()
		}
		h.Name = fullName(front, h.Name, back)
		list = append(list, h)
	}
	return list, rows.Err()
}

// fullName writes a name with its titles as Indonesian documents do:
// "Dr. Andi Makkasau, S.Kom.".
func fullName(front, name, back string) string {
	front, name, back = strings.TrimSpace(front), strings.TrimSpace(name), strings.TrimSpace(back)
	if front != "" {
		name = front + " " + name
	}
	if back != "" {
		name += ", " + back
	}
	return name
}
