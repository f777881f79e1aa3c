package audit

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/policy"
)

// Record is one entry of the log as read back.
type Record struct {
	ID         int64     `json:"id"`
	At         time.Time `json:"at"`
	Actor      string    `json:"actor"`
	Action     string    `json:"action"`
	Entity     string    `json:"entity"`
	EntityID   string    `json:"entity_id"`
	AgencyID   *int64    `json:"agency_id"`
	AgencyName string    `json:"agency_name,omitempty"`
	Before     *string   `json:"before"`
	After      *string   `json:"after"`
	// Withheld says Before and After are left out: they hold what the
	// entry's object said, which this reader may not see (showsContent).
	Withheld  bool   `json:"withheld,omitempty"`
	RequestID string `json:"request_id"`
	IP        string `json:"ip"`
}

// contentOf holds the kinds of entry whose before and after carry what
// their object says (a ticket's text and notes, a post, a thread's title, a
// meeting's notes, a mentoring session's notes, a report's reason, an
// article's draft, a problem the help desk works on) under a read rule of
// its own, narrower than the log's: a members-only space is not read by the
// agency's head, a ticket nor its desk's notes by an executive. The log
// still shows its readers who did what to which of them and when; what it
// said only to those showsContent allows.
var contentOf = map[string]bool{
	"ticket": true, "post": true, "thread": true, "post_report": true, "meeting": true,
	"mentoring_session": true, "article": true, "problem": true,
}

// showsContent reports whether actor reads what entry r said of its
// object: any entry with policy.AuditContentRead (the superadmin); else
// those of kinds outside contentOf, and a ticket's entries tagged with its
// reporter's agency to that agency's admin and head, who read the ticket
// itself (the desk's own work on it is tagged with no agency:
// helpdesk.deskOnly).
func showsContent(actor *policy.Actor, r Record) bool {
	if !contentOf[r.Entity] || policy.Can(actor, policy.AuditContentRead, policy.Target{}) {
		return true
	}
	return r.Entity == "ticket" && r.AgencyID != nil &&
		policy.Can(actor, policy.TicketAgencyList, policy.Target{AgencyID: *r.AgencyID})
}

// readableAgency is the agency whose log an unscoped request shows to an
// agency reader: the first agency they administer or head (which need not
// be the agency they work in), else their own.
func readableAgency(actor *policy.Actor) int64 {
	if actor == nil {
		return 0
	}
	for _, role := range []policy.Role{policy.AgencyAdmin, policy.AgencyHead} {
		if ids := actor.AgenciesWith(role); len(ids) > 0 {
			return ids[0]
		}
	}
	return actor.AgencyID
}

// Filter narrows the log.
type Filter struct {
	AgencyID *int64
	Entity   *string
	EntityID *string
}

// List returns the newest entries first. Who may read what is the policy's
// AuditRead: city-wide readers see everything, an agency's admin and head
// see their agency's entries; an unscoped request from them is narrowed to
// their agency rather than refused, so the page simply shows what they may
// see. What tickets, discussions and the like said is withheld from those
// who may not read them where they are (showsContent).
func List(ctx context.Context, d *db.DB, actor *policy.Actor, f Filter, p db.Page) ([]Record, string, error) {
	if f.AgencyID == nil && !policy.Can(actor, policy.AuditRead, policy.Target{}) {
		mine := readableAgency(actor)
		f.AgencyID = &mine
	}
	target := policy.Target{}
	if f.AgencyID != nil {
		target.AgencyID = *f.AgencyID
	}
	if err := policy.Check(actor, policy.AuditRead, target); err != nil {
		return nil, "", err
	}
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	if f.AgencyID != nil {
		where = append(where, "l.agency_id = "+arg(*f.AgencyID))
	}
	if f.Entity != nil {
		where = append(where, "l.entity = "+arg(*f.Entity))
	}
	if f.EntityID != nil {
		where = append(where, "l.entity_id = "+arg(*f.EntityID))
	}
	if p.After != "" {
		var after int64
		if err := db.ParseCursor(p.After, &after); err != nil {
			return nil, "", err
		}
		where = append(where, "l.id < "+arg(after))
	}
	q := `SELECT l.id, l.at, l.actor, l.action, l.entity, l.entity_id, l.agency_id, COALESCE(a.name, ''),
		l.before_json, l.after_json, l.request_id, l.ip
		FROM audit_log l LEFT JOIN agencies a ON a.id = l.agency_id`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY l.id DESC LIMIT " + arg(p.Size()+1)
	rows, err := d.R.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		var r Record
		var agency sql.NullInt64
		if err := rows.Scan(&r.ID, &r.At, &r.Actor, &r.Action, &r.Entity, &r.EntityID, &agency, &r.AgencyName,
			&r.Before, &r.After, &r.RequestID, &r.IP); err != nil {
			return nil, "", err
		}
		if agency.Valid {
			r.AgencyID = &agency.Int64
		}
		if !showsContent(actor, r) {
			r.Before, r.After, r.Withheld = nil, nil, true
		}
		r.At = r.At.UTC()
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > p.Size() {
		out = out[:p.Size()]
		next = db.Cursor(out[len(out)-1].ID)
	}
	return out, next, nil
}
