package dashboard_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/org"
	"github.com/lontara-id/lontara/internal/pdf/pdftest"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

const (
	exec  = "wali@makassarkota.go.id"
	head  = "kepala@bapenda.makassarkota.go.id"
	staff = "staf@bapenda.makassarkota.go.id"
)

// seed makes two agencies and the people reading their dashboards, and a
// closed LO campaign of last quarter: five answers in the first (its
// weakest dimension embedded systems), two in the second (hidden).
func seed(t *testing.T, d *db.DB) (*servertest.Harness, org.Agency, org.Agency, map[string]string) {
	t.Helper()
	h := servertest.Start(t, d)
	a := h.Agency(t, "BAPENDA", "Badan Pendapatan Daerah Dottoro'ta", "badan")
	b := h.Agency(t, "DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
	pw := h.Users(t,
		servertest.Person{Email: exec, Name: "Wali Kota", Role: policy.Executive},
		servertest.Person{Email: head, Name: "Nur'aini", Role: policy.AgencyHead, Agency: "BAPENDA"},
		servertest.Person{Email: staff, Name: "Staf", Role: policy.Employee, Agency: "BAPENDA"})
	last := time.Now().AddDate(0, -3, 0)
	q := fmt.Sprintf("%d-Q%d", last.Year(), (int(last.Month())-1)/3+1)
	// Two small agencies of a kind, hidden, and together at least 5: the
	// city total less Bapenda's gives neither away, so Bapenda shows.
	c := h.Agency(t, "DISPORA", "Dinas Pemuda dan Olahraga", "dinas")
	dbtest.LOCampaign(t, d, q, time.Now().Add(-time.Hour), map[int64][]int{a.ID: {5, 5, 4, 4, 6}, b.ID: {3, 3}, c.ID: {4, 4, 4}})
	if _, err := d.W.Exec(`UPDATE survey_answers SET value = 2
		WHERE item_id IN (SELECT id FROM survey_items WHERE dimension = 'embedded_system')
		AND response_id IN (SELECT id FROM survey_responses WHERE agency_id = $1)`, a.ID); err != nil {
		t.Fatal(err)
	}
	return h, a, b, pw
}

func TestTheCityDashboardRanksAgenciesWithTheirWeakestDimension(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h, a, b, pw := seed(t, d)
		c := h.SignIn(t, exec, pw[exec])
		p := c.Get("/dasbor")
		weak := fmt.Sprintf(`/dasbor/opd/%d/dimensi/embedded_system?period=`, a.ID)
		p.Want(t, http.StatusOK, "the city dashboard", `id="city-index"`, "Badan Pendapatan Daerah Dottoro&#39;ta",
			"Dinas Komunikasi dan Informatika", weak, `role="img"`, "<desc id=", `class="visually-hidden"`,
			"Peringkat OPD menurut indeks", "disembunyikan: kurang dari 5 responden", `href="/indeks/rumus"`,
			`href="/dasbor/unduh?format=csv&amp;period=`, fmt.Sprintf(`href="/dasbor/opd/%d?period=`, b.ID),
			`<a href="/dasbor" aria-current="page">Dasbor</a>`)
		if main := p.Body[strings.Index(p.Body, "<main"):]; strings.Contains(main, "<script") {
			t.Error("the dashboard's content carries a script")
		}
		// The agency with answers is ranked above the hidden one.
		if i, j := strings.Index(p.Body, "Badan Pendapatan Daerah Dottoro&#39;ta</a>"), strings.Index(p.Body, "Dinas Komunikasi dan Informatika</a>"); i < 0 || j < 0 || i > j {
			t.Errorf("ranking order: %d, %d", i, j)
		}
		period := regexp.MustCompile(`embedded_system\?period=([0-9A-Z-]+)`).FindStringSubmatch(p.Body)[1]

		csv := c.Get("/dasbor/unduh?format=csv&period=" + period)
		csv.Want(t, http.StatusOK, "the CSV", "Peringkat OPD menurut indeks", "Badan Pendapatan Daerah Dottoro'ta",
			"Sistem untuk menangkap dan berbagi pembelajaran", "Rumus dan masukan", "Perkembangan dari periode ke periode")
		if got := csv.Header.Get("Content-Type"); !strings.HasPrefix(got, "text/csv") {
			t.Errorf("CSV type %q", got)
		}
		x := c.Get("/dasbor/unduh?format=xlsx&period=" + period)
		if x.Status != http.StatusOK || !strings.HasPrefix(x.Body, "PK") {
			t.Errorf("XLSX: %d %.40q", x.Status, x.Body)
		}

		year := strings.Split(period, "-")[0]
		c.Get("/dasbor?period="+year).Want(t, http.StatusOK, "a year's dashboard", "Dasbor kota — organisasi pembelajar "+year)
		dim := c.Get(weak + period)
		dim.Want(t, http.StatusOK, "the weakest dimension's page", "Sistem untuk menangkap dan berbagi pembelajaran",
			"dimensi terlemah OPD ini", "Langkah yang disarankan", `href="/pengetahuan/baru"`,
			"Artikel terbit per 100 pegawai", "Rata-rata kota (1–6)", `id="dim-mean"><strong>2,00</strong>`)

		agency := c.Get(fmt.Sprintf("/dasbor/opd/%d?period=%s", b.ID, period))
		agency.Want(t, http.StatusOK, "the hidden agency", "disembunyikan: kurang dari 5 responden", "← Dasbor kota")
		agency.Lacks(t, "the hidden agency", `id="weakest-link"`)
	})
}

