package targets_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

func TestTargetsThroughTheAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		a := h.Agency(t, "BAPENDA", "Badan Pendapatan Daerah", "badan")
		b := h.Agency(t, "DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		h.Users(t,
			servertest.Person{Email: "wali@makassarkota.go.id", Name: "Wali Kota", Role: policy.Executive},
			servertest.Person{Email: "kepala@bapenda.go.id", Name: "Nur'aini", Role: policy.AgencyHead, Agency: "BAPENDA"},
			servertest.Person{Email: "admin@bapenda.go.id", Name: "Admin", Role: policy.AgencyAdmin, Agency: "BAPENDA"},
		)
		exec, head, admin := h.Token(t, "wali@makassarkota.go.id"), h.Token(t, "kepala@bapenda.go.id"), h.Token(t, "admin@bapenda.go.id")

		r := h.Do(t, "POST", "/api/v1/targets", head, map[string]any{"agency_id": a.ID, "period": "2026",
			"metric": "jp_per_employee", "note": "Semua pegawai Dottoro'ta"}, "application/json")
		if r.Status != http.StatusCreated || r.Header.Get("Location") == "" {
			t.Fatalf("create: %d %s", r.Status, r.Body)
		}
		var created struct {
			ID       int64   `json:"id"`
			Goal     float64 `json:"goal"`
			Note     string  `json:"note"`
			Version  int     `json:"version"`
			Progress struct {
				Status string `json:"status"`
			} `json:"progress"`
		}
		r.JSON(t, &created)
		if created.Goal != 20 || created.Note != "Semua pegawai Dottoro'ta" || created.Progress.Status == "" {
			t.Errorf("created = %s, want the default 20 JP with its progress", r.Body)
		}
		path := fmt.Sprintf("/api/v1/targets/%d", created.ID)

		servertest.Problem(t, h.Do(t, "POST", "/api/v1/targets", head, map[string]any{"agency_id": b.ID, "period": "2026",
			"metric": "sla_compliance"}, "application/json"), http.StatusForbidden)
		servertest.Problem(t, h.Do(t, "POST", "/api/v1/targets", admin, map[string]any{"agency_id": a.ID, "period": "2026",
			"metric": "sla_compliance"}, "application/json"), http.StatusForbidden)
		servertest.ProblemFields(t, h.Do(t, "POST", "/api/v1/targets", exec, map[string]any{"period": "2026-Q9",
			"metric": "sla_compliance", "goal": 101}, "application/json"), http.StatusUnprocessableEntity, "period", "goal")
		servertest.ProblemFields(t, h.Do(t, "POST", "/api/v1/targets", exec, map[string]any{"period": "2026",
			"metric": "sla_compliance", "colour": "red"}, "application/json"), http.StatusUnprocessableEntity, "colour")

		if r := h.Do(t, "GET", path, admin, nil, ""); r.Status != http.StatusOK {
			t.Errorf("the agency's admin reads its targets: %d", r.Status)
		}
		r = h.DoWith(t, http.Header{"If-Match": {strconv.Quote("1")}}, "PATCH", path, head, map[string]any{"goal": 24},
			"application/merge-patch+json")
		if r.Status != http.StatusOK || r.Header.Get("ETag") != `"2"` {
			t.Fatalf("patch: %d %s", r.Status, r.Body)
		}
		servertest.Problem(t, h.DoWith(t, http.Header{"If-Match": {`"1"`}}, "PATCH", path, head, map[string]any{"goal": 30},
			"application/merge-patch+json"), http.StatusConflict)
		servertest.ProblemFields(t, h.Do(t, "PATCH", path, head, map[string]any{"goal": nil}, "application/merge-patch+json"),
			http.StatusUnprocessableEntity, "goal")

		var list struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
		}
		h.Do(t, "POST", "/api/v1/targets", exec, map[string]any{"period": "2026", "metric": "lo_index"}, "application/json")
		h.Do(t, "GET", "/api/v1/targets", head, nil, "").JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].ID != created.ID {
			t.Errorf("a head's list = %+v, want their agency's target only", list.Items)
		}
		h.Do(t, "GET", "/api/v1/targets?agency_id=0", exec, nil, "").JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].ID == created.ID {
			t.Errorf("the city-wide list = %+v", list.Items)
		}
		servertest.Problem(t, h.Do(t, "GET", "/api/v1/targets?agency_id=0", head, nil, ""), http.StatusForbidden)

		if r := h.Do(t, "DELETE", path, admin, nil, ""); r.Status != http.StatusForbidden {
			t.Errorf("an admin removes a target: %d", r.Status)
		}
		if r := h.Do(t, "DELETE", path, head, nil, ""); r.Status != http.StatusNoContent {
			t.Fatalf("delete: %d %s", r.Status, r.Body)
		}
		servertest.Problem(t, h.Do(t, "GET", path, exec, nil, ""), http.StatusNotFound)
	})
}

func TestALeaderSetsATargetOnThePageAndSeesWhoIsBehind(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		a := h.Agency(t, "BAPENDA", "Badan Pendapatan Daerah", "badan")
		pw := h.Users(t,
			servertest.Person{Email: "kepala@bapenda.go.id", Name: "Kepala", Role: policy.AgencyHead, Agency: "BAPENDA"},
			servertest.Person{Email: "nur@bapenda.go.id", Name: "Nur'aini", Role: policy.Employee, Agency: "BAPENDA"},
		)
		c := h.SignIn(t, "kepala@bapenda.go.id", pw["kepala@bapenda.go.id"])
		c.Get("/pimpinan/target").Want(t, http.StatusOK, "list", "Belum ada target", "/pimpinan/target/baru")
		c.Get("/pimpinan/target/baru").Want(t, http.StatusOK, "form", "Badan Pendapatan Daerah", "JP per pegawai")
		c.Submit("/pimpinan/target/baru", url.Values{"agency_id": {fmt.Sprint(a.ID)}, "period": {"2026-Q9"},
			"metric": {"jp_per_employee"}, "goal": {"dua puluh"}}).Want(t, http.StatusUnprocessableEntity, "bad form",
			"periode tidak dikenal", "tulis angka")
		p := c.Submit("/pimpinan/target/baru", url.Values{"agency_id": {fmt.Sprint(a.ID)}, "period": {"2026"},
			"metric": {"jp_per_employee"}, "goal": {"20,5"}})
		if p.Status != http.StatusSeeOther {
			t.Fatalf("create: %d %.300s", p.Status, p.Body)
		}
		page := c.Get(p.Location)
		page.Want(t, http.StatusOK, "target", "20.5 JP/pegawai", "Nur&#39;aini", "pegawai di bawah jalur", "Ubah sasaran")
		c.Get("/pimpinan/target").Want(t, http.StatusOK, "list with it", "JP per pegawai", "<progress")

		staff := h.SignIn(t, "nur@bapenda.go.id", pw["nur@bapenda.go.id"])
		staff.Get(p.Location).Want(t, http.StatusForbidden, "an employee")
		staff.Get("/pimpinan/target/baru").Want(t, http.StatusForbidden, "an employee's form")
	})
}
