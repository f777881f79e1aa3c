package demo

import (
	"math/rand/v2"
	"strings"
	"unicode"
)

// Name parts, Bugis-Makassar and wider Indonesian, combined by the seeded
// generator. A few carry apostrophes (Nur'aini, Ma'ruf) on purpose: they
// must survive every layer unchanged.
var (
	maleNames = []string{"Muhammad", "Ahmad", "Abdul", "Rahmat", "Syamsul", "Irwan", "Arief", "Hasanuddin", "Baso",
		"Fadli", "Ilham", "Rizal", "Syahrir", "Taufik", "Zulkifli", "Amiruddin", "Jusman", "Haris", "Budi", "Agus",
		"Eko", "Dedi", "Hendra", "Yusuf", "Ismail", "Ridwan", "Fajar", "Bayu", "Aswar", "Akbar", "Nasrullah",
		"Ma'ruf", "Imran", "Jufri", "Kamaruddin", "Mustafa", "Nurdin", "Saiful", "Darmawan", "Erwin", "Wahyu",
		"Firman", "Gunawan", "Herman", "Iqbal", "Lukman", "Mansyur", "Rusdi", "Sudirman", "Yahya", "Andi Muhammad",
		"Andi Baso", "La Ode", "Petta", "Arung", "Anwar", "Basri", "Hamka", "Ikhsan", "Ma'mun"}
	femaleNames = []string{"Sitti", "Nur'aini", "Nurhayati", "Besse", "Rahmawati", "Sri", "Dewi", "Fitri", "Hasnah",
		"Indah", "Kartini", "Lestari", "Marlina", "Nurul", "Putri", "Risma", "Sumarni", "Wahyuni", "Yuliana", "Zainab",
		"Ayu", "Dian", "Eka", "Fatimah", "Halimah", "Irma", "Jumriah", "Kasmawati", "Mardiana", "Nurlina", "Rosmini",
		"Suriani", "Tenri", "Uleng", "Asmirah", "Hartati", "Ramlah", "Syamsiah", "Faridah", "Andi Tenri",
		"Andi Besse", "Wa Ode", "Rezki", "Mutmainnah", "Nur Afni", "St. Aisyah", "Ni'mah", "Hijrah", "Sulastri",
		"Ratna"}
	familyNames = []string{"Syamsuddin", "Hidayat", "Rahman", "Amir", "Hamid", "Bakri", "Latif", "Pratama", "Saputra",
		"Wijaya", "Kurniawan", "Santoso", "Lubis", "Siregar", "Nasution", "Rasyid", "Makmur", "Jafar", "Arsyad",
		"Tahir", "Ramli", "Said", "Yunus", "Sanusi", "Mattalitti", "Paturusi", "Pawallangi", "Mappaseng", "Karaeng",
		"Mangngassai", "Patunru", "Sompa", "Sila", "Nur", "Ilyas", "Mallombasi", "Tenriangke", "Palallo", "Mappiare",
		"Sunusi", "Asri", "Lantara", "Baharuddin", "Hasyim", "Usman", "Idris", "Mappatoba", "Rauf", "Salam",
		"Sulaiman", "Massinai", "Lamba", "Dahlan", "Ambo", "Pananrangi", "Sikki", "Parewa", "Hakim"}
	daengNames = []string{"Dg. Ngai", "Dg. Tutu", "Dg. Kebo", "Dg. Sikki", "Dg. Baji", "Dg. Ngasseng", "Dg. Tata",
		"Dg. Sanga", "Dg. Ngerang", "Dg. Bollo"}
	frontTitles = []string{"Dr.", "Ir.", "Drs.", "Dra."}
	backTitles  = []string{"S.Kom.", "S.T.", "S.E.", "S.H.", "S.Sos.", "S.IP.", "S.Pd.", "S.Ak.", "S.Kep., Ns.",
		"A.Md.", "A.Md.Kom.", "S.E., M.Si.", "S.Kom., M.T.", "S.Kom."}
	// Heads have a master's degree more often than not.
	seniorTitles = []string{"S.E., M.Si.", "S.Kom., M.T.", "S.H., M.H.", "S.Sos., M.Si.", "S.T., M.T.", "S.IP., M.Si.",
		"S.KM., M.Kes.", "S.Pd., M.Pd.", "S.E., M.M.", "M.Si.", "S.STP., M.AP."}
	phonePrefixes = []string{"811", "812", "813", "821", "822", "823", "852", "853", "855", "856", "857", "877", "878",
		"895"}
)

// person is a generated name with its sex.
type person struct {
	Name, First, Last string
	Female            bool
}

// newPerson draws a name: a given name, sometimes a Makassar "daeng" name,
// and a family name.
func newPerson(r *rand.Rand) person {
	p := person{Female: r.IntN(2) == 1}
	if p.Female {
		p.First = pick(r, femaleNames)
	} else {
		p.First = pick(r, maleNames)
	}
	p.Last = pick(r, familyNames)
	parts := []string{p.First}
	if r.IntN(12) == 0 {
		parts = append(parts, pick(r, daengNames))
	}
	p.Name = strings.Join(append(parts, p.Last), " ")
	return p
}

// titles draws academic titles for a person of the given seniority (0
// staff, 1 unit head, 2 agency head); most staff have a degree, some none.
func titles(r *rand.Rand, seniority int, female bool) (front, back string) {
	if r.IntN(10) < 2-seniority {
		return "", ""
	}
	if seniority > 0 && r.IntN(8) == 0 {
		front = frontTitles[r.IntN(2)] // Dr. or Ir.
		if r.IntN(2) == 0 {
			front = frontTitles[2]
			if female {
				front = frontTitles[3]
			}
		}
	}
	if seniority > 0 && r.IntN(4) > 0 {
		return front, pick(r, seniorTitles)
	}
	return front, pick(r, backTitles)
}

func pick(r *rand.Rand, list []string) string { return list[r.IntN(len(list))] }

// ascii folds a name part for an email address: letters and digits only,
// lowercase ("Nur'aini" → "nuraini", "St. Aisyah" → "staisyah").
func ascii(s string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		if c < unicode.MaxASCII && (unicode.IsLetter(c) || unicode.IsDigit(c)) {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// codeOf turns a place name into an agency code part: "Ujung Pandang" →
// "UJUNG-PANDANG", "Pa'baeng-baeng" → "PABAENG-BAENG".
func codeOf(name string) string {
	var b strings.Builder
	for _, w := range strings.FieldsFunc(name, func(c rune) bool { return c == ' ' || c == '-' }) {
		if b.Len() > 0 {
			b.WriteByte('-')
		}
		b.WriteString(strings.ToUpper(ascii(w)))
	}
	return b.String()
}
