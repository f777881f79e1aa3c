package ledger_test

import (
	"context"
	"database/sql"
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/ledger"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// employeeID returns the person behind an email.
func employeeID(t *testing.T, d *db.DB, email string) int64 {
	t.Helper()
	var id int64
	if err := d.R.QueryRow(`SELECT id FROM employees WHERE email = $1`, email).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// record puts jp of finished learning in a person's ledger at at.
func record(t *testing.T, d *db.DB, person int64, title string, jp int, source int64, at time.Time) {
	t.Helper()
	ctx := context.Background()
	if err := d.Tx(ctx, func(tx *sql.Tx) error {
		return ledger.Record(ctx, tx, ledger.Entry{EmployeeID: person, Kind: "bimtek", Title: title, JP: jp,
			SourceKind: ledger.SourceEnrolment, SourceID: 1000 + source, CompletedAt: at})
	}); err != nil {
		t.Fatal(err)
	}
}

func TestTheLedgerShowsEachPersonAgencyAndTheCityAgainstTheTarget(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		kominfo := h.Agency(t, "DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		h.Agency(t, "BAPENDA", "Badan Pendapatan Daerah", "badan")
		pw := h.Users(t,
			servertest.Person{Email: "ahli@makassarkota.go.id", Name: "Tim Ahli", Role: policy.Expert},
			servertest.Person{Email: "admin@kominfo.go.id", Name: "Admin Kominfo", Role: policy.AgencyAdmin, Agency: "DISKOMINFO"},
			servertest.Person{Email: "nuraini@kominfo.go.id", Name: "Nur'aini", Role: policy.Employee, Agency: "DISKOMINFO"},
			servertest.Person{Email: "dottorota@bapenda.go.id", Name: "Dottoro'ta", Role: policy.Employee, Agency: "BAPENDA"},
		)
		nur, dottorota := employeeID(t, d, "nuraini@kominfo.go.id"), employeeID(t, d, "dottorota@bapenda.go.id")
		now := time.Now().UTC()
		record(t, d, nur, "Bimtek SIPD", 16, 1, now.Add(-time.Hour))
		record(t, d, nur, "Bimtek tahun lalu", 8, 2, now.AddDate(-1, 0, 0))
		module, err := db.InsertID(context.Background(), d.W, `INSERT INTO activities (kind, title, jp, link, created_at,
			updated_at) VALUES ('self_study', 'Modul keamanan informasi', 4, 'https://belajar.example/keamanan', $1, $1)
			RETURNING id`, now)
		if err != nil {
			t.Fatal(err)
		}
		nurToken := h.Token(t, "nuraini@kominfo.go.id")

		var mine ledger.Person
		r := h.Do(t, "GET", "/api/v1/employees/"+strconv.FormatInt(nur, 10)+"/jp", nurToken, nil, "")
		r.JSON(t, &mine)
		if r.Status != http.StatusOK || mine.JP != 16 || mine.Target != 20 || len(mine.Lines) != 1 || mine.Name != "Nur'aini" {
			t.Fatalf("own ledger: %d %+v", r.Status, mine)
		}
		if h.Do(t, "GET", "/api/v1/employees/"+strconv.FormatInt(dottorota, 10)+"/jp", nurToken, nil, "").Status != http.StatusNotFound {
			t.Error("a person reads another agency's person's ledger")
		}
		servertest.ProblemFields(t, h.Do(t, "GET", "/api/v1/jp?year=abc", nurToken, nil, ""), http.StatusUnprocessableEntity, "year")
		servertest.Problem(t, h.Do(t, "GET", "/api/v1/jp", nurToken, nil, ""), http.StatusForbidden)

		// Self-study: a reflection too short, then done, then not twice.
		path := "/api/v1/self-study/" + strconv.FormatInt(module, 10) + "/completion"
		servertest.ProblemFields(t, h.Do(t, "POST", path, nurToken, map[string]string{"reflection": "sudah"}, ""),
			http.StatusUnprocessableEntity, "reflection")
		reflection := map[string]string{"reflection": "Saya belajar membuat kata sandi yang kuat dan mengenali surel phishing."}
		if r := h.Do(t, "POST", path, nurToken, reflection, ""); r.Status != http.StatusCreated {
			t.Fatalf("complete: %d %s", r.Status, r.Body)
		}
		servertest.Problem(t, h.Do(t, "POST", path, nurToken, reflection, ""), http.StatusConflict)
		r = h.Do(t, "GET", "/api/v1/employees/"+strconv.FormatInt(nur, 10)+"/jp", nurToken, nil, "")
		r.JSON(t, &mine)
		if mine.JP != 20 || mine.Status != ledger.StatusMet {
			t.Errorf("after the module: %d JP %s, want 20 met", mine.JP, mine.Status)
		}

		// The agency admin sees their agency, fewest JP first; not the city.
		admin := h.Token(t, "admin@kominfo.go.id")
		var list struct{ Items []ledger.PersonRow }
		r = h.Do(t, "GET", "/api/v1/jp?agency_id="+strconv.FormatInt(kominfo.ID, 10), admin, nil, "")
		r.JSON(t, &list)
		if r.Status != http.StatusOK || len(list.Items) != 2 || list.Items[0].JP != 0 || list.Items[1].Name != "Nur'aini" {
			t.Fatalf("agency list: %d %s", r.Status, r.Body)
		}
		servertest.Problem(t, h.Do(t, "GET", "/api/v1/jp/agencies", admin, nil, ""), http.StatusForbidden)

		// The expert team sees the city and raises the target.
		expert := h.SignIn(t, "ahli@makassarkota.go.id", pw["ahli@makassarkota.go.id"])
		expert.Get("/pelatihan/jp").Want(t, http.StatusOK, "city", "Badan Pendapatan Daerah", "Dinas Komunikasi dan Informatika")
		year := strconv.Itoa(time.Now().In(time.FixedZone("WITA", 8*3600)).Year())
		expert.PostForm("/pelatihan/jp/target", url.Values{"year": {year}, "jp": {"24"}}).
			Redirects(t, "target", "/pelatihan/jp?tahun="+year)
		var city ledger.City
		r = h.Do(t, "GET", "/api/v1/jp/agencies", h.Token(t, "ahli@makassarkota.go.id"), nil, "")
		r.JSON(t, &city)
		if city.Year.Target != 24 || city.Total.People != 4 || city.Total.Met != 0 || city.Total.JP != 20 || len(city.Agencies) != 3 {
			t.Errorf("city: %s", r.Body)
		}
		page := expert.Get("/pelatihan/jp.csv?opd=" + strconv.FormatInt(kominfo.ID, 10))
		rows, err := csv.NewReader(strings.NewReader(page.Body)).ReadAll()
		if err != nil || page.Status != http.StatusOK || len(rows) != 3 || rows[0][3] != "Nama" || rows[2][3] != "Nur'aini" || rows[2][4] != "20" {
			t.Errorf("CSV: %d %v %q", page.Status, err, page.Body)
		}

		// The agency admin lands on their agency, and opens a person.
		adminPage := h.SignIn(t, "admin@kominfo.go.id", pw["admin@kominfo.go.id"])
		adminPage.Get("/pelatihan/jp").Redirects(t, "agency admin", "/pelatihan/jp?opd="+strconv.FormatInt(kominfo.ID, 10))
		adminPage.Get("/pelatihan/jp?opd="+strconv.FormatInt(kominfo.ID, 10)+"&tertinggal=1").
			Want(t, http.StatusOK, "agency, behind", "Admin Kominfo", "Tertinggal")
		adminPage.Get("/pelatihan/jp/pegawai/"+strconv.FormatInt(nur, 10)).Want(t, http.StatusOK, "a person", "JP Nur&#39;aini", "Bimtek SIPD")
		adminPage.Get("/pelatihan/jp/pegawai/"+strconv.FormatInt(dottorota, 10)).Want(t, http.StatusNotFound, "another agency's person")
		adminPage.Get("/pelatihan/jp?opd=999").Want(t, http.StatusForbidden, "another agency")

		// A person without a wider view lands on their own ledger.
		nurPage := h.SignIn(t, "nuraini@kominfo.go.id", pw["nuraini@kominfo.go.id"])
		nurPage.Get("/pelatihan/jp").Redirects(t, "employee", "/pelatihan/jp/saya")
		nurPage.Get("/pelatihan/jp/saya").Want(t, http.StatusOK, "mine", "Bimtek SIPD", "Modul keamanan informasi", "20 dari 24 JP")
		nurPage.Get("/pelatihan/jp/mandiri").Want(t, http.StatusOK, "modules", "Batalkan tanda selesai")
		nurPage.PostForm("/pelatihan/jp/mandiri/"+strconv.FormatInt(module, 10)+"/batal", nil).
			Redirects(t, "undo", "/pelatihan/jp/mandiri")
		nurPage.PostForm("/pelatihan/jp/mandiri/"+strconv.FormatInt(module, 10)+"/selesai",
			url.Values{"reflection": {"pendek"}}).Want(t, http.StatusUnprocessableEntity, "short reflection", "paling sedikit 20 karakter")

		// Learning done outside Lontara: the agency's admin records it, the
		// person may not record their own.
		personPage := "/pelatihan/jp/pegawai/" + strconv.FormatInt(nur, 10)
		adminPage.Get(personPage).Want(t, http.StatusOK, "the form", "Catat pembelajaran di luar Lontara")
		today := time.Now().In(time.FixedZone("WITA", 8*3600)).Format(time.DateOnly)
		adminPage.PostForm(personPage+"/catat", url.Values{"title": {"Pelatihan kepemimpinan"}, "kind": {"course"},
			"jp": {"500"}, "completed_on": {"2999-01-01"}}).
			Want(t, http.StatusUnprocessableEntity, "bad record", "harus antara 1 dan 200 JP", "tidak boleh di masa depan")
		adminPage.PostForm(personPage+"/catat", url.Values{"title": {"Diklat SIPD daring"}, "kind": {"course"}, "jp": {"6"},
			"provider": {"Kementerian Dalam Negeri"}, "evidence": {"No. 123/SIPD/2026"}, "completed_on": {today}}).
			Redirects(t, "record", personPage)
		adminPage.Get(personPage).Want(t, http.StatusOK, "recorded", "Diklat SIPD daring", "Kementerian Dalam Negeri", "No. 123/SIPD/2026")
		servertest.Problem(t, h.Do(t, "POST", "/api/v1/employees/"+strconv.FormatInt(nur, 10)+"/jp", nurToken,
			ledger.External{Kind: "course", Title: "Kursus saya", JP: 40, CompletedOn: today}, ""), http.StatusForbidden)
		var line ledger.Line
		expertToken := h.Token(t, "ahli@makassarkota.go.id")
		r = h.Do(t, "POST", "/api/v1/employees/"+strconv.FormatInt(dottorota, 10)+"/jp", expertToken,
			ledger.External{Kind: "online_meeting", Title: "Webinar Dottoro'ta", JP: 2, CompletedOn: today}, "")
		r.JSON(t, &line)
		if r.Status != http.StatusCreated || line.ExternalRef() == 0 || line.Title != "Webinar Dottoro'ta" {
			t.Fatalf("record by the expert team: %d %s", r.Status, r.Body)
		}
		if r := h.Do(t, "DELETE", "/api/v1/employees/"+strconv.FormatInt(dottorota, 10)+"/jp/"+
			strconv.FormatInt(line.ExternalRef(), 10), expertToken, nil, ""); r.Status != http.StatusNoContent {
			t.Errorf("forget: %d %s", r.Status, r.Body)
		}
		var dot ledger.Person
		h.Do(t, "GET", "/api/v1/employees/"+strconv.FormatInt(dottorota, 10)+"/jp", expertToken, nil, "").JSON(t, &dot)
		h.Do(t, "GET", "/api/v1/employees/"+strconv.FormatInt(nur, 10)+"/jp", nurToken, nil, "").JSON(t, &mine)
		if dot.JP != 0 || mine.JP != 22 {
			t.Errorf("after recording and forgetting: Dottoro'ta %d JP, Nur'aini %d JP; want 0 and 22", dot.JP, mine.JP)
		}
	})
}

func TestTheJPListShowsANIPOnlyToThoseWhoMaySeeIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		kominfo := h.Agency(t, "DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		pw := h.Users(t,
			servertest.Person{Email: "admin@kominfo.go.id", Name: "Admin Kominfo", Role: policy.AgencyAdmin, Agency: "DISKOMINFO"},
			servertest.Person{Email: "pelatih@kominfo.go.id", Name: "Pelatih Kominfo", Role: policy.Trainer, Agency: "DISKOMINFO"},
			servertest.Person{Email: "nuraini@kominfo.go.id", Name: "Nur'aini", Role: policy.Employee, Agency: "DISKOMINFO"},
		)
		const nip = "199001012015032001"
		if _, err := d.W.Exec(`UPDATE employees SET nip = $1, employment_type = 'pns' WHERE email = 'nuraini@kominfo.go.id'`, nip); err != nil {
			t.Fatal(err)
		}
		list := "/api/v1/jp?agency_id=" + strconv.FormatInt(kominfo.ID, 10)
		r := h.Do(t, "GET", list, h.Token(t, "pelatih@kominfo.go.id"), nil, "")
		if r.Status != http.StatusOK || !strings.Contains(string(r.Body), "Nur'aini") || strings.Contains(string(r.Body), nip) {
			t.Errorf("the trainer's list: %d %s", r.Status, r.Body)
		}
		if r := h.Do(t, "GET", list, h.Token(t, "admin@kominfo.go.id"), nil, ""); !strings.Contains(string(r.Body), nip) {
			t.Errorf("the admin's list lacks the NIP: %s", r.Body)
		}
		trainer := h.SignIn(t, "pelatih@kominfo.go.id", pw["pelatih@kominfo.go.id"])
		page := trainer.Get("/pelatihan/jp?opd=" + strconv.FormatInt(kominfo.ID, 10))
		page.Want(t, http.StatusOK, "the trainer's page", "Nur&#39;aini")
		page.Lacks(t, "the trainer's page", nip)
		file := trainer.Get("/pelatihan/jp.csv?opd=" + strconv.FormatInt(kominfo.ID, 10))
		file.Want(t, http.StatusOK, "the trainer's CSV", "Nur'aini")
		file.Lacks(t, "the trainer's CSV", nip)

		// A year without learning is named as the year chosen.
		last := strconv.Itoa(time.Now().Year() - 1)
		h.SignIn(t, "nuraini@kominfo.go.id", pw["nuraini@kominfo.go.id"]).Get("/pelatihan/jp/saya?tahun="+last).
			Want(t, http.StatusOK, "an empty year", "Belum ada pembelajaran yang tercatat pada tahun "+last)
	})
}
