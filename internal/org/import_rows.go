package org

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
)

// What an import does to a row's person.
const (
	actNone = iota
	actCreate
	actUpdate
)

// importRow is one person of the file.
type importRow struct {
	line   int
	e      Employee  // the person as the file has them (ids of existing units and positions unresolved)
	old    *Employee // the person in the database, matched by NIP or email; nil if new
	supNIP *string   // NIP atasan when the file has the column
	supRow *importRow
	act    int
}

// importer holds a file being imported and what it needs of the database,
// loaded once so that checking 15,000 rows makes no query per row.
type importer struct {
	now      time.Time
	batch    int // rows per INSERT (batchSize)
	h        header
	scope    *int64
	byCode   map[string]Agency // by upper-case code
	byNIP    map[string]*Employee
	byEmail  map[string]*Employee
	byID     map[int64]*Employee // for walking supervisor chains
	rows     []*importRow
	problems []ImportError
	flagged  map[[2]any]bool // (line, column) already reported
}

func newImport(ctx context.Context, q db.Querier, e db.Engine, now time.Time, t table, scope *int64) (*importer, error) {
	im := newImporter(now, batchSize(e), scope)
	h, at, ok := findHeader(t)
	if !ok {
		return nil, errImportFile("import.no_header")
	}
	if err := im.load(ctx, q, t, h, at); err != nil {
		return nil, err
	}
	im.read(t, h, at)
	return im, nil
}

func newImporter(now time.Time, batch int, scope *int64) *importer {
	return &importer{now: now, batch: batch, scope: scope, byCode: map[string]Agency{}, byNIP: map[string]*Employee{},
		byEmail: map[string]*Employee{}, byID: map[int64]*Employee{}, flagged: map[[2]any]bool{}}
}

// read parses the records below the header at index at, once the
// database's agencies and people are loaded; it needs no database itself,
// so the fuzz test checks files with it alone.
func (im *importer) read(t table, h header, at int) {
	im.h = h
	for _, col := range im.requiredColumns() {
		if _, ok := h.index[col]; !ok {
			im.add(t.lines[at], col, "import.missing_column")
		}
	}
	if len(im.problems) > 0 {
		return
	}
	for i := at + 1; i < len(t.records); i++ {
		if !blank(t.records[i]) {
			im.parse(t.records[i], t.lines[i])
		}
	}
}

