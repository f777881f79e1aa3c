package helpdesk

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/org"
	"github.com/lontara-id/lontara/internal/policy"
)

// maxCallers bounds a lookup: a phone number shared by more people than
// this (an office's switchboard) is better searched by NIP.
const maxCallers = 20

// Caller is a person a phone number or NIP leads to, as the agent taking
// the call sees them to confirm who is on the line.
type Caller struct {
	EmployeeID int64   `json:"employee_id"`
	Name       string  `json:"name"`
	AgencyID   int64   `json:"agency_id"`
	Agency     string  `json:"agency"`
	Position   string  `json:"position"`
	Phone      *string `json:"phone"`
	// AccountID is the person's active account, whom the ticket is filed
	// for; null when they have none and the ticket names them as a contact.
	AccountID *int64 `json:"account_id"`
}

// CallerQuery finds a caller by exactly one of their phone number (any
// way people write it) or their NIP.
type CallerQuery struct {
	Phone string
	NIP   string
}

// callerCondition checks the query and returns the column and value to
// look for: the phone as internal/org stores it (+62…), the NIP as its 18
// digits (spaces and dots, as people read it out, dropped). Neither given
// is no condition ("").
func (q CallerQuery) callerCondition() (string, string, error) {
	phone, nip := strings.TrimSpace(q.Phone), strings.NewReplacer(" ", "", ".", "").Replace(strings.TrimSpace(q.NIP))
	switch {
	case phone != "" && nip != "":
		return "", "", errs.New(errs.Invalid, "caller.one")
	case phone != "":
		p, ok := org.NormalizePhone(phone)
		if !ok {
			return "", "", errs.FieldErr("phone", "phone.format")
		}
		return "e.phone", p, nil
	case nip != "":
		if len(nip) != org.NIPLen {
			return "", "", errs.FieldErr("nip", "nip.length")
		}
		if strings.Trim(nip, "0123456789") != "" {
			return "", "", errs.FieldErr("nip", "nip.digits")
		}
		return "e.nip", nip, nil
	}
	return "", "", nil
}

const callerSelect = `SELECT e.id, e.name, e.agency_id, ag.name, COALESCE(p.name, ''), e.phone, ac.id
	FROM employees e JOIN agencies ag ON ag.id = e.agency_id
	LEFT JOIN positions p ON p.id = e.position_id
	LEFT JOIN accounts ac ON ac.employee_id = e.id AND ac.active = TRUE
	WHERE e.active = TRUE AND `

// FindCallers returns the people still in service whom a phone number or
// an NIP leads to (several may share an office's number), for the help
// desk taking a call. None found is an empty list, not an error: the agent
// then logs an outside contact.
func (s *Service) FindCallers(ctx context.Context, actor *policy.Actor, q CallerQuery) ([]Caller, error) {
	if err := policy.Check(actor, policy.TicketWork, policy.Target{}); err != nil {
		return nil, err
	}
	col, val, err := q.callerCondition()
	if err != nil {
		return nil, err
	}
	if col == "" { // asked about no one: no one is found
		return []Caller{}, nil
	}
	rows, err := s.db.R.QueryContext(ctx, callerSelect+col+` = $1 ORDER BY e.name, e.id LIMIT $2`, val, maxCallers)
	if err != nil {
		return nil, fmt.Errorf("helpdesk: find callers: %w", err)
	}
	defer rows.Close()
	list := []Caller{}
	for rows.Next() {
		c, err := scanCaller(rows)
		if err != nil {
			return nil, fmt.Errorf("helpdesk: find callers: %w", err)
		}
		list = append(list, c)
	}
	return list, rows.Err()
}

func scanCaller(row interface{ Scan(...any) error }) (Caller, error) {
	var c Caller
	var account sql.NullInt64
	err := row.Scan(&c.EmployeeID, &c.Name, &c.AgencyID, &c.Agency, &c.Position, &c.Phone, &account)
	c.AccountID = idPtr(account)
	return c, err
}

// caller reads one person in service by id, for filing their call.
func caller(ctx context.Context, q db.Querier, employeeID int64) (Caller, error) {
	c, err := scanCaller(q.QueryRowContext(ctx, callerSelect+`e.id = $1`, employeeID))
	if errors.Is(err, sql.ErrNoRows) {
		return Caller{}, errs.FieldErr("employee_id", "ticket.unknown")
	}
	if err != nil {
		return Caller{}, fmt.Errorf("helpdesk: caller: %w", err)
	}
	return c, nil
}

// CallInput is a phone call the help desk logs as a ticket: the caller
// found by phone or NIP (EmployeeID), or an outside contact (ContactName
// and ContactPhone), and the ticket's fields. For a caller without an
// account ContactPhone may give the number they called from.
type CallInput struct {
	EmployeeID   *int64
	ContactName  string
	ContactPhone string
	Ticket       TicketInput // subject, body, category, priority, application, team
}

// LogCall files a phone call as a ticket on the channel "phone": for the
// caller's account when they have one (they find it under "Tiket saya"
// and are told its number), else as a contact with their name, phone and,
// for an employee, their agency, so the agency's admin sees it too. The
// phone is stored as internal/org stores phones (+62…).
func (s *Service) LogCall(ctx context.Context, actor *policy.Actor, in CallInput) (Ticket, error) {
	if err := policy.Check(actor, policy.TicketWork, policy.Target{}); err != nil {
		return Ticket{}, err
	}
	t := in.Ticket
	t.Channel = "phone"
	t.ReporterID, t.AgencyID, t.ContactEmail = nil, nil, ""
	t.ContactName, t.ContactPhone = strings.TrimSpace(in.ContactName), strings.TrimSpace(in.ContactPhone)
	if in.EmployeeID != nil {
		c, err := caller(ctx, s.db.R, *in.EmployeeID)
		if err != nil {
			return Ticket{}, err
		}
		if c.AccountID != nil {
			t.ReporterID, t.ContactName, t.ContactPhone = c.AccountID, "", ""
			return s.CreateTicket(ctx, actor, t)
		}
		t.ContactName, t.AgencyID = c.Name, &c.AgencyID
		if t.ContactPhone == "" && c.Phone != nil {
			t.ContactPhone = *c.Phone
		}
	}
	// The contact's fields and the ticket's are checked together, so the
	// form shows every mistake at once.
	t.normalize()
	v := t.validate()
	if t.ContactName == "" {
		v.Add("contact_name", "required")
	}
	if t.ContactPhone == "" {
		v.Add("contact_phone", "required")
	} else if p, ok := org.NormalizePhone(t.ContactPhone); ok {
		t.ContactPhone = p
	} else {
		v.Add("contact_phone", "phone.format")
	}
	if err := v.Err(); err != nil {
		return Ticket{}, err
	}
	return s.CreateTicket(ctx, actor, t)
}
