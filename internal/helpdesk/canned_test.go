package helpdesk_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// team makes a team with the account of email as a member.
func team(t *testing.T, h *servertest.Harness, code, email string) int64 {
	t.Helper()
	ctx, sys := context.Background(), policy.SystemActor("test")
	tm, err := h.Svc.Desk.CreateTeam(ctx, sys, helpdesk.TeamInput{Code: code, Name: "Tim " + code})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Svc.Desk.SetMember(ctx, sys, tm.ID, h.AccountID(t, email), helpdesk.MemberInput{}); err != nil {
		t.Fatal(err)
	}
	return tm.ID
}

func TestCannedRepliesBelongToTheirTeam(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newDesk(t, d)
		c.h.User(t, "agen2@makassarkota.go.id", "Agen Dua", policy.Agent, "KOMINFO")
		c.h.User(t, "super@makassarkota.go.id", "Super Admin", policy.Superadmin, "KOMINFO")
		outsider, super := c.h.Token(t, "agen2@makassarkota.go.id"), c.h.Token(t, "super@makassarkota.go.id")
		tm := team(t, c.h, "aplikasi", "agen@makassarkota.go.id")
		list := fmt.Sprintf("/api/v1/teams/%d/canned-replies", tm)
		body := map[string]any{"title": "Reset sandi", "body": "Halo {{nama_pelapor}}, sandi untuk {{ nomor }} sudah direset. Salam, {{petugas}}"}

		servertest.Problem(t, c.h.Do(t, "POST", list, outsider, body, ""), 403)
		servertest.Problem(t, c.h.Do(t, "POST", list, c.emp, body, ""), 403)
		servertest.Problem(t, c.h.Do(t, "POST", "/api/v1/teams/999/canned-replies", c.agent, body, ""), 404)
		r := c.h.Do(t, "POST", list, c.agent, body, "")
		if r.Status != 201 {
			t.Fatalf("create: %d %s", r.Status, r.Body)
		}
		var reply helpdesk.CannedReply
		r.JSON(t, &reply)
		servertest.ProblemFields(t, c.h.Do(t, "POST", list, c.agent, body, ""), 422, "title")
		servertest.ProblemFields(t, c.h.Do(t, "POST", list, c.agent,
			map[string]any{"title": "Lain", "body": "Halo {{nama}}"}, ""), 422, "body")
		servertest.ProblemFields(t, c.h.Do(t, "POST", list, c.agent, map[string]any{"title": " ", "body": ""}, ""), 422, "title", "body")
		if r := c.h.Do(t, "POST", list, super, map[string]any{"title": "Jaringan putus", "body": "Kami cek."}, ""); r.Status != 201 {
			t.Fatalf("the superadmin adds to any team: %d %s", r.Status, r.Body)
		}

		var got struct{ Items []helpdesk.CannedReply }
		c.h.Do(t, "GET", list, outsider, nil, "").JSON(t, &got)
		if len(got.Items) != 2 || got.Items[1].Title != "Reset sandi" {
			t.Errorf("every agent reads the team's replies: %+v", got.Items)
		}
		servertest.Problem(t, c.h.Do(t, "GET", list, c.emp, nil, ""), 403)

		one := fmt.Sprintf("/api/v1/canned-replies/%d", reply.ID)
		servertest.Problem(t, c.h.Do(t, "PUT", one, outsider, map[string]any{"title": "X", "body": "Y"}, ""), 403)
		r = c.h.Do(t, "PUT", one, c.agent, map[string]any{"title": "Reset kata sandi", "body": "Sandi {{nomor}} direset."}, "")
		if r.Status != 200 {
			t.Fatalf("update: %d %s", r.Status, r.Body)
		}
		r.JSON(t, &reply)
		if reply.Title != "Reset kata sandi" {
			t.Errorf("updated: %+v", reply)
		}
		servertest.Problem(t, c.h.Do(t, "DELETE", one, outsider, nil, ""), 403)
		if r := c.h.Do(t, "DELETE", one, c.agent, nil, ""); r.Status != 204 {
			t.Fatalf("delete: %d %s", r.Status, r.Body)
		}
		servertest.Problem(t, c.h.Do(t, "PUT", one, c.agent, map[string]any{"title": "X", "body": "Y"}, ""), 404)
		var n int
		if err := d.R.QueryRow(`SELECT count(*) FROM audit_log WHERE entity = 'canned_reply'`).Scan(&n); err != nil || n != 4 {
			t.Errorf("canned replies audited %d times (%v), want 4", n, err)
		}
	})
}

func TestCannedReplyFillsPlaceholdersAsText(t *testing.T) {
	tk := helpdesk.Ticket{Number: "T-000042", Subject: "Tolong {{petugas}} <b>segera</b>", ReporterName: "Nur'aini Dottoro'ta"}
	c := helpdesk.CannedReply{Body: "Halo {{nama_pelapor}}, tiket {{ nomor }} ({{subjek}}) ditangani {{petugas}}. {{lain}}"}
	got := c.Fill(tk, &policy.Actor{Name: "Agen Ä"})
	want := "Halo Nur'aini Dottoro'ta, tiket T-000042 (Tolong {{petugas}} <b>segera</b>) ditangani Agen Ä. {{lain}}"
	if got != want {
		t.Errorf("Fill:\n got %q\nwant %q", got, want)
	}
	tk.ReporterName, tk.ContactName = "", "Pak Budi"
	if got := (helpdesk.CannedReply{Body: "{{nama_pelapor}}"}).Fill(tk, &policy.Actor{Name: "A"}); got != "Pak Budi" {
		t.Errorf("an outside contact's name: %q", got)
	}
}