func (im *importer) requiredColumns() []string {
	cols := []string{colType}
	if im.scope == nil {
		cols = append(cols, colAgency)
	}
	_, nip := im.h.index[colNIP]
	_, email := im.h.index[colEmail]
	if !nip && !email {
		cols = append(cols, colNIP)
	}
	return cols
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// load reads every agency, and the people the file can be about: those
// whose NIP or email it holds, those it names as supervisors, and the
// chains of supervisors above them all, which supervisorLoops walks. Not
// every person: at ministry scale reading all 300,000 cost a file of one
// row 1 s and 474 MB.
func (im *importer) load(ctx context.Context, q db.Querier, t table, h header, at int) error {
	rows, err := q.QueryContext(ctx, agencySelect)
	if err != nil {
		return fmt.Errorf("load agencies: %w", err)
	}
	for rows.Next() {
		a, err := scanAgency(rows)
		if err != nil {
			rows.Close()
			return err
		}
		im.byCode[strings.ToUpper(a.Code)] = a
	}
	rows.Close()
	// Only values a person could hold are looked up: the rows' checks come
	// later, and PostgreSQL refuses a NUL in a query's text outright.
	nips, emails := map[string]bool{}, map[string]bool{}
	for _, rec := range t.records[at+1:] {
		for _, col := range []string{colNIP, colSupervisor} {
			if nip := cleanNIP(h.get(rec, col)); nip != "" && PlainText(nip) {
				nips[nip] = true
			}
		}
		if email := normEmail(h.get(rec, colEmail)); ValidEmail(email) {
			emails[email] = true
		}
	}
	found, err := loadWhere(ctx, q, im, "e.nip", slices.Collect(maps.Keys(nips)))
	if err != nil {
		return err
	}
	for email := range emails { // those read by their NIP are known
		if im.byEmail[email] != nil {
			delete(emails, email)
		}
	}
	more, err := loadWhere(ctx, q, im, "e.email", slices.Collect(maps.Keys(emails)))
	if err != nil {
		return err
	}
	// A level of supervisors a round, above the people the last round read.
	for found = append(found, more...); len(found) > 0; {
		above := map[int64]bool{}
		for _, e := range found {
			if id := e.SupervisorID; id != nil && im.byID[*id] == nil {
				above[*id] = true
			}
		}
		if found, err = loadWhere(ctx, q, im, "e.id", slices.Collect(maps.Keys(above))); err != nil {
			return err
		}
	}
	return nil
}

// loadWhere reads the people not read yet whose col is one of values, a
// few hundred a statement, and returns them.
func loadWhere[T string | int64](ctx context.Context, q db.Querier, im *importer, col string, values []T) ([]*Employee, error) {
	var found []*Employee
	for len(values) > 0 {
		n := min(len(values), loadBatch)
		in, args := db.InList(values[:n])
		more, err := im.loadRows(ctx, q, employeeSelect+` WHERE `+col+` IN (`+in+`)`, args...)
		if err != nil {
			return nil, err
		}
		found = append(found, more...)
		values = values[n:]
	}
	return found, nil
}

// loadBatch is how many values one statement of loadWhere looks up.
const loadBatch = 500

// loadRows reads the people a query selects into the importer's maps and
// returns those it had not read before.
func (im *importer) loadRows(ctx context.Context, q db.Querier, query string, args ...any) ([]*Employee, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("load employees: %w", err)
	}
	defer rows.Close()
	var found []*Employee
	for rows.Next() {
		e, err := scanEmployee(rows)
		if err != nil {
			return nil, err
		}
		if im.byID[e.ID] != nil {
			continue // found by NIP and by email
		}
		im.byID[e.ID] = &e
		if e.NIP != nil {
			im.byNIP[*e.NIP] = &e
		}
		if e.Email != nil {
			im.byEmail[*e.Email] = &e
		}
		found = append(found, &e)
	}
	return found, rows.Err()
}

// add records a problem, once per line and column.
func (im *importer) add(line int, col, key string, args ...any) {
	k := [2]any{line, col}
	if im.flagged[k] {
		return
	}
	im.flagged[k] = true
	im.problems = append(im.problems, ImportError{Line: line, Column: im.h.name(col), Key: key, Args: args})
}

// parse reads one record into a row: the matched person with the file's
// columns applied (columns the file lacks leave the person's value alone).
func (im *importer) parse(rec []string, line int) {
	row := &importRow{line: line}
	agencyID := im.agencyOf(rec, line)
	nip, email := cleanNIP(im.h.get(rec, colNIP)), normEmail(im.h.get(rec, colEmail))
	row.old = im.match(nip, email)
	base := Employee{AgencyID: agencyID}
	if row.old != nil {
		base = *row.old
		if agencyID != 0 && row.old.AgencyID != agencyID {
			im.add(line, colAgency, "import.moved", row.old.AgencyName)
		}
	}
	in := im.patch(rec, line).apply(base)
	in.AgencyID = max(agencyID, 0)
	row.e = in.employee()
	if row.old != nil {
		row.e.ID = row.old.ID
	}
	var v errs.Validation
	checkEmployee(&v, &row.e, im.now)
	if e := errs.As(v.Err()); e != nil {
		for _, f := range e.Fields {
			im.add(line, im.columnOf(f.Name), f.Key, f.Args...)
		}
	}
	if _, ok := im.h.index[colSupervisor]; ok {
		s := cleanNIP(im.h.get(rec, colSupervisor))
		row.supNIP = &s
	}
	im.rows = append(im.rows, row)
}

