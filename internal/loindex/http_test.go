package loindex_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

func TestTheIndexAPIAnswersTheContractToThoseAllowed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		a := h.Agency(t, "BAPENDA", "Badan Pendapatan Daerah Dottoro'ta", "badan")
		b := h.Agency(t, "DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		h.Users(t,
			servertest.Person{Email: "wali@makassarkota.go.id", Name: "Wali Kota", Role: policy.Executive},
			servertest.Person{Email: "kepala@bapenda.go.id", Name: "Nur'aini", Role: policy.AgencyHead, Agency: "BAPENDA"},
			servertest.Person{Email: "staf@bapenda.go.id", Name: "Staf", Role: policy.Employee, Agency: "BAPENDA"},
		)
		exec, head, staff := h.Token(t, "wali@makassarkota.go.id"), h.Token(t, "kepala@bapenda.go.id"), h.Token(t, "staf@bapenda.go.id")
		last := time.Now().AddDate(0, -3, 0)
		q := fmt.Sprintf("%d-Q%d", last.Year(), (int(last.Month())-1)/3+1)
		// Two small agencies, hidden, together at least 5: the city total less
		// the shown agency gives neither away, so the survey shows the first.
		c := h.Agency(t, "DISPORA", "Dinas Pemuda dan Olahraga", "dinas")
		dbtest.LOCampaign(t, d, q, time.Now().Add(-time.Hour), map[int64][]int{a.ID: {5, 5, 4, 4, 6}, b.ID: {3, 3}, c.ID: {4, 4, 4}})

		var city map[string]any
		r := h.Do(t, "GET", "/api/v1/lo-index", exec, nil, "")
		if r.Status != http.StatusOK {
			t.Fatalf("city: %d %s", r.Status, r.Body)
		}
		r.JSON(t, &city)
		for _, k := range []string{"agency_id", "period", "index", "dimensions", "inputs"} {
			if _, ok := city[k]; !ok {
				t.Errorf("the answer lacks %q: %s", k, r.Body)
			}
		}
		if city["agency_id"].(float64) != 0 || !strings.Contains(city["period"].(string), "-Q") {
			t.Errorf("city answer = %v %v, want agency 0 and the current quarter", city["agency_id"], city["period"])
		}
		dims := city["dimensions"].([]any)
		if len(dims) != 7 || dims[0].(map[string]any)["key"] != "continuous_learning" {
			t.Errorf("dimensions = %v", dims)
		}
		if _, ok := dims[0].(map[string]any)["score"]; !ok {
			t.Error("a dimension lacks its score member")
		}
		for _, in := range city["inputs"].([]any) {
			m := in.(map[string]any)
			for _, k := range []string{"key", "value", "weight"} {
				if _, ok := m[k]; !ok {
					t.Errorf("input %v lacks %q", m["key"], k)
				}
			}
		}

		var own struct {
			AgencyID   int64 `json:"agency_id"`
			Suppressed bool  `json:"suppressed"`
			Dimensions []struct {
				Score *float64 `json:"score"`
			} `json:"dimensions"`
		}
		r = h.Do(t, "GET", fmt.Sprintf("/api/v1/lo-index?agency_id=%d", a.ID), head, nil, "")
		if r.Status != http.StatusOK {
			t.Fatalf("own agency: %d %s", r.Status, r.Body)
		}
		r.JSON(t, &own)
		if own.AgencyID != a.ID || own.Dimensions[0].Score == nil || *own.Dimensions[0].Score != 4.8 {
			t.Errorf("own agency = %s", r.Body)
		}
		r = h.Do(t, "GET", fmt.Sprintf("/api/v1/lo-index?agency_id=%d", b.ID), exec, nil, "")
		r.JSON(t, &own)
		if !own.Suppressed || own.Dimensions[0].Score != nil {
			t.Errorf("two respondents must hide the scores: %s", r.Body)
		}

		for _, c := range []struct {
			path, token string
			status      int
			field       string
		}{
			{fmt.Sprintf("/api/v1/lo-index?agency_id=%d", b.ID), head, http.StatusForbidden, ""},
			{"/api/v1/lo-index", head, http.StatusForbidden, ""},
			{fmt.Sprintf("/api/v1/lo-index?agency_id=%d", a.ID), staff, http.StatusForbidden, ""},
			{"/api/v1/lo-index", "", http.StatusUnauthorized, ""},
			{"/api/v1/lo-index?period=2026-Q5", exec, http.StatusUnprocessableEntity, "period"},
			{"/api/v1/lo-index?agency_id=abc", exec, http.StatusUnprocessableEntity, "agency_id"},
			{"/api/v1/lo-index?period=2999-Q1", exec, http.StatusUnprocessableEntity, "period"},
			{"/api/v1/lo-index?agency_id=999999", exec, http.StatusNotFound, ""},
			{"/api/v1/lo-index/trend?n=0", exec, http.StatusUnprocessableEntity, "n"},
		} {
			r := h.Do(t, "GET", c.path, c.token, nil, "")
			if c.field != "" {
				servertest.ProblemFields(t, r, c.status, c.field)
			} else {
				servertest.Problem(t, r, c.status)
			}
		}

		var list struct {
			Items []struct {
				AgencyID int64 `json:"agency_id"`
			} `json:"items"`
		}
		r = h.Do(t, "GET", "/api/v1/lo-index/agencies", head, nil, "")
		r.JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].AgencyID != a.ID {
			t.Errorf("a head's list = %s, want their agency only", r.Body)
		}
		r = h.Do(t, "GET", "/api/v1/lo-index/trend?n=4", exec, nil, "")
		r.JSON(t, &list)
		if len(list.Items) != 4 {
			t.Errorf("trend = %s", r.Body)
		}
	})
}

