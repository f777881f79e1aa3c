package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Rows of the data set, with ids assigned here: the database is empty, so
// the generator can number everything itself and insert in bulk without
// reading ids back.
type (
	agencyRow struct {
		ID, ParentID     int64
		Code, Name, Type string
		HeadPos          string
	}
	unitRow struct {
		ID, AgencyID int64
		Name         string
	}
	employeeRow struct {
		ID, AgencyID, UnitID, PositionID, SupervisorID int64
		NIP, Name, Front, Back, Email, Phone, Rank     string
		Type                                           string
	}
	grantRow struct {
		AccountID, AgencyID, AppID int64
		Role                       string
	}
	appRow struct {
		ID, Owner                            int64
		Slug, Name, Status, URL, Description string
		Users                                []int64
	}
)

// dataset is a whole demo world, ready to insert.
type dataset struct {
	Agencies  []agencyRow
	Units     []unitRow
	Positions []string // position i has id i+1
	Employees []employeeRow
	Grants    []grantRow // every role but the employee role each person has
	Apps      []appRow
	Super     string // the superadmin's email
}

// refMonth is the month the generated careers are counted up to. A fixed
// date keeps a seed's data the same whatever day it runs, and keeps every
// appointment in the past.
var refMonth = time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC)

// builder assembles a dataset from a world and a seed.
type builder struct {
	r         *rand.Rand
	w         world
	ds        dataset
	positions map[string]int64
	byCode    map[string]*agencyRow
	heads     map[int64]int64   // agency id → its head's employee id
	staff     map[int64][]int64 // agency id → its staff (not heads), in order
	emails    map[string]int
	nips      map[string]int
}

func build(w world, employees int, seed int64) *dataset {
	b := &builder{r: rand.New(rand.NewPCG(uint64(seed), 0x6c6f6e74617261)), w: w, positions: map[string]int64{},
		byCode: map[string]*agencyRow{}, heads: map[int64]int64{}, staff: map[int64][]int64{},
		emails: map[string]int{}, nips: map[string]int{}}
	b.agencies()
	b.people(employees)
	b.roles()
	b.apps()
	return &b.ds
}

func (b *builder) agencies() {
	for i, s := range b.w.Agencies {
		a := agencyRow{ID: int64(i + 1), Code: s.Code, Name: s.Name, Type: s.Type, HeadPos: s.Head}
		if s.Parent != "" {
			p, ok := b.byCode[s.Parent]
			if !ok {
				panic(fmt.Sprintf("demo: agency %s: parent %s not listed before it", s.Code, s.Parent))
			}
			a.ParentID = p.ID
		}
		if a.HeadPos == "" {
			a.HeadPos = headPositions[s.Type]
		}
		b.ds.Agencies = append(b.ds.Agencies, a)
		b.byCode[s.Code] = &b.ds.Agencies[len(b.ds.Agencies)-1]
	}
}

// position returns the id of a position, adding it when new.
func (b *builder) position(name string) int64 {
	if id, ok := b.positions[name]; ok {
		return id
	}
	b.ds.Positions = append(b.ds.Positions, name)
	id := int64(len(b.ds.Positions))
	b.positions[name] = id
	return id
}

// people staffs every agency in proportion to its weight, at least 15 each:
// the head first, then one head per unit, then staff in the units.
func (b *builder) people(total int) {
	sum := 0
	for _, s := range b.w.Agencies {
		sum += max(1, s.Weight)
	}
	leader := b.employee(b.byCode[b.w.Top], 0, b.w.Leader, 0, 2, "contract")
	b.heads[0] = leader.ID // heads of top-level agencies report to the leader
	for i, s := range b.w.Agencies {
		a := &b.ds.Agencies[i]
		n := max(minPerAgency, total*max(1, s.Weight)/sum)
		units := s.Units
		if len(units) == 0 {
			units = defaultUnits[s.Type]
		}
		head := b.employee(a, 0, a.HeadPos, b.heads[a.ParentID], 2, "pns")
		b.heads[a.ID] = head.ID
		unitHeads := make([]int64, len(units))
		unitIDs := make([]int64, len(units))
		for k, u := range units {
			b.ds.Units = append(b.ds.Units, unitRow{ID: int64(len(b.ds.Units) + 1), AgencyID: a.ID, Name: u})
			unitIDs[k] = int64(len(b.ds.Units))
			unitHeads[k] = b.employee(a, unitIDs[k], unitHead(u, s.Type), head.ID, 1, "pns").ID
		}
		for k := 0; k < n-1-len(units); k++ {
			u := k % len(units)
			typ := b.employmentType()
			e := b.employee(a, unitIDs[u], b.staffPosition(s, typ), unitHeads[u], 0, typ)
			b.staff[a.ID] = append(b.staff[a.ID], e.ID)
		}
	}
}