// agencyOf resolves the row's kode OPD; an agency admin's import may name
// only their agency, or leave the column empty.
func (im *importer) agencyOf(rec []string, line int) int64 {
	code := strings.ToUpper(im.h.get(rec, colAgency))
	a, ok := im.byCode[code]
	switch {
	case code == "" && im.scope != nil:
		return *im.scope
	case code == "":
		im.add(line, colAgency, "required")
	case !ok:
		im.add(line, colAgency, "agency.unknown")
	case im.scope != nil && a.ID != *im.scope:
		im.add(line, colAgency, "import.other_agency")
	default:
		return a.ID
	}
	return -1
}

// match finds the person a row is about: by NIP, else by email when the
// person so found has no NIP (staff without one, or an honorer who became
// PPPK). A row without an NIP never takes over a person who has one.
func (im *importer) match(nip, email string) *Employee {
	if e, ok := im.byNIP[nip]; ok && nip != "" {
		return e
	}
	if e, ok := im.byEmail[email]; ok && email != "" && e.NIP == nil {
		return e
	}
	return nil
}

// patch holds the columns the file has, as a change to the person.
func (im *importer) patch(rec []string, line int) EmployeePatch {
	var p EmployeePatch
	set := func(col string, dst **string, val string) {
		if _, ok := im.h.index[col]; ok {
			*dst = &val
		}
	}
	set(colNIP, &p.NIP, cleanNIP(im.h.get(rec, colNIP)))
	set(colName, &p.Name, im.h.get(rec, colName))
	set(colEmail, &p.Email, im.h.get(rec, colEmail))
	set(colPhone, &p.Phone, fixPhone(im.h.get(rec, colPhone)))
	set(colUnit, &p.UnitName, im.h.get(rec, colUnit))
	set(colPosition, &p.PositionName, im.h.get(rec, colPosition))
	set(colRank, &p.Rank, im.h.get(rec, colRank))
	if raw := im.h.get(rec, colType); raw != "" {
		t, ok := employmentType(raw)
		if !ok {
			im.add(line, colType, "import.type")
		}
		p.EmploymentType = &t
	} else {
		set(colType, &p.EmploymentType, "")
	}
	im.titles(rec, &p)
	return p
}

// titles applies the academic titles: from "gelar depan" and "gelar
// belakang" columns, else from one "gelar" column (front titles are the
// known ones such as Dr., Ir., Drs., H.; everything else goes after the
// name), else from the name itself when it carries them ("Dr. Andi Baso,
// S.Kom., M.T.").
func (im *importer) titles(rec []string, p *EmployeePatch) {
	_, front := im.h.index[colFrontTitle]
	_, back := im.h.index[colBackTitle]
	_, one := im.h.index[colTitles]
	switch {
	case front || back:
		f, b := im.h.get(rec, colFrontTitle), im.h.get(rec, colBackTitle)
		p.FrontTitle, p.BackTitle = &f, &b
	case one:
		f, b := SplitTitles(im.h.get(rec, colTitles))
		p.FrontTitle, p.BackTitle = &f, &b
	case p.Name != nil:
		f, n, b := SplitName(*p.Name)
		if f != "" || b != "" {
			p.FrontTitle, p.Name, p.BackTitle = &f, &n, &b
		}
	}
}

// columnOf names the column a validation field came from.
func (im *importer) columnOf(field string) string {
	switch field {
	case "front_title", "back_title":
		for _, c := range []string{colFrontTitle, colBackTitle, colTitles} {
			if _, ok := im.h.index[c]; ok {
				return c
			}
		}
		return colName
	}
	if c, ok := fieldColumns[field]; ok {
		return c
	}
	return field
}

var fieldColumns = map[string]string{
	"nip": colNIP, "name": colName, "email": colEmail, "phone": colPhone, "unit_name": colUnit,
	"position_name": colPosition, "rank": colRank, "employment_type": colType, "agency_id": colAgency,
	"supervisor_id": colSupervisor,
}

// agencies lists the agencies the rows touch.
func (im *importer) agencies() []int64 {
	var ids []int64
	for _, r := range im.rows {
		if !slices.Contains(ids, r.e.AgencyID) {
			ids = append(ids, r.e.AgencyID)
		}
	}
	return ids
}

func (im *importer) count(act int) int {
	n := 0
	for _, r := range im.rows {
		if r.act == act {
			n++
		}
	}
	return n
}
