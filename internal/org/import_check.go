package org

import (
	"context"
	"strings"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/policy"
)

// check runs the rules that span rows, once every row is parsed: an NIP or
// email twice in the file, an email that is someone else's, the supervisor
// by NIP (in the file or the database), and what each row will do.
func (im *importer) check() {
	fileNIP := map[string]*importRow{}
	fileEmail := map[string]*importRow{}
	for _, r := range im.rows {
		if r.e.NIP == nil && r.e.Email == nil && !im.flagged[[2]any{r.line, colNIP}] {
			im.add(r.line, colEmail, "import.no_key")
		}
		if n := r.e.NIP; n != nil {
			if first, dup := fileNIP[*n]; dup {
				im.add(r.line, colNIP, "import.duplicate", first.line)
			} else {
				fileNIP[*n] = r
			}
		}
		if m := r.e.Email; m != nil {
			if first, dup := fileEmail[*m]; dup {
				im.add(r.line, colEmail, "import.duplicate", first.line)
			} else {
				fileEmail[*m] = r
			}
			if other, ok := im.byEmail[*m]; ok && (r.old == nil || other.ID != r.old.ID) {
				im.add(r.line, colEmail, "email.taken")
			}
		}
	}
	for _, r := range im.rows {
		im.supervisor(r, fileNIP)
	}
	im.supervisorLoops()
	for _, r := range im.rows {
		switch {
		case r.old == nil:
			r.act = actCreate
		case r.supRow != nil && r.supRow.old == nil, !samePerson(r.old, &r.e):
			r.act = actUpdate
		}
	}
}

