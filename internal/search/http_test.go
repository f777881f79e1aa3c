package search_test

import (
	"context"
	"database/sql"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/search"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

type resultList struct {
	Items []struct {
		Type, ID, Title, Snippet string
		Score                    float64
	} `json:"items"`
	Next *string `json:"next"`
}

func apiSearch(t *testing.T, h *servertest.Harness, token, query string) resultList {
	t.Helper()
	r := h.Do(t, "GET", "/api/v1/search?"+query, token, nil, "")
	if r.Status != http.StatusOK {
		t.Fatalf("search %s: %d %s", query, r.Status, r.Body)
	}
	var l resultList
	r.JSON(t, &l)
	return l
}

// Tickets are found by those who may see them — the reporter, the help
// desk, the agency's head — and by no one else, through the API.
func TestTicketsAreFoundByThoseWhoMaySeeThem(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		h.Agency(t, "DISKES", "Dinas Kesehatan", "dinas")
		h.Agency(t, "BAPPEDA", "Bappeda", "badan")
		h.Users(t,
			servertest.Person{Email: "nuraini@makassar.go.id", Name: "Nur'aini", Role: policy.Employee, Agency: "DISKES"},
			servertest.Person{Email: "rekan@makassar.go.id", Name: "Rekan Kerja", Role: policy.Employee, Agency: "DISKES"},
			servertest.Person{Email: "kadis@makassar.go.id", Name: "Kepala Dinas", Role: policy.AgencyHead, Agency: "DISKES"},
			servertest.Person{Email: "kaban@makassar.go.id", Name: "Kepala Badan", Role: policy.AgencyHead, Agency: "BAPPEDA"},
			servertest.Person{Email: "agen@makassar.go.id", Name: "Agen Kominfo", Role: policy.Agent})
		reporter := h.Token(t, "nuraini@makassar.go.id")
		r := h.Do(t, "POST", "/api/v1/tickets", reporter, map[string]any{"subject": "Printer jaringan tidak terdeteksi",
			"body": "Printer bersama di ruang TU tidak muncul sejak dipindahkan.", "category": "other"}, "application/json")
		if r.Status != http.StatusCreated {
			t.Fatalf("file ticket: %d %s", r.Status, r.Body)
		}
		var ticket struct{ Number string }
		r.JSON(t, &ticket)
		for email, want := range map[string]int{"nuraini@makassar.go.id": 1, "agen@makassar.go.id": 1,
			"kadis@makassar.go.id": 1, "rekan@makassar.go.id": 0, "kaban@makassar.go.id": 0} {
			l := apiSearch(t, h, h.Token(t, email), "q=printernya+dipindah&type=ticket")
			if len(l.Items) != want {
				t.Errorf("%s found %d tickets, want %d", email, len(l.Items), want)
			}
			if want == 1 && (l.Items[0].ID != ticket.Number || l.Items[0].Type != "ticket") {
				t.Errorf("%s found %+v, want ticket %s", email, l.Items[0], ticket.Number)
			}
		}
		// A public reply is found too; an internal note is not.
		agent := h.Token(t, "agen@makassar.go.id")
		for _, m := range []map[string]any{{"body": "Alamat IP printer sudah diperbarui."}, {"body": "Catatan: kabel UTP rusak", "internal": true}} {
			if r := h.Do(t, "POST", "/api/v1/tickets/"+ticket.Number+"/replies", agent, m, "application/json"); r.Status != http.StatusCreated {
				t.Fatalf("reply: %d %s", r.Status, r.Body)
			}
		}
		if l := apiSearch(t, h, reporter, "q=alamat+ip"); len(l.Items) != 1 {
			t.Errorf("public reply not found: %+v", l.Items)
		}
		if l := apiSearch(t, h, agent, "q=kabel+utp"); len(l.Items) != 0 {
			t.Errorf("internal note found: %+v", l.Items)
		}
	})
}

