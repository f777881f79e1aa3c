package org_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/org"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// apiCity is a server with two agencies and a token for each kind of caller.
type apiCity struct {
	h                         *servertest.Harness
	dinkes, disdik            org.Agency
	super, dinkesAdmin, staff string // tokens
	disdikAdmin               string
}

func newAPICity(t *testing.T, d *db.DB) apiCity {
	t.Helper()
	h := servertest.Start(t, d)
	c := apiCity{h: h,
		dinkes: h.Agency(t, "DINKES", "Dinas Kesehatan", org.TypeDinas),
		disdik: h.Agency(t, "DISDIK", "Dinas Pendidikan", org.TypeDinas)}
	for _, u := range []struct {
		email  string
		role   policy.Role
		agency string
		token  *string
	}{
		{"super@makassarkota.go.id", policy.Superadmin, "DINKES", &c.super},
		{"admin.dinkes@makassarkota.go.id", policy.AgencyAdmin, "DINKES", &c.dinkesAdmin},
		{"staf.dinkes@makassarkota.go.id", policy.Employee, "DINKES", &c.staff},
		{"admin.disdik@makassarkota.go.id", policy.AgencyAdmin, "DISDIK", &c.disdikAdmin},
	} {
		h.User(t, u.email, "Pegawai "+strings.Split(u.email, "@")[0], u.role, u.agency)
		*u.token = h.Token(t, u.email)
	}
	return c
}

// apiPerson is the body of a new civil servant.
func apiPerson(agencyID int64, nip, name, email string) org.EmployeeInput {
	return org.EmployeeInput{AgencyID: agencyID, NIP: nip, Name: name, Email: email, EmploymentType: org.EmploymentPNS,
		UnitName: "Bidang Pelayanan", PositionName: "Analis Kebijakan", Rank: "III/a", Phone: "0812-3456-7890"}
}

// apiCreate posts a person as the superadmin and returns them.
func (c apiCity) apiCreate(t *testing.T, in org.EmployeeInput) org.Employee {
	t.Helper()
	r := c.h.Do(t, "POST", "/api/v1/employees", c.super, in, "")
	if r.Status != 201 {
		t.Fatalf("create %s: %d %s", in.Name, r.Status, r.Body)
	}
	var e org.Employee
	r.JSON(t, &e)
	return e
}

// apiList is the shape of every list.
type apiList[T any] struct {
	Items []T     `json:"items"`
	Next  *string `json:"next"`
}

func apiGetList[T any](t *testing.T, h *servertest.Harness, path, token string) apiList[T] {
	t.Helper()
	r := h.Do(t, "GET", path, token, nil, "")
	if r.Status != 200 {
		t.Fatalf("GET %s: %d %s", path, r.Status, r.Body)
	}
	if !strings.Contains(string(r.Body), `"items":`) || !strings.Contains(string(r.Body), `"next":`) {
		t.Fatalf("GET %s: not the list shape: %s", path, r.Body)
	}
	var l apiList[T]
	r.JSON(t, &l)
	return l
}