func (b *builder) employmentType() string {
	switch x := b.r.IntN(100); {
	case x < 66:
		return "pns"
	case x < 80:
		return "pppk"
	case x < 92:
		return "contract"
	default:
		return "outsourced"
	}
}

// employee adds one person and returns the row.
func (b *builder) employee(a *agencyRow, unitID int64, pos string, supervisor int64, seniority int, typ string) employeeRow {
	p := newPerson(b.r)
	e := employeeRow{ID: int64(len(b.ds.Employees) + 1), AgencyID: a.ID, UnitID: unitID, PositionID: b.position(pos),
		SupervisorID: supervisor, Name: p.Name, Type: typ, Phone: b.phone()}
	e.Front, e.Back = titles(b.r, seniority, p.Female)
	if typ == "outsourced" {
		e.Front, e.Back = "", ""
	}
	e.Email = b.email(p)
	if typ == "pns" || typ == "pppk" {
		var since time.Time
		e.NIP, since = b.nip(p.Female, seniority, typ)
		e.Rank = rank(b.r, seniority, typ, refMonth.Year()-since.Year())
	}
	b.ds.Employees = append(b.ds.Employees, e)
	return e
}

// email makes firstname.lastname@domain, numbered from the second person
// with the same name on.
func (b *builder) email(p person) string {
	local := ascii(p.First) + "." + ascii(p.Last)
	n := b.emails[local]
	b.emails[local] = n + 1
	if n > 0 {
		local += fmt.Sprintf(".%d", n)
	}
	return local + "@" + b.w.Domain
}

func (b *builder) phone() string {
	return fmt.Sprintf("+62%s%08d", pick(b.r, phonePrefixes), b.r.IntN(100_000_000))
}

// nip draws a valid NIP: a birth date giving an age of 22–58 (heads older),
// an appointment month after the 18th birthday and before refMonth (PPPK
// from 2019, when the scheme began), the sex digit and a sequence number
// that keeps it unique. It also returns the appointment month.
func (b *builder) nip(female bool, seniority int, typ string) (string, time.Time) {
	age := 22 + b.r.IntN(36)
	if seniority > 0 {
		age = 40 + b.r.IntN(18)
	}
	birth := refMonth.AddDate(-age, -b.r.IntN(12), -b.r.IntN(28))
	from := birth.AddDate(18+b.r.IntN(8), b.r.IntN(12), 0)
	if typ == "pppk" {
		from = time.Date(2019+b.r.IntN(6), time.Month(1+b.r.IntN(12)), 1, 0, 0, 0, 0, time.UTC)
	}
	if adult := birth.AddDate(18, 1, 0); from.Before(adult) {
		from = adult
	}
	if from.After(refMonth) {
		from = refMonth
	}
	sex := "1"
	if female {
		sex = "2"
	}
	prefix := birth.Format("20060102") + from.Format("200601") + sex
	b.nips[prefix]++
	return fmt.Sprintf("%s%03d", prefix, b.nips[prefix]), from
}

// rank gives a golongan fitting the person: for PNS one that grows with
// the years of service (heads IV/a and above), for PPPK a grade V–XI.
// Contract and outsourced staff have none.
func rank(r *rand.Rand, seniority int, typ string, years int) string {
	if typ == "pppk" {
		return pick(r, []string{"V", "VII", "IX", "IX", "X", "XI"})
	}
	switch {
	case seniority == 2:
		return pick(r, []string{"IV/b", "IV/c", "IV/d"})
	case seniority == 1:
		return pick(r, []string{"III/d", "IV/a", "IV/a", "IV/b"})
	case years < 4:
		return pick(r, []string{"II/a", "II/c", "III/a"})
	case years < 10:
		return pick(r, []string{"II/c", "II/d", "III/a", "III/b"})
	case years < 20:
		return pick(r, []string{"III/a", "III/b", "III/c"})
	}
	return pick(r, []string{"III/b", "III/c", "III/d", "IV/a"})
}

// unitHead names the head of a unit from the unit's kind.
func unitHead(unit, agencyType string) string {
	word, _, _ := strings.Cut(unit, " ")
	switch word {
	case "Sekretariat":
		switch agencyType {
		case "kecamatan":
			return "Sekretaris Camat"
		case "kelurahan":
			return "Sekretaris Lurah"
		}
		return "Sekretaris"
	case "Subbagian", "Bidang", "Seksi", "Bagian":
		return "Kepala " + word
	case "Asisten", "Inspektur":
		return strings.TrimSpace(strings.SplitN(unit, " Wilayah", 2)[0])
	case "Staf":
		return "Staf Ahli"
	}
	return "Koordinator"
}
