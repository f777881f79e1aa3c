package server_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/discuss"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// TestTheAuditLogKeepsWhatPrivateThingsSaidToTheirReaders: what a post in a
// members-only space said stays out of the audit log of the agency's head,
// who is no member, and of an executive; a ticket's text and its internal
// note out of the executive's, who may not read the ticket. The log still
// shows them who did what and when; the head reads there what the ticket
// of their agency said, as on the ticket; the superadmin reads all of it.
func TestTheAuditLogKeepsWhatPrivateThingsSaidToTheirReaders(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		dinkes := h.Agency(t, "DINKES", "Dinas Kesehatan", "dinas")
		h.Agency(t, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		const (
			member, head = "agus@makassarkota.go.id", "kepala@makassarkota.go.id"
			mayor, agent = "walikota@makassarkota.go.id", "agen@makassarkota.go.id"
			super        = "super@makassarkota.go.id"
		)
		pw := h.Users(t, servertest.Person{Email: member, Name: "Agus Usman", Role: policy.Employee, Agency: "DINKES"},
			servertest.Person{Email: head, Name: "Kepala Dinkes", Role: policy.AgencyHead, Agency: "DINKES"},
			servertest.Person{Email: mayor, Name: "Wali Kota", Role: policy.Executive, Agency: "KOMINFO"},
			servertest.Person{Email: agent, Name: "Agen Kominfo", Role: policy.Agent, Agency: "KOMINFO"},
			servertest.Person{Email: super, Name: "Super Admin", Role: policy.Superadmin, Agency: "KOMINFO"})
		tok := map[string]string{}
		for _, e := range []string{member, head, mayor, agent, super} {
			tok[e] = h.Token(t, e)
		}
		sys := policy.SystemActor("test")
		sp, err := h.Svc.Discuss.CreateSpace(context.Background(), sys, discuss.SpaceInput{Name: "Ruang tertutup",
			Level: policy.SpaceAgency, AgencyID: dinkes.ID, MembersOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := h.Svc.Discuss.SetMember(context.Background(), sys, sp.ID, member, discuss.RoleMember); err != nil {
			t.Fatal(err)
		}
		must := func(r servertest.Response, want int, what string) servertest.Response {
			t.Helper()
			if r.Status != want {
				t.Fatalf("%s: %d %s", what, r.Status, r.Body)
			}
			return r
		}
		must(h.Do(t, "POST", fmt.Sprintf("/api/v1/spaces/%d/threads", sp.ID), tok[member],
			map[string]any{"title": "RAHASIA-JUDUL pungli", "body": "RAHASIA-POS laporan dugaan pungli"}, ""), http.StatusCreated, "thread")
		var ticket struct{ Number string }
		must(h.Do(t, "POST", "/api/v1/tickets", tok[member], map[string]any{"subject": "RAHASIA-SUBJEK akun",
			"category": "account", "body": "RAHASIA-TIKET akun saya dipakai orang"}, ""), http.StatusCreated, "ticket").JSON(t, &ticket)
		must(h.Do(t, "POST", "/api/v1/tickets/"+ticket.Number+"/replies", tok[agent],
			map[string]any{"body": "RAHASIA-CATATAN pelapor sedang diperiksa", "internal": true}, ""), http.StatusCreated, "note")

		// The head and the executive may not read the space nor (the
		// executive) the ticket where they are.
		must(h.Do(t, "GET", fmt.Sprintf("/api/v1/spaces/%d/threads", sp.ID), tok[head], nil, ""), http.StatusNotFound, "head reads the space")
		must(h.Do(t, "GET", "/api/v1/tickets/"+ticket.Number, tok[mayor], nil, ""), http.StatusNotFound, "executive reads the ticket")

		type entry struct {
			Entity, Action string
			Before, After  *string
			Withheld       bool
		}
		read := func(who string) []entry {
			t.Helper()
			var page struct{ Items []entry }
			must(h.Do(t, "GET", "/api/v1/audit?limit=200", tok[who], nil, ""), http.StatusOK, who+" reads the log").JSON(t, &page)
			return page.Items
		}
		// What each reader sees of each kind: withheld, or said.
		for who, want := range map[string]map[string]bool{
			head:  {"thread": true, "post": true, "ticket": false}, // the ticket's, as on the ticket; not the desk's note
			mayor: {"thread": true, "post": true, "ticket": true},
		} {
			seen := map[string]bool{}
			for _, e := range read(who) {
				seen[e.Entity] = true
				withheld, ok := want[e.Entity]
				if e.Withheld != (ok && withheld) || e.Withheld && (e.Before != nil || e.After != nil) {
					t.Errorf("%s reads %s %s: %+v", who, e.Entity, e.Action, e)
				}
			}
			for k := range want {
				if !seen[k] {
					t.Errorf("%s no longer sees that a %s was written: %v", who, k, seen)
				}
			}
			page := h.SignIn(t, who, pw[who]).Get("/admin/audit")
			if page.Status != http.StatusOK || !strings.Contains(page.Body, "Isinya hanya dapat dibaca superadmin") {
				t.Errorf("%s's audit page: %d, or it does not say what it withholds", who, page.Status)
			}
			// Its filter offers every kind of entry, in words.
			if !strings.Contains(page.Body, `<option value="thread" >Utas diskusi</option>`) ||
				!strings.Contains(page.Body, `<option value="mentoring_session" >Sesi pendampingan</option>`) {
				t.Errorf("%s's audit page does not offer every kind of entry to filter by", who)
			}
			for _, private := range []string{"RAHASIA-JUDUL", "RAHASIA-POS", "RAHASIA-CATATAN"} {
				if strings.Contains(page.Body, private) {
					t.Errorf("%s's audit page shows %s", who, private)
				}
			}
			if ticketText := strings.Contains(page.Body, "RAHASIA-TIKET"); ticketText != (who == head) {
				t.Errorf("%s's audit page shows the ticket's text: %v", who, ticketText)
			}
		}
		said := 0
		for _, e := range read(super) {
			if e.Withheld {
				t.Errorf("the superadmin is kept from %+v", e)
			}
			if e.After != nil && strings.Contains(*e.After, "RAHASIA-") {
				said++
			}
		}
		if said < 4 { // the thread, its first post, the ticket and the note
			t.Errorf("the superadmin reads %d entries of what was said, want 4 or more", said)
		}
	})
}