func TestAPIAgencies(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newAPICity(t, d)
		h := c.h

		r := h.Do(t, "POST", "/api/v1/agencies", c.super,
			org.AgencyInput{Code: "UPT-PKM-1", Name: "UPT Puskesmas Dottoro'ta Ä", Type: org.TypeUPT, ParentID: &c.dinkes.ID}, "")
		if r.Status != 201 {
			t.Fatalf("create agency: %d %s", r.Status, r.Body)
		}
		var upt org.Agency
		r.JSON(t, &upt)
		if loc := r.Header.Get("Location"); loc != fmt.Sprintf("/api/v1/agencies/%d", upt.ID) {
			t.Errorf("Location %q", loc)
		}
		var got org.Agency
		h.Do(t, "GET", r.Header.Get("Location"), c.staff, nil, "").JSON(t, &got)
		if got.Name != "UPT Puskesmas Dottoro'ta Ä" || got.Code != "UPT-PKM-1" || got.Type != org.TypeUPT ||
			got.ParentID == nil || *got.ParentID != c.dinkes.ID {
			t.Errorf("agency read back: %+v", got)
		}

		servertest.ProblemFields(t, h.Do(t, "POST", "/api/v1/agencies", c.dinkesAdmin,
			org.AgencyInput{Code: "X", Name: "X", Type: org.TypeDinas}, ""), 403)
		servertest.ProblemFields(t, h.Do(t, "POST", "/api/v1/agencies", c.super,
			org.AgencyInput{Code: "dinkes", Name: "Lagi", Type: "dinas"}, ""), 409, "code")
		servertest.ProblemFields(t, h.Do(t, "POST", "/api/v1/agencies", c.super,
			org.AgencyInput{Code: "UPT-2", Name: "UPT", Type: org.TypeUPT, ParentID: new(int64(9999))}, ""), 422, "parent_id")
		servertest.ProblemFields(t, h.Do(t, "GET", "/api/v1/agencies/9999", c.staff, nil, ""), 404)

		for _, tc := range []struct {
			query string
			want  []string
		}{
			{"", []string{"DINKES", "DISDIK", "UPT-PKM-1"}},
			{"?type=upt", []string{"UPT-PKM-1"}},
			{fmt.Sprintf("?parent_id=%d", c.dinkes.ID), []string{"UPT-PKM-1"}},
			{"?q=" + "pendidikan", []string{"DISDIK"}},
			{"?q=dottoro%27ta", []string{"UPT-PKM-1"}},
		} {
			l := apiGetList[org.Agency](t, h, "/api/v1/agencies"+tc.query, c.staff)
			var codes []string
			for _, a := range l.Items {
				codes = append(codes, a.Code)
			}
			if !slices.Equal(codes, tc.want) || l.Next != nil {
				t.Errorf("agencies%s: %v next %v, want %v", tc.query, codes, l.Next, tc.want)
			}
		}
		servertest.ProblemFields(t, h.Do(t, "GET", "/api/v1/agencies?type=ministry", c.staff, nil, ""), 422, "type")
		servertest.ProblemFields(t, h.Do(t, "GET", "/api/v1/agencies?parent_id=abc", c.staff, nil, ""), 422, "parent_id")

		// Merge patch: name changes, code stays, the UPT cannot lose its parent.
		path := fmt.Sprintf("/api/v1/agencies/%d", upt.ID)
		r = h.Do(t, "PATCH", path, c.super, `{"name": "UPT Puskesmas Nur'aini"}`, "application/merge-patch+json")
		r.JSON(t, &got)
		if r.Status != 200 || got.Name != "UPT Puskesmas Nur'aini" || got.Code != "UPT-PKM-1" {
			t.Errorf("patch name: %d %s", r.Status, r.Body)
		}
		servertest.ProblemFields(t, h.Do(t, "PATCH", path, c.super, `{"parent_id": null}`, "application/merge-patch+json"), 422, "parent_id")
		r = h.Do(t, "PATCH", path, c.super, `{"type": "other", "parent_id": null}`, "application/merge-patch+json")
		r.JSON(t, &got)
		if r.Status != 200 || got.ParentID != nil || got.Type != org.TypeOther {
			t.Errorf("patch parent null: %d %s", r.Status, r.Body)
		}
		servertest.ProblemFields(t, h.Do(t, "PATCH", path, c.super, `{"nama": "x", "id": 3}`, "application/merge-patch+json"), 422, "nama", "id")
		servertest.ProblemFields(t, h.Do(t, "PATCH", path, c.super, `{"name": 5}`, "application/merge-patch+json"), 422, "name")
		servertest.ProblemFields(t, h.Do(t, "PATCH", path, c.dinkesAdmin, `{"name": "Milik saya"}`, "application/merge-patch+json"), 403)

		// Units appear as people are placed in them.
		c.apiCreate(t, apiPerson(c.dinkes.ID, "198503152010011002", "Andi Baso", "andi@makassarkota.go.id"))
		units := apiGetList[org.Unit](t, h, fmt.Sprintf("/api/v1/agencies/%d/units", c.dinkes.ID), c.staff)
		if len(units.Items) != 1 || units.Items[0].Name != "Bidang Pelayanan" || units.Items[0].AgencyID != c.dinkes.ID {
			t.Errorf("units: %+v", units)
		}
		servertest.ProblemFields(t, h.Do(t, "GET", "/api/v1/agencies/9999/units", c.staff, nil, ""), 404)
	})
}

func TestAPIEmployeeCreateRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newAPICity(t, d)
		in := apiPerson(c.dinkes.ID, "198503152010011002", "Nur'aini Dottoro'ta Ä", "Nuraini@Makassarkota.go.id")
		in.FrontTitle, in.BackTitle = "dr.", "M.Kes."
		r := c.h.Do(t, "POST", "/api/v1/employees", c.dinkesAdmin, in, "")
		if r.Status != 201 {
			t.Fatalf("create: %d %s", r.Status, r.Body)
		}
		var made org.Employee
		r.JSON(t, &made)
		if loc := r.Header.Get("Location"); loc != fmt.Sprintf("/api/v1/employees/%d", made.ID) {
			t.Errorf("Location %q", loc)
		}
		var got map[string]any
		c.h.Do(t, "GET", r.Header.Get("Location"), c.dinkesAdmin, nil, "").JSON(t, &got)
		want := map[string]any{"id": float64(made.ID), "nip": "198503152010011002", "name": "Nur'aini Dottoro'ta Ä",
			"email": "nuraini@makassarkota.go.id", "agency_id": float64(c.dinkes.ID), "phone": "+6281234567890",
			"front_title": "dr.", "back_title": "M.Kes.", "unit_name": "Bidang Pelayanan",
			"position_name": "Analis Kebijakan", "rank": "III/a", "employment_type": "pns", "active": true}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s = %#v, want %#v", k, got[k], v)
			}
		}
		servertest.ProblemFields(t, c.h.Do(t, "GET", "/api/v1/employees/99999", c.staff, nil, ""), 404)
		servertest.ProblemFields(t, c.h.Do(t, "GET", "/api/v1/employees/abc", c.staff, nil, ""), 404)
	})
}