func TestSearchAPIAnswersAsEveryList(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		h.Agency(t, "DISKES", "Dinas Kesehatan", "dinas")
		h.User(t, "nuraini@makassar.go.id", "Nur'aini", policy.Employee, "DISKES")
		token := h.Token(t, "nuraini@makassar.go.id")
		err := d.Tx(context.Background(), func(tx *sql.Tx) error {
			for i, title := range []string{"Pelayanan SIMPEG", "Layanan SIMPEG di ponsel", "Melayani data SIMPEG"} {
				if err := search.Put(context.Background(), tx, article(int64(i+1), title, "Panduan <script>x</script>")); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		l := apiSearch(t, h, token, "q=pelayanan&limit=2")
		if len(l.Items) != 2 || l.Next == nil || l.Items[0].Type != "article" || l.Items[0].Score <= 0 {
			t.Fatalf("first page: %+v next %v", l.Items, l.Next)
		}
		if strings.Contains(l.Items[0].Snippet, "<script") {
			t.Errorf("snippet not escaped: %s", l.Items[0].Snippet)
		}
		if l2 := apiSearch(t, h, token, "q=pelayanan&limit=2&cursor="+url.QueryEscape(*l.Next)); len(l2.Items) != 1 || l2.Next != nil {
			t.Errorf("second page: %+v", l2)
		}
		for _, q := range []string{`"simpeg`, "simpeg NEAR(layan)", "simp*", "-simpeg", "title:simpeg", strings.Repeat("simpeg: ", 300), "yang dan", ""} {
			apiSearch(t, h, token, "q="+url.QueryEscape(q))
		}
		servertest.ProblemFields(t, h.Do(t, "GET", "/api/v1/search?q=x&type=post", token, nil, ""), 422, "type")
		servertest.ProblemFields(t, h.Do(t, "GET", "/api/v1/search?q=x&limit=0", token, nil, ""), 422, "limit")
		servertest.ProblemFields(t, h.Do(t, "GET", "/api/v1/search?q=x&cursor=zz", token, nil, ""), 422, "cursor")
		if r := h.Do(t, "GET", "/api/v1/search?q=x", "", nil, ""); r.Status != http.StatusUnauthorized {
			t.Errorf("anonymous: %d", r.Status)
		}
		if r := h.Do(t, "GET", "/api/v1/openapi.json", "", nil, ""); !strings.Contains(string(r.Body), `"/api/v1/search"`) {
			t.Errorf("the OpenAPI document lacks /api/v1/search")
		}
	})
}

func TestSearchPageWorksWithoutJavaScript(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		h.Agency(t, "DISKES", "Dinas Kesehatan", "dinas")
		pw := h.User(t, "nuraini@makassar.go.id", "Nur'aini", policy.Employee, "DISKES")
		put(t, d, article(1, "Pelayanan SIMPEG", "Cara memperbarui data kepegawaian."))
		learn(t, h.Svc.Search) // the job's work, so typos find the new words
		if p := h.Client(t).Get("/cari?q=simpeg"); p.Status != http.StatusSeeOther {
			t.Errorf("anonymous: %d, want a redirect to sign in", p.Status)
		}
		c := h.SignIn(t, "nuraini@makassar.go.id", pw)
		c.Get("/cari?q=pegawai").Want(t, 200, "results", `<mark>kepegawaian</mark>`, `href="/pengetahuan/1"`, "Artikel", `id="site-q"`)
		c.Get("/cari?q=pelayaann").Want(t, 200, "typo", `id="did-you-mean"`, "pelayanan", `href="/pengetahuan/1"`)
		c.Get("/cari?q=zzzqqq").Want(t, 200, "nothing", `id="no-results"`)
		c.Get("/cari?q=yang+dan").Want(t, 200, "stop words", `id="no-results"`)
		c.Get("/cari?q=simpeg&type=article").Want(t, 200, "filtered", `href="/pengetahuan/1"`)
		c.Get("/cari?q=simpeg&type=bogus").Want(t, 422, "bad type", `aria-invalid="true"`)
		c.Get("/cari?q="+url.QueryEscape(`"simpeg" NEAR(* -:)`)).Want(t, 200, "operators", `href="/pengetahuan/1"`)
	})
}