// protect refuses, as row errors, the updates the actor may not make: a
// person whose account holds more than everyday roles of the actor's
// agencies is changed by the superadmin only (policy.Target.Grants). Rows
// of agencies the actor may not import into at all are left to the
// agency check, which refuses the whole file; new people are unaffected.
func (im *importer) protect(ctx context.Context, q db.Querier, actor *policy.Actor) error {
	var ids []int64
	for _, r := range im.rows {
		if r.act == actUpdate {
			ids = append(ids, r.old.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	grants, err := grantsOf(ctx, q, ids)
	if err != nil {
		return err
	}
	for _, r := range im.rows {
		if r.act != actUpdate {
			continue
		}
		agency := policy.Target{AgencyID: r.old.AgencyID}
		person := policy.Target{AgencyID: r.old.AgencyID, EmployeeID: r.old.ID, Grants: grants[r.old.ID]}
		if policy.Can(actor, policy.EmployeeImport, agency) && !policy.Can(actor, policy.EmployeeImport, person) {
			col := colNIP
			if r.old.NIP == nil {
				col = colEmail
			}
			im.add(r.line, col, "import.protected")
		}
	}
	return nil
}

// supervisor resolves NIP atasan: a row of the file comes first, so a
// supervisor imported in the same file is found; then the database. A new
// supervisor must be active and work in the row's agency (review 2,
// finding 8); the one a person already has stays acceptable after leaving,
// as in UpdateEmployee.
func (im *importer) supervisor(r *importRow, fileNIP map[string]*importRow) {
	if r.supNIP == nil {
		return
	}
	r.e.SupervisorID = nil
	nip := *r.supNIP
	var boss *Employee // the supervisor as they will be
	switch sup, inFile := fileNIP[nip]; {
	case nip == "":
		return
	case r.e.NIP != nil && nip == *r.e.NIP:
		im.add(r.line, colSupervisor, "supervisor.self")
		return
	case inFile && sup.old != nil:
		r.e.SupervisorID = &sup.old.ID
		boss = &Employee{ID: sup.old.ID, AgencyID: sup.e.AgencyID, Active: sup.old.Active}
	case inFile:
		r.supRow = sup
		boss = &sup.e
	case im.byNIP[nip] != nil:
		r.e.SupervisorID = &im.byNIP[nip].ID
		boss = im.byNIP[nip]
	default:
		im.add(r.line, colSupervisor, "supervisor.unknown")
		return
	}
	if r.old != nil && r.supRow == nil && eqPtr(r.old.SupervisorID, r.e.SupervisorID) {
		return
	}
	switch {
	case !boss.Active:
		im.add(r.line, colSupervisor, "supervisor.inactive")
	case r.e.AgencyID > 0 && boss.AgencyID > 0 && boss.AgencyID != r.e.AgencyID:
		im.add(r.line, colSupervisor, "supervisor.other_agency")
	}
}

// supervisorLoops refuses the rows whose chain of supervisors, as the file
// leaves it, comes back to them or runs longer than maxChain links: two
// rows naming each other, or a row naming someone below them in the
// database.
func (im *importer) supervisorLoops() {
	fileByID := map[int64]*importRow{}
	for _, r := range im.rows {
		if r.old != nil {
			fileByID[r.old.ID] = r
		}
	}
	// A link is a row of the file or, for people the file leaves alone, an
	// id in the database; the file's rows win over what the database says.
	type link struct {
		row *importRow
		id  int64
	}
	up := func(l link) (link, bool) {
		if l.row == nil {
			l.row = fileByID[l.id]
		}
		switch {
		case l.row != nil && l.row.supRow != nil:
			return link{row: l.row.supRow}, true
		case l.row != nil && l.row.e.SupervisorID != nil:
			return link{id: *l.row.e.SupervisorID}, true
		case l.row != nil:
			return link{}, false
		}
		if e := im.byID[l.id]; e != nil && e.SupervisorID != nil {
			return link{id: *e.SupervisorID}, true
		}
		return link{}, false
	}
	for _, r := range im.rows {
		if r.supNIP == nil {
			continue // the file changes no one's supervisor
		}
		l, ok := link{row: r}, true
		for range maxChain {
			if l, ok = up(l); !ok {
				break
			}
			if l.row == r || r.old != nil && l.row == nil && l.id == r.old.ID {
				im.add(r.line, colSupervisor, "supervisor.loop")
				ok = false
				break
			}
		}
		if ok {
			im.add(r.line, colSupervisor, "supervisor.loop")
		}
	}
}

// samePerson reports whether the import leaves the person as they are.
func samePerson(a, b *Employee) bool {
	return eqPtr(a.NIP, b.NIP) && a.Name == b.Name && a.FrontTitle == b.FrontTitle && a.BackTitle == b.BackTitle &&
		eqPtr(a.Email, b.Email) && eqPtr(a.Phone, b.Phone) && a.Rank == b.Rank &&
		a.EmploymentType == b.EmploymentType && a.UnitName == b.UnitName && a.PositionName == b.PositionName &&
		eqPtr(a.SupervisorID, b.SupervisorID)
}

func eqPtr[T comparable](a, b *T) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

// cleanNIP undoes what people and spreadsheets do to an NIP that is still
// whole: the apostrophe that forces text, and spaces between its groups
// ("19850315 201001 1 002").
func cleanNIP(s string) string {
	s = strings.TrimPrefix(strings.TrimSpace(s), "'")
	if IsScientific(s) {
		return s
	}
	return strings.NewReplacer(" ", "", "\u00a0", "").Replace(s)
}

// fixPhone restores the leading 0 that a spreadsheet drops from a mobile
// number it took for a number (81234567890).
func fixPhone(s string) string {
	if len(s) >= 9 && len(s) <= 12 && s[0] == '8' && strings.Trim(s, "0123456789") == "" {
		return "0" + s
	}
	return s
}

// employmentType reads "jenis pegawai" as SIMPEG and people write it.
func employmentType(s string) (string, bool) {
	switch headerKey(strings.ReplaceAll(s, "/", "")) {
	case "pns", "cpns", "asn":
		return EmploymentPNS, true
	case "pppk", "p3k", "pppkparuhwaktu":
		return EmploymentPPPK, true
	case "kontrak", "honorer", "kontrakhonorer", "honorerkontrak", "thl", "nonasn", "contract":
		return EmploymentContract, true
	case "outsourcing", "outsource", "outsourced", "alihdaya", "tenagaalihdaya":
		return EmploymentOutsourced, true
	}
	return strings.ToLower(strings.TrimSpace(s)), false
}

// frontTitles are the titles written before a name (compared in lower
// case without the dot); every other title goes after it.
var frontTitles = map[string]bool{"prof": true, "dr": true, "drg": true, "drh": true, "drs": true, "dra": true,
	"ir": true, "h": true, "hj": true, "kh": true, "apt": true, "ns": true, "bd": true}

func isFront(part string) bool {
	words := strings.Fields(part)
	for _, w := range words {
		if !frontTitles[strings.ToLower(strings.TrimSuffix(w, "."))] {
			return false
		}
	}
	return len(words) > 0
}

// SplitTitles splits one "gelar" cell into the titles before the name and
// those after it: "Dr. Ir., S.Kom., M.T." gives "Dr. Ir." and "S.Kom., M.T.".
func SplitTitles(s string) (front, back string) {
	var f, b []string
	for _, part := range strings.Split(s, ",") {
		part = clean(part)
		switch {
		case part == "":
		case len(b) == 0 && isFront(part):
			f = append(f, part)
		default:
			b = append(b, part)
		}
	}
	return strings.Join(f, " "), strings.Join(b, ", ")
}

// SplitName splits a name written with its titles: "Dr. Andi Baso, S.Kom.,
// M.T." gives "Dr.", "Andi Baso", "S.Kom., M.T.". Only the known front
// titles are taken from the start; everything after the first comma is
// back titles.
func SplitName(s string) (front, name, back string) {
	head, tail, _ := strings.Cut(s, ",")
	words := strings.Fields(head)
	i := 0
	for i < len(words)-1 && isFront(words[i]) {
		i++
	}
	_, back = SplitTitles(tail)
	return strings.Join(words[:i], " "), strings.Join(words[i:], " "), back
}