func TestAPIEmployeeBadInput(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newAPICity(t, d)
		h := c.h
		c.apiCreate(t, apiPerson(c.dinkes.ID, "198503152010011002", "Andi Baso", "andi@makassarkota.go.id"))
		count := func() int {
			return len(apiGetList[org.Employee](t, h, "/api/v1/employees?limit=500", c.super).Items)
		}
		before := count()

		huge := `{"name": "` + strings.Repeat("a", 1100*1024) + `"}`
		servertest.ProblemFields(t, h.Do(t, "POST", "/api/v1/employees", c.super, huge, "application/json"), 413)
		servertest.ProblemFields(t, h.Do(t, "POST", "/api/v1/employees", c.super, `{"name": "Andi"}`, "text/plain"), 415)
		servertest.ProblemFields(t, h.Do(t, "POST", "/api/v1/employees", "", apiPerson(c.dinkes.ID, "", "X", ""), ""), 401)
		servertest.ProblemFields(t, h.Do(t, "GET", "/api/v1/employees", "", nil, ""), 401)
		servertest.ProblemFields(t, h.Do(t, "GET", "/api/v1/employees?limit=501", c.super, nil, ""), 422, "limit")

		for _, tc := range []struct {
			name   string
			edit   func(*org.EmployeeInput)
			status int
			fields []string
		}{
			{"malformed NIP", func(in *org.EmployeeInput) { in.NIP = "19850315201001100" }, 422, []string{"nip"}},
			{"NIP with a false birth date", func(in *org.EmployeeInput) { in.NIP = "198502302010011002" }, 422, []string{"nip"}},
			{"duplicate NIP", func(in *org.EmployeeInput) { in.NIP = "198503152010011002" }, 409, []string{"nip"}},
			{"duplicate email, other case", func(in *org.EmployeeInput) { in.Email = "ANDI@makassarkota.go.id" }, 409, []string{"email"}},
			{"unknown agency", func(in *org.EmployeeInput) { in.AgencyID = 9999 }, 422, []string{"agency_id"}},
			{"contract with an NIP", func(in *org.EmployeeInput) { in.EmploymentType = org.EmploymentContract }, 422, []string{"nip"}},
			{"no name, bad email, bad phone", func(in *org.EmployeeInput) { in.Name, in.Email, in.Phone = " ", "andi@", "12" }, 422,
				[]string{"name", "email", "phone"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				in := apiPerson(c.dinkes.ID, "199001012015032001", "Besse", "besse@makassarkota.go.id")
				tc.edit(&in)
				servertest.ProblemFields(t, h.Do(t, "POST", "/api/v1/employees", c.super, in, ""), tc.status, tc.fields...)
			})
		}
		servertest.ProblemFields(t, h.Do(t, "POST", "/api/v1/employees", c.super,
			`{"agency_id": "satu", "name": "Besse", "employment_type": "contract"}`, "application/json"), 422, "agency_id")
		servertest.ProblemFields(t, h.Do(t, "POST", "/api/v1/employees", c.super,
			`{"agency_id": 1, "nama": "Besse", "employment_type": "contract"}`, "application/json"), 422, "nama")
		servertest.ProblemFields(t, h.Do(t, "POST", "/api/v1/employees", c.super, `{"agency_id": 1,`, "application/json"), 422)
		// Writing another agency's people.
		servertest.ProblemFields(t, h.Do(t, "POST", "/api/v1/employees", c.dinkesAdmin,
			apiPerson(c.disdik.ID, "199001012015032001", "Besse", "besse@makassarkota.go.id"), ""), 403)
		servertest.ProblemFields(t, h.Do(t, "POST", "/api/v1/employees", c.staff,
			apiPerson(c.dinkes.ID, "199001012015032001", "Besse", "besse@makassarkota.go.id"), ""), 403)

		if after := count(); after != before {
			t.Errorf("refused requests wrote people: %d before, %d after", before, after)
		}
	})
}

