package impact_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/impact"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

func TestTheImpactPagesAndAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		w := newWorld(t, d, 6, 6)
		pw := h.Users(t,
			servertest.Person{Email: "walikota@makassarkota.go.id", Name: "Wali Kota", Role: policy.Executive},
			servertest.Person{Email: "kaban@bapenda.go.id", Name: "Kepala Bapenda", Role: policy.AgencyHead, Agency: "BAPENDA"},
			servertest.Person{Email: "staf@bapenda.go.id", Name: "Staf Bapenda", Role: policy.Employee, Agency: "BAPENDA"},
		)
		exec := h.SignIn(t, "walikota@makassarkota.go.id", pw["walikota@makassarkota.go.id"])
		exec.Get("/pelatihan/dampak").Want(t, http.StatusOK, "the list",
			"Dampak pelatihan", "Bimtek SIPD untuk Dottoro&#39;ta &amp; rekan", "SIPD", fmt.Sprintf("/pelatihan/dampak/%d", w.event))
		page := exec.Get(fmt.Sprintf("/pelatihan/dampak/%d", w.event))
		page.Want(t, http.StatusOK, "the event's impact", "Dampak pelatihan: Bimtek SIPD untuk Dottoro&#39;ta &amp; rekan",
			"Tiket bantuan tentang aplikasi yang diajarkan", "membaik", "Level 3 (perilaku)", "<caption>", `scope="row"`,
			"lebih sedikit per orang per 30 hari dibanding rekan yang tidak ikut", "4 — hasil")
		page.Lacks(t, "the event's impact", "Peserta A", "Rekan A") // nobody is named
		csv := exec.Get(fmt.Sprintf("/pelatihan/dampak/%d/unduh?format=csv", w.event))
		if csv.Status != http.StatusOK || !strings.HasPrefix(csv.Header.Get("Content-Type"), "text/csv") ||
			!strings.Contains(csv.Body, "Tiket bantuan tentang aplikasi yang diajarkan") {
			t.Errorf("CSV: %d %s %.300s", csv.Status, csv.Header.Get("Content-Type"), csv.Body)
		}
		xlsx := exec.Get(fmt.Sprintf("/pelatihan/dampak/%d/unduh?format=xlsx", w.event))
		if xlsx.Status != http.StatusOK || !strings.Contains(xlsx.Header.Get("Content-Type"), "spreadsheetml") {
			t.Errorf("XLSX: %d %s", xlsx.Status, xlsx.Header.Get("Content-Type"))
		}
		exec.Get(fmt.Sprintf("/pelatihan/acara/%d", w.event)).Want(t, http.StatusOK, "the event's page",
			fmt.Sprintf(`href="/pelatihan/dampak/%d"`, w.event))
		exec.Get(fmt.Sprintf("/pelatihan/dampak/%d", w.unstarted)).Want(t, http.StatusConflict, "an event not finished",
			"belum selesai")

		head := h.SignIn(t, "kaban@bapenda.go.id", pw["kaban@bapenda.go.id"])
		head.Get(fmt.Sprintf("/pelatihan/dampak/%d", w.event)).Want(t, http.StatusOK, "the head's view", "Badan Pendapatan Daerah")
		staff := h.SignIn(t, "staf@bapenda.go.id", pw["staf@bapenda.go.id"])
		staff.Get("/pelatihan/dampak").Want(t, http.StatusForbidden, "an employee")
		staff.Get(fmt.Sprintf("/pelatihan/acara/%d", w.event)).Lacks(t, "an employee's event page", `id="event-impact"`)

		token := h.Token(t, "walikota@makassarkota.go.id")
		r := h.Do(t, "GET", fmt.Sprintf("/api/v1/events/%d/impact", w.event), token, nil, "")
		var im impact.Impact
		r.JSON(t, &im)
		if r.Status != http.StatusOK || len(im.Measures) != 4 || im.Measures[0].Key != impact.Tickets ||
			im.Measures[0].Verdict != impact.Improved || im.WindowDays != 90 || im.Attendees != 6 {
			t.Errorf("API: %d %+v", r.Status, im)
		}
		servertest.ProblemFields(t, h.Do(t, "GET", fmt.Sprintf("/api/v1/events/%d/impact?agency_id=x", w.event), token, nil, ""),
			http.StatusUnprocessableEntity, "agency_id")
		servertest.Problem(t, h.Do(t, "GET", fmt.Sprintf("/api/v1/events/%d/impact", w.unstarted), token, nil, ""), http.StatusConflict)
		servertest.Problem(t, h.Do(t, "GET", "/api/v1/events/999999/impact", token, nil, ""), http.StatusNotFound)
		// An agency id beyond int4 that does not exist: 404, not a 500 from PostgreSQL's typing.
		servertest.Problem(t, h.Do(t, "GET", fmt.Sprintf("/api/v1/events/%d/impact?agency_id=3000000000", w.event), token, nil, ""),
			http.StatusNotFound)
		servertest.Problem(t, h.Do(t, "GET", "/api/v1/training-impact?agency_id=3000000000", token, nil, ""), http.StatusNotFound)
		exec.Get(fmt.Sprintf("/pelatihan/dampak/%d?opd=3000000000", w.event)).Want(t, http.StatusNotFound, "an unknown agency")
		servertest.Problem(t, h.Do(t, "GET", fmt.Sprintf("/api/v1/events/%d/impact", w.event),
			h.Token(t, "staf@bapenda.go.id"), nil, ""), http.StatusForbidden)
		servertest.Problem(t, h.Do(t, "GET", fmt.Sprintf("/api/v1/events/%d/impact", w.event), "", nil, ""), http.StatusUnauthorized)
		var list struct {
			Items []impact.Finished `json:"items"`
		}
		r = h.Do(t, "GET", "/api/v1/training-impact?limit=1", token, nil, "")
		r.JSON(t, &list)
		if r.Status != http.StatusOK || len(list.Items) != 1 {
			t.Errorf("API list: %d %+v", r.Status, list)
		}
	})
}