func TestAnAgencyHeadSeesOnlyTheirOwnDashboard(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h, a, b, pw := seed(t, d)
		c := h.SignIn(t, head, pw[head])
		c.Get("/dasbor?period=2026-Q1").Redirects(t, "a head on /dasbor", fmt.Sprintf("/dasbor/opd/%d?period=2026-Q1", a.ID))
		own := c.Get(fmt.Sprintf("/dasbor/opd/%d", a.ID))
		own.Want(t, http.StatusOK, "the head's own dashboard", "Badan Pendapatan Daerah Dottoro&#39;ta", `id="weakest-link"`,
			fmt.Sprintf(`href="/pelatihan/jp?opd=%d&amp;tahun=`, a.ID), fmt.Sprintf(`href="/kompetensi/kesenjangan?opd=%d"`, a.ID),
			fmt.Sprintf(`/layanan/laporan?agency_id=%d&amp;from=`, a.ID), `id="report-pdf"`, "Skor setiap masukan")
		own.Lacks(t, "the head's own dashboard", "Rata-rata kota", "← Dasbor kota", "Kota:")
		for _, path := range []string{"/dasbor/opd/%d", "/dasbor/opd/%d/laporan.pdf", "/dasbor/opd/%d/unduh?format=csv",
			"/dasbor/opd/%d/dimensi/team_learning"} {
			if p := c.Get(fmt.Sprintf(path, b.ID)); p.Status != http.StatusForbidden {
				t.Errorf("a head on %s of another agency: %d", path, p.Status)
			}
		}
		if p := c.Get("/dasbor/unduh?format=csv"); p.Status != http.StatusForbidden {
			t.Errorf("a head downloading the city's: %d", p.Status)
		}
		if p := h.SignIn(t, staff, pw[staff]).Get("/dasbor"); p.Status != http.StatusForbidden {
			t.Errorf("an employee on /dasbor: %d", p.Status)
		}
		if p := h.Client(t).Get("/dasbor"); p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/masuk") {
			t.Errorf("anonymous on /dasbor: %d %s", p.Status, p.Location)
		}
	})
}

