package demo

// world is everything a scale's data set is made from.
type world struct {
	Domain   string // the email domain
	Agencies []agencySpec
	Apps     []appSpec
	IT       string   // the agency of the help desk, the expert team and the superadmin
	Top      string   // the secretariat whose head is an executive
	Leader   string   // the leader's position (Wali Kota), listed in the Top agency
	Trainers []string // agencies where trainers are placed
}

const (
	minPerAgency = 15
	agents       = 8
	experts      = 5
)

// The positions heads hold and the units an agency has, by agency type,
// where the spec names none.
var (
	headPositions = map[string]string{"dinas": "Kepala Dinas", "badan": "Kepala Badan", "sekretariat": "Sekretaris",
		"bagian": "Kepala Bagian", "kecamatan": "Camat", "kelurahan": "Lurah", "upt": "Kepala UPT",
		"other": "Kepala Kantor"}
	defaultUnits = map[string][]string{
		"dinas": {"Sekretariat", "Subbagian Umum dan Kepegawaian", "Bidang Perencanaan dan Program",
			"Bidang Pelayanan", "Bidang Pembinaan dan Pengawasan"},
		"badan": {"Sekretariat", "Subbagian Umum dan Kepegawaian", "Bidang Perencanaan", "Bidang Pengendalian dan Evaluasi",
			"Bidang Data dan Informasi"},
		"sekretariat": {"Bagian Umum", "Bagian Perencanaan dan Keuangan", "Bagian Hukum dan Kerja Sama"},
		"bagian":      {"Subbagian Perencanaan", "Subbagian Pelaksanaan", "Subbagian Evaluasi dan Pelaporan"},
		"kecamatan": {"Sekretariat", "Subbagian Umum", "Seksi Pemerintahan", "Seksi Ketenteraman dan Ketertiban Umum",
			"Seksi Pelayanan Umum", "Seksi Pemberdayaan Masyarakat"},
		"kelurahan": {"Sekretariat", "Seksi Pemerintahan dan Ketertiban", "Seksi Pemberdayaan Masyarakat"},
		"upt":       {"Subbagian Tata Usaha", "Seksi Pelayanan", "Seksi Operasional"},
		"other":     {"Sekretariat", "Subbagian Umum", "Bidang Operasional", "Bidang Pengawasan"},
	}
	// Staff positions: civil servants' functional posts, with health and
	// school posts where they belong and support posts for hired staff.
	staffPositions = []string{"Analis Kebijakan", "Pranata Komputer", "Pengelola Data", "Analis Sistem Informasi",
		"Pengadministrasi Umum", "Bendahara", "Perencana", "Arsiparis", "Staf", "Staf", "Pengelola Keuangan",
		"Pengelola Layanan Operasional", "Analis Sumber Daya Manusia Aparatur", "Pengadministrasi Perkantoran"}
	itPositions      = []string{"Pranata Komputer", "Analis Sistem Informasi", "Pengelola Data", "Pranata Komputer", "Sandiman", "Statistisi"}
	healthPositions  = []string{"Dokter", "Perawat", "Bidan", "Apoteker", "Sanitarian", "Nutrisionis", "Perawat"}
	contractPosition = []string{"Tenaga Pendukung Teknis", "Operator Komputer", "Staf", "Tenaga Ahli"}
	outsourced       = []string{"Pengemudi", "Petugas Kebersihan", "Petugas Keamanan", "Pramu Bakti"}
)

// staffPosition draws a position for a staff member of the agency.
func (b *builder) staffPosition(s agencySpec, typ string) string {
	switch {
	case typ == "outsourced":
		return pick(b.r, outsourced)
	case typ == "contract":
		return pick(b.r, contractPosition)
	case s.Code == b.w.IT || s.Parent == b.w.IT:
		return pick(b.r, itPositions)
	case s.Head == "Kepala Puskesmas" || s.Code == "DINKES":
		if b.r.IntN(3) > 0 {
			return pick(b.r, healthPositions)
		}
	}
	return pick(b.r, staffPositions)
}

// roles grants the roles beyond "employee" (which every person has): a head
// and an admin per agency, the executives, the help desk agents and the
// expert team from the IT agency, trainers, and the superadmin.
func (b *builder) roles() {
	for _, a := range b.ds.Agencies {
		b.grant(b.heads[a.ID], "agency_head", a.ID)
		if st := b.staff[a.ID]; len(st) > 0 {
			b.grant(st[0], "agency_admin", a.ID)
		}
	}
	it, top := b.byCode[b.w.IT], b.byCode[b.w.Top]
	for _, id := range []int64{b.heads[0], b.heads[top.ID], b.heads[it.ID]} {
		b.grant(id, "executive", 0)
	}
	st := b.staff[it.ID]
	for i := 1; i < len(st) && i <= agents+experts; i++ {
		role := "agent"
		if i > agents {
			role = "expert"
		}
		b.grant(st[i], role, 0)
	}
	for _, code := range b.w.Trainers {
		if a, ok := b.byCode[code]; ok {
			st := b.staff[a.ID]
			for i := len(st) - 1; i >= 0 && i >= len(st)-2; i-- {
				b.grant(st[i], "trainer", a.ID)
			}
		}
	}
	b.ds.Super = "superadmin@" + b.w.Domain
	sa := b.employee(it, 0, "Pranata Komputer Ahli Madya", b.heads[it.ID], 1, "pns")
	b.ds.Employees[len(b.ds.Employees)-1].Email = b.ds.Super
	b.grant(sa.ID, "superadmin", 0)
}

func (b *builder) grant(employeeID int64, role string, agencyID int64) {
	b.ds.Grants = append(b.ds.Grants, grantRow{AccountID: employeeID, Role: role, AgencyID: agencyID})
}

// apps fills the catalog with the world's applications and names an
// operator for each in every agency that uses it (two in the owner).
func (b *builder) apps() {
	for _, s := range b.w.Apps {
		owner, ok := b.byCode[s.Owner]
		if !ok {
			continue
		}
		a := appRow{ID: int64(len(b.ds.Apps) + 1), Owner: owner.ID, Slug: s.Slug, Name: s.Name, Status: s.Status,
			URL: s.URL, Description: s.Description}
		if len(s.Users) == 1 && s.Users[0] == "*" {
			for _, ag := range b.ds.Agencies {
				a.Users = append(a.Users, ag.ID)
			}
		} else {
			for _, code := range s.Users {
				if ag, ok := b.byCode[code]; ok {
					a.Users = append(a.Users, ag.ID)
				}
			}
		}
		for _, ag := range a.Users {
			st := b.staff[ag]
			n := 1
			if ag == owner.ID {
				n = 2
			}
			for k := range min(n, len(st)) {
				acct := st[(int(a.ID)*7+1+k)%len(st)]
				b.ds.Grants = append(b.ds.Grants, grantRow{AccountID: acct, Role: "operator", AgencyID: ag, AppID: a.ID})
			}
		}
		b.ds.Apps = append(b.ds.Apps, a)
	}
}