func TestAPIEmployeeListPagesAndFilters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newAPICity(t, d)
		h := c.h
		for i, name := range []string{"Andi Baso", "Besse Tenri", "Daeng Nur'aini", "Ä Dottoro'ta"} {
			c.apiCreate(t, apiPerson(c.dinkes.ID, fmt.Sprintf("19850315201001100%d", i+1), name, fmt.Sprintf("p%d@makassarkota.go.id", i)))
		}
		honorer := c.apiCreate(t, org.EmployeeInput{AgencyID: c.dinkes.ID, Name: "Hasan Honorer", EmploymentType: org.EmploymentContract})
		c.apiCreate(t, apiPerson(c.disdik.ID, "199001012015032001", "Citra Guru", "citra@makassarkota.go.id"))
		if r := h.Do(t, "POST", fmt.Sprintf("/api/v1/employees/%d/deactivate", honorer.ID), c.dinkesAdmin,
			map[string]string{"reason": org.EndContractEnded}, ""); r.Status != 200 {
			t.Fatalf("deactivate: %d %s", r.Status, r.Body)
		}

		all := apiGetList[org.Employee](t, h, fmt.Sprintf("/api/v1/employees?agency_id=%d&limit=500", c.dinkes.ID), c.staff)
		if all.Next != nil || len(all.Items) < 7 { // 5 made here and at least the Dinkes admin and staff
			t.Fatalf("one page of Dinkes: %d items, next %v", len(all.Items), all.Next)
		}
		var walked []int64
		path := fmt.Sprintf("/api/v1/employees?agency_id=%d&limit=1", c.dinkes.ID)
		for pages := 0; ; pages++ {
			if pages > len(all.Items) {
				t.Fatal("next never ends")
			}
			l := apiGetList[org.Employee](t, h, path, c.staff)
			if len(l.Items) != 1 || l.Items[0].AgencyID != c.dinkes.ID {
				t.Fatalf("page %d: %+v", pages, l.Items)
			}
			walked = append(walked, l.Items[0].ID)
			if l.Next == nil {
				break
			}
			path = fmt.Sprintf("/api/v1/employees?agency_id=%d&limit=1&cursor=%s", c.dinkes.ID, *l.Next)
		}
		var want []int64
		for _, e := range all.Items {
			want = append(want, e.ID)
		}
		if !slices.Equal(walked, want) {
			t.Errorf("walking next: %v, one page: %v", walked, want)
		}

		names := func(query, token string) []string {
			var out []string
			for _, e := range apiGetList[org.Employee](t, h, "/api/v1/employees"+query, token).Items {
				out = append(out, e.Name)
			}
			return out
		}
		for _, tc := range []struct {
			query string
			token string
			want  []string
		}{
			{"?q=dottoro%27ta", c.staff, []string{"Ä Dottoro'ta"}},
			{"?q=%C3%84+dottoro", c.staff, []string{"Ä Dottoro'ta"}},
			{"?employment_type=contract&q=hasan&agency_id=" + fmt.Sprint(c.dinkes.ID), c.staff, []string{"Hasan Honorer"}},
			{"?employment_type=pns&q=besse", c.staff, []string{"Besse Tenri"}},
			{"?active=false", c.staff, []string{"Hasan Honorer"}},
			{fmt.Sprintf("?agency_id=%d&active=true&q=guru", c.disdik.ID), c.staff, []string{"Citra Guru"}},
			// NIPs are searched only by those who may see them.
			{"?q=198503152010011003", c.staff, nil},
			{fmt.Sprintf("?agency_id=%d&q=198503152010011003", c.dinkes.ID), c.dinkesAdmin, []string{"Daeng Nur'aini"}},
		} {
			if got := names(tc.query, tc.token); !slices.Equal(got, tc.want) {
				t.Errorf("employees%s: %v, want %v", tc.query, got, tc.want)
			}
		}
		for _, tc := range []struct{ query, field string }{
			{"?active=yes", "active"}, {"?agency_id=DINKES", "agency_id"}, {"?unit_id=-1", "unit_id"},
			{"?employment_type=honorer", "employment_type"}, {"?limit=0", "limit"}, {"?cursor=zzz", "cursor"},
		} {
			servertest.ProblemFields(t, h.Do(t, "GET", "/api/v1/employees"+tc.query, c.staff, nil, ""), 422, tc.field)
		}
	})
}

func TestAPIEmployeeMasking(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newAPICity(t, d)
		h := c.h
		andi := c.apiCreate(t, apiPerson(c.dinkes.ID, "198503152010011002", "Andi Baso", "andi@makassarkota.go.id"))
		path := fmt.Sprintf("/api/v1/employees/%d", andi.ID)
		for _, tc := range []struct {
			who   string
			token string
			sees  bool
		}{
			{"an employee of the agency", c.staff, false},
			{"another agency's admin", c.disdikAdmin, false},
			{"the agency admin", c.dinkesAdmin, true},
			{"the superadmin", c.super, true},
		} {
			var e map[string]any
			r := h.Do(t, "GET", path, tc.token, nil, "")
			r.JSON(t, &e)
			if r.Status != 200 || e["name"] != "Andi Baso" || e["agency_id"] != float64(c.dinkes.ID) {
				t.Fatalf("%s: %d %s", tc.who, r.Status, r.Body)
			}
			for _, k := range []string{"nip", "email", "phone"} {
				v, present := e[k]
				if !present {
					t.Errorf("%s: %s missing, want it present (null when hidden)", tc.who, k)
				}
				if (v != nil) != tc.sees {
					t.Errorf("%s sees %s = %v", tc.who, k, v)
				}
			}
			l := apiGetList[map[string]any](t, h, "/api/v1/employees?q=andi", tc.token)
			if len(l.Items) != 1 || (l.Items[0]["nip"] != nil) != tc.sees {
				t.Errorf("%s in the list: %v", tc.who, l.Items)
			}
			if tc.sees {
				continue
			}
			servertest.ProblemFields(t, h.Do(t, "GET", path+"/transfers", tc.token, nil, ""), 403)
		}
		// A person sees their own private fields.
		self := apiGetList[org.Employee](t, h, "/api/v1/employees?q=staf.dinkes", c.staff)
		if len(self.Items) != 1 || self.Items[0].Email == nil || *self.Items[0].Email != "staf.dinkes@makassarkota.go.id" {
			t.Errorf("own record: %+v", self.Items)
		}
	})
}

