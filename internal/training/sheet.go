package training

import (
	"context"
	"fmt"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/policy"
)

// SheetRow is a participant on the trainer's attendance sheet.
type SheetRow struct {
	Enrolment
	Present bool
	Method  string
}

// Sheet is a session's attendance as the trainer takes it.
type Sheet struct {
	Event   Event
	Session Session
	Rows    []SheetRow
	Present int
	Code    *Code
}

// Sheet returns a session's attendance sheet: everyone holding a seat
// (those awaiting approval shown, but not to be marked), by name.
func (s *Service) Sheet(ctx context.Context, actor *policy.Actor, sessionID int64) (Sheet, error) {
	ss, err := findSession(ctx, s.db.R, sessionID)
	if err != nil {
		return Sheet{}, err
	}
	e, err := s.Event(ctx, actor, ss.EventID)
	if err != nil {
		return Sheet{}, err
	}
	t, err := eventTarget(ctx, s.db.R, actor, e)
	if err != nil {
		return Sheet{}, err
	}
	if err := policy.Check(actor, policy.EventManage, t); err != nil {
		return Sheet{}, err
	}
	list, err := queryEnrolments(ctx, s.db.R, `n.event_id = $1 AND n.status IN ('enrolled','completed')`, "p.name, n.id", e.ID)
	if err != nil {
		return Sheet{}, err
	}
	list = forViewer(actor, list)
	rows, err := s.db.R.QueryContext(ctx, `SELECT enrolment_id, method FROM session_attendance WHERE session_id = $1`, sessionID)
	if err != nil {
		return Sheet{}, fmt.Errorf("training: attendance of %d: %w", sessionID, err)
	}
	defer rows.Close()
	marks := map[int64]string{}
	for rows.Next() {
		var id int64
		var m string
		if err := rows.Scan(&id, &m); err != nil {
			return Sheet{}, fmt.Errorf("training: attendance of %d: %w", sessionID, err)
		}
		marks[id] = m
	}
	if err := rows.Err(); err != nil {
		return Sheet{}, err
	}
	sh := Sheet{Event: e, Session: ss}
	for _, n := range list {
		m, ok := marks[n.ID]
		sh.Rows = append(sh.Rows, SheetRow{Enrolment: n, Present: ok, Method: m})
		if ok {
			sh.Present++
		}
	}
	sh.Code, err = s.ActiveCode(ctx, sessionID)
	return sh, err
}

// AttendanceRow is a participant's attendance at a session, as the API
// lists it.
type AttendanceRow struct {
	EnrolmentID  int64  `json:"enrolment_id"`
	EmployeeID   int64  `json:"employee_id"`
	EmployeeName string `json:"employee_name"`
	Approval     string `json:"approval"`
	Present      bool   `json:"present"`
	Method       string `json:"method,omitempty"`
}

// List is one page of the sheet's rows for the API; next is "" on the
// last page. The sheet holds at most an event's seats, loaded at once.
func (sh Sheet) List(page db.Page) ([]AttendanceRow, string, error) {
	off, err := pageOffset(page)
	if err != nil {
		return nil, "", err
	}
	rows := sh.Rows[min(off, len(sh.Rows)):min(off+page.Size()+1, len(sh.Rows))]
	out := make([]AttendanceRow, 0, len(rows))
	for _, r := range rows {
		out = append(out, AttendanceRow{EnrolmentID: r.ID, EmployeeID: r.EmployeeID, EmployeeName: r.EmployeeName,
			Approval: r.Approval, Present: r.Present, Method: r.Method})
	}
	out, next := pageOf(out, page, off)
	return out, next, nil
}