func TestBadDashboardInputIsAClearError(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h, a, _, pw := seed(t, d)
		c := h.SignIn(t, exec, pw[exec])
		c.Get("/dasbor?period=2026-Q9").Want(t, http.StatusUnprocessableEntity, "a malformed period", `aria-invalid="true"`)
		next := time.Now().AddDate(1, 0, 0).Year()
		c.Get(fmt.Sprintf("/dasbor/opd/%d?period=%d", a.ID, next)).Want(t, http.StatusUnprocessableEntity, "a future period", `id="e-period"`)
		for path, want := range map[string]int{
			"/dasbor/opd/999999": http.StatusNotFound,
			"/dasbor/opd/abc":    http.StatusNotFound,
			fmt.Sprintf("/dasbor/opd/%d/dimensi/nope", a.ID):         http.StatusNotFound,
			"/dasbor/unduh?format=pdf":                               http.StatusUnprocessableEntity,
			fmt.Sprintf("/dasbor/opd/%d/unduh?format=", a.ID):        http.StatusUnprocessableEntity,
			fmt.Sprintf("/dasbor/opd/%d/laporan.pdf?period=x", a.ID): http.StatusUnprocessableEntity,
		} {
			if p := c.Get(path); p.Status != want {
				t.Errorf("%s: %d, want %d", path, p.Status, want)
			}
		}
	})
}

func TestTheMEReportIsAPDFNamingTheAgency(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h, a, _, pw := seed(t, d)
		p := h.SignIn(t, head, pw[head]).Get(fmt.Sprintf("/dasbor/opd/%d/laporan.pdf", a.ID))
		if p.Status != http.StatusOK || p.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(p.Body, "%PDF-") {
			t.Fatalf("report: %d %s %.20q", p.Status, p.Header.Get("Content-Type"), p.Body)
		}
		text := pdftest.Text(t, []byte(p.Body))
		for _, want := range []string{"Badan Pendapatan Daerah Dottoro'ta", "Rumus dan masukan", "Tujuh dimensi survei",
			"Perkembangan dari periode ke periode", "Temuan dan tindak lanjut", "Indeks \\(0\\226100\\) ="} {
			if !strings.Contains(text, want) {
				t.Errorf("the report lacks %q", want)
			}
		}
	})
}

func TestContributionsListThePeopleBehindAnswersAndArticles(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h, a, _, pw := seed(t, d)
		asker, answerer := h.AccountID(t, head), h.AccountID(t, staff)
		now := time.Now().UTC().Add(-time.Minute)
		space, err := db.InsertID(context.Background(), d.W, `INSERT INTO spaces (name, level, created_at, updated_at)
			VALUES ('Tanya jawab', 'city', $1, $1) RETURNING id`, now)
		if err != nil {
			t.Fatal(err)
		}
		thread, err := db.InsertID(context.Background(), d.W, `INSERT INTO threads (space_id, title, author_account_id, question,
			last_post_at, created_at, updated_at) VALUES ($1, 'Cara reset sandi SIMDA', $2, TRUE, $3, $3, $3) RETURNING id`, space, asker, now)
		if err != nil {
			t.Fatal(err)
		}
		post, err := db.InsertID(context.Background(), d.W, `INSERT INTO posts (thread_id, author_account_id, body, created_at, updated_at)
			VALUES ($1, $2, 'Lewat menu akun.', $3, $3) RETURNING id`, thread, answerer, now)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.W.Exec(`UPDATE threads SET accepted_post_id = $1 WHERE id = $2`, post, thread); err != nil {
			t.Fatal(err)
		}
		article, err := db.InsertID(context.Background(), d.W, `INSERT INTO articles (title, body, status, author_account_id,
			created_at, updated_at) VALUES ('Panduan e-Pajak Dottoro''ta', 'isi', 'published', $1, $2, $2) RETURNING id`, asker, now)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.W.Exec(`INSERT INTO article_events (article_id, from_status, to_status, created_at)
			VALUES ($1, 'review', 'published', $2)`, article, now); err != nil {
			t.Fatal(err)
		}
		c := h.SignIn(t, head, pw[head])
		own := c.Get(fmt.Sprintf("/dasbor/opd/%d", a.ID))
		own.Want(t, http.StatusOK, "the agency's dashboard", fmt.Sprintf(`/dasbor/opd/%d/kontribusi?period=`, a.ID))
		p := c.Get(fmt.Sprintf("/dasbor/opd/%d/kontribusi", a.ID))
		p.Want(t, http.StatusOK, "the contributions", "Pegawai dengan jawaban diterima", ">Staf</a>", "Panduan e-Pajak Dottoro&#39;ta",
			fmt.Sprintf(`href="/pengetahuan/%d"`, article), "Artikel terbit")
		p.Lacks(t, "the contributions", "Cara reset sandi SIMDA")
	})
}