func TestAPIEmployeePatch(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newAPICity(t, d)
		h := c.h
		andi := c.apiCreate(t, apiPerson(c.dinkes.ID, "198503152010011002", "Andi Baso", "andi@makassarkota.go.id"))
		citra := c.apiCreate(t, apiPerson(c.disdik.ID, "199001012015032001", "Citra Guru", "citra@makassarkota.go.id"))
		path := fmt.Sprintf("/api/v1/employees/%d", andi.ID)
		patch := func(token, body string) servertest.Response {
			return h.Do(t, "PATCH", path, token, body, "application/merge-patch+json")
		}
		read := func() org.Employee {
			var e org.Employee
			h.Do(t, "GET", path, c.super, nil, "").JSON(t, &e)
			return e
		}

		// Absent members stay; null clears email; a name round-trips.
		r := patch(c.dinkesAdmin, `{"name": "Andi Nur'aini Dottoro'ta Ä", "email": null, "rank": "III/b"}`)
		if r.Status != 200 {
			t.Fatalf("patch: %d %s", r.Status, r.Body)
		}
		e := read()
		if e.Name != "Andi Nur'aini Dottoro'ta Ä" || e.Email != nil || e.Rank != "III/b" ||
			e.NIP == nil || *e.NIP != "198503152010011002" || e.Phone == nil || e.UnitName != "Bidang Pelayanan" ||
			e.PositionName != "Analis Kebijakan" || e.FrontTitle != andi.FrontTitle {
			t.Errorf("after patch: %+v", e)
		}
		// application/json is accepted as a merge patch too; null clears the unit and phone.
		r = h.Do(t, "PATCH", path, c.dinkesAdmin, `{"unit_name": null, "phone": null, "supervisor_id": null}`, "application/json")
		if e = read(); r.Status != 200 || e.UnitID != nil || e.UnitName != "" || e.Phone != nil || e.Name != "Andi Nur'aini Dottoro'ta Ä" {
			t.Errorf("clearing unit and phone: %d %+v", r.Status, e)
		}
		before := read()

		for _, tc := range []struct {
			name   string
			body   string
			status int
			fields []string
		}{
			{"NIP null for a civil servant", `{"nip": null}`, 422, []string{"nip"}},
			{"malformed NIP", `{"nip": "12345"}`, 422, []string{"nip"}},
			{"someone else's NIP", `{"nip": "199001012015032001"}`, 409, []string{"nip"}},
			{"someone else's email", `{"email": "CITRA@makassarkota.go.id"}`, 409, []string{"email"}},
			{"name null", `{"name": null, "rank": "IV/a"}`, 422, []string{"name"}},
			{"unknown members", `{"agency_id": 2, "nama": "x", "rank": "IV/a"}`, 422, []string{"agency_id", "nama"}},
			{"wrong JSON types", `{"name": 7, "supervisor_id": "boss", "rank": "IV/a"}`, 422, []string{"name", "supervisor_id"}},
			{"unknown supervisor", `{"supervisor_id": 99999}`, 422, []string{"supervisor_id"}},
			{"not an object", `[1, 2]`, 422, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				servertest.ProblemFields(t, patch(c.dinkesAdmin, tc.body), tc.status, tc.fields...)
			})
		}
		servertest.ProblemFields(t, h.Do(t, "PATCH", path, c.dinkesAdmin, `{"rank": "IV/a"}`, "text/plain"), 415)
		servertest.ProblemFields(t, patch("", `{"rank": "IV/a"}`), 401)
		servertest.ProblemFields(t, patch(c.staff, `{"rank": "IV/a"}`), 403)
		servertest.ProblemFields(t, h.Do(t, "PATCH", "/api/v1/employees/99999", c.super, `{"rank": "IV/a"}`, "application/merge-patch+json"), 404)
		// A Dinkes admin may not touch Disdik's people.
		servertest.ProblemFields(t, h.Do(t, "PATCH", fmt.Sprintf("/api/v1/employees/%d", citra.ID), c.dinkesAdmin,
			`{"name": "Citra Diubah"}`, "application/merge-patch+json"), 403)
		if after := read(); after.Rank != before.Rank || after.Name != before.Name || !after.UpdatedAt.Equal(before.UpdatedAt) {
			t.Errorf("a refused patch wrote: %+v", after)
		}

		// A contract worker may lose the NIP only with the employment type.
		r = patch(c.dinkesAdmin, `{"employment_type": "contract", "nip": null}`)
		if e = read(); r.Status != 200 || e.NIP != nil || e.EmploymentType != org.EmploymentContract {
			t.Errorf("to contract without NIP: %d %s", r.Status, r.Body)
		}
	})
}