func TestTheIndexPagesShowTheFormulaBesideTheNumbers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		a := h.Agency(t, "BAPENDA", "Badan Pendapatan Daerah Dottoro'ta", "badan")
		pw := h.Users(t,
			servertest.Person{Email: "wali@makassarkota.go.id", Name: "Wali Kota", Role: policy.Executive},
			servertest.Person{Email: "kepala@bapenda.go.id", Name: "Nur'aini", Role: policy.AgencyHead, Agency: "BAPENDA"},
		)
		h.Agency(t, "ARSIP", "Arsip Daerah", "dinas")
		dbtest.LOCampaign(t, d, "survei", time.Now().Add(-time.Hour), map[int64][]int{a.ID: {4, 5, 4, 5, 4}})
		c := h.SignIn(t, "wali@makassarkota.go.id", pw["wali@makassarkota.go.id"])
		byIndex, byName := c.Get("/indeks").Body, c.Get("/indeks?urut=nama").Body
		if strings.Index(byIndex, "Dottoro") > strings.Index(byIndex, "Arsip Daerah") {
			t.Error("an agency without an index comes before one with")
		}
		if strings.Index(byName, "Dottoro") < strings.Index(byName, "Arsip Daerah") {
			t.Error("sorted by name, Arsip Daerah should come first")
		}
		c.Get("/indeks").Want(t, http.StatusOK, "overview", "Dottoro&#39;ta", "Kota (semua OPD)", "/indeks/rumus",
			"40% × Survei organisasi pembelajar", "tidak ada data")
		c.Get(fmt.Sprintf("/indeks/%d", a.ID)).Want(t, http.StatusOK, "agency", "Rumus dan masukan", "Bobot terpakai",
			"Perkembangan dari periode ke periode")
		c.Get("/indeks/kota?period=2026").Want(t, http.StatusOK, "city", "Kota — indeks organisasi pembelajar 2026")
		c.Get("/indeks/rumus").Want(t, http.StatusOK, "formula", "(rata-rata − 1) / 5 × 100", "tidak ada data")
		c.Get("/indeks?period=kemarin").Want(t, http.StatusUnprocessableEntity, "bad period", "periode tidak dikenal")
		c.Get("/indeks/999999").Want(t, http.StatusNotFound, "no such agency")
		csv := c.Get("/indeks/unduh?format=csv")
		csv.Want(t, http.StatusOK, "csv", "Dottoro'ta", "Survei organisasi pembelajar")
		c.Get("/indeks/unduh?format=pdf").Want(t, http.StatusUnprocessableEntity, "bad format")

		head := h.SignIn(t, "kepala@bapenda.go.id", pw["kepala@bapenda.go.id"])
		head.Get("/indeks").Want(t, http.StatusOK, "head's overview", "Dottoro&#39;ta")
		head.Get("/indeks").Lacks(t, "head's overview", "Kota (semua OPD)")
		head.Get("/indeks/kota").Want(t, http.StatusForbidden, "head and the city")
	})
}