func TestAPIEmployeeDeactivateAndTransfer(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newAPICity(t, d)
		h := c.h
		andi := c.apiCreate(t, apiPerson(c.dinkes.ID, "198503152010011002", "Andi Baso", "andi@makassarkota.go.id"))
		base := fmt.Sprintf("/api/v1/employees/%d", andi.ID)

		for _, tc := range []struct {
			body   any
			status int
			fields []string
		}{
			{map[string]any{"to_agency_id": c.disdik.ID, "effective_on": "2024-13-01"}, 422, []string{"effective_on"}},
			{map[string]any{"to_agency_id": c.disdik.ID, "effective_on": "1 Juli 2024"}, 422, []string{"effective_on"}},
			{map[string]any{"to_agency_id": 9999}, 422, []string{"to_agency_id"}},
			{map[string]any{"to_agency_id": c.dinkes.ID}, 422, []string{"to_agency_id"}},
			{map[string]any{"to_agency_id": "DISDIK"}, 422, []string{"to_agency_id"}},
			{map[string]any{"to_agency": c.disdik.ID}, 422, []string{"to_agency"}},
		} {
			servertest.ProblemFields(t, h.Do(t, "POST", base+"/transfer", c.dinkesAdmin, tc.body, ""), tc.status, tc.fields...)
		}
		servertest.ProblemFields(t, h.Do(t, "POST", base+"/transfer", c.disdikAdmin, map[string]any{"to_agency_id": c.disdik.ID}, ""), 403)

		r := h.Do(t, "POST", base+"/transfer", c.dinkesAdmin, map[string]any{"to_agency_id": c.disdik.ID,
			"unit_name": "Bidang Pendidikan Dasar", "position_name": "Pengawas", "effective_on": "2024-07-01",
			"decree": "821.2/045/BKPSDM/VII/2024"}, "")
		var moved map[string]any
		r.JSON(t, &moved)
		if r.Status != 200 || moved["agency_id"] != float64(c.disdik.ID) || moved["unit_name"] != "Bidang Pendidikan Dasar" {
			t.Fatalf("transfer: %d %s", r.Status, r.Body)
		}
		if moved["nip"] != nil {
			t.Errorf("the old agency's admin still sees the moved person's NIP: %v", moved["nip"])
		}
		l := apiGetList[org.Transfer](t, h, base+"/transfers", c.disdikAdmin)
		if len(l.Items) != 1 || l.Items[0].FromAgencyID != c.dinkes.ID || l.Items[0].ToAgencyID != c.disdik.ID ||
			l.Items[0].EffectiveOn.Format("2006-01-02") != "2024-07-01" || l.Items[0].Decree != "821.2/045/BKPSDM/VII/2024" ||
			l.Next != nil {
			t.Errorf("transfers: %+v", l)
		}

		for _, tc := range []struct {
			body   any
			fields []string
		}{
			{map[string]any{"reason": "bored"}, []string{"reason"}},
			{map[string]any{"reason": org.EndRetired, "on": "2999-01-01"}, []string{"on"}},
			{map[string]any{"reason": org.EndRetired, "on": "31/12/2024"}, []string{"on"}},
		} {
			servertest.ProblemFields(t, h.Do(t, "POST", base+"/deactivate", c.disdikAdmin, tc.body, ""), 422, tc.fields...)
		}
		servertest.ProblemFields(t, h.Do(t, "POST", base+"/deactivate", c.dinkesAdmin, map[string]any{"reason": org.EndRetired}, ""), 403)
		r = h.Do(t, "POST", base+"/deactivate", c.disdikAdmin, map[string]any{"reason": org.EndRetired, "on": "2025-01-31"}, "")
		var ended org.Employee
		r.JSON(t, &ended)
		if r.Status != 200 || ended.Active || ended.EndReason == nil || *ended.EndReason != org.EndRetired ||
			ended.EndedOn == nil || ended.EndedOn.Format("2006-01-02") != "2025-01-31" || ended.NIP == nil {
			t.Errorf("deactivate: %d %s", r.Status, r.Body)
		}
		servertest.ProblemFields(t, h.Do(t, "POST", base+"/deactivate", c.disdikAdmin, map[string]any{"reason": org.EndRetired}, ""), 409)
		servertest.ProblemFields(t, h.Do(t, "POST", base+"/transfer", c.disdikAdmin, map[string]any{"to_agency_id": c.dinkes.ID}, ""), 409)
		servertest.ProblemFields(t, h.Do(t, "POST", "/api/v1/employees/99999/deactivate", c.super, map[string]any{"reason": org.EndRetired}, ""), 404)
	})
}

func TestAPIDescribedInOpenAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		var doc struct {
			Paths map[string]map[string]struct {
				Tags        []string `json:"tags"`
				Summary     string   `json:"summary"`
				Parameters  []struct{ Name, In string }
				RequestBody map[string]any `json:"requestBody"`
				Responses   map[string]any `json:"responses"`
			} `json:"paths"`
		}
		h.Do(t, "GET", "/api/v1/openapi.json", "", nil, "").JSON(t, &doc)
		for _, tc := range []struct {
			method, path, tag, status string
			body                      bool
			query                     []string
		}{
			{"get", "/api/v1/agencies", "agencies", "200", false, []string{"type", "parent_id", "q", "limit", "cursor"}},
			{"post", "/api/v1/agencies", "agencies", "201", true, nil},
			{"get", "/api/v1/agencies/{id}", "agencies", "200", false, nil},
			{"patch", "/api/v1/agencies/{id}", "agencies", "200", true, nil},
			{"get", "/api/v1/agencies/{id}/units", "agencies", "200", false, nil},
			{"get", "/api/v1/employees", "employees", "200", false, []string{"agency_id", "unit_id", "employment_type", "active", "q", "limit", "cursor"}},
			{"post", "/api/v1/employees", "employees", "201", true, nil},
			{"get", "/api/v1/employees/{id}", "employees", "200", false, nil},
			{"patch", "/api/v1/employees/{id}", "employees", "200", true, nil},
			{"post", "/api/v1/employees/{id}/deactivate", "employees", "200", true, nil},
			{"post", "/api/v1/employees/{id}/transfer", "employees", "200", true, nil},
			{"get", "/api/v1/employees/{id}/transfers", "employees", "200", false, nil},
		} {
			op, ok := doc.Paths[tc.path][tc.method]
			if !ok {
				t.Errorf("%s %s is not described", tc.method, tc.path)
				continue
			}
			var query []string
			for _, p := range op.Parameters {
				if p.In == "query" {
					query = append(query, p.Name)
				}
			}
			if !slices.Equal(op.Tags, []string{tc.tag}) || op.Summary == "" || (op.RequestBody != nil) != tc.body ||
				op.Responses[tc.status] == nil || !slices.Equal(query, tc.query) {
				t.Errorf("%s %s described as %+v", tc.method, tc.path, op)
			}
		}
	})
}
