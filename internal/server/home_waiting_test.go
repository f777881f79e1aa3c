package server_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/leadership"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
	"github.com/lontara-id/lontara/internal/survey"
)

// The home page lists what waits for the person: an announcement unread,
// a survey to answer, a follow-up assigned, and for a head the ideas their
// agency has not answered; each goes once it is dealt with.
func TestTheHomePageListsWhatWaitsForThePerson(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		a := h.Agency(t, "BAPENDA", "Badan Pendapatan Daerah", "badan")
		h.Agency(t, "DISPORA", "Dinas Pemuda dan Olahraga", "dinas")
		pw := h.Users(t,
			servertest.Person{Email: "wali@makassarkota.go.id", Name: "Wali Kota", Role: policy.Executive},
			servertest.Person{Email: "kepala@bapenda.go.id", Name: "Kepala Bapenda", Role: policy.AgencyHead, Agency: "BAPENDA"},
			servertest.Person{Email: "nuraini@bapenda.go.id", Name: "Nur'aini", Role: policy.Employee, Agency: "BAPENDA"},
			servertest.Person{Email: "kepala@dispora.go.id", Name: "Kepala Dispora", Role: policy.AgencyHead, Agency: "DISPORA"},
		)
		exec, head, staff := h.Token(t, "wali@makassarkota.go.id"), h.Token(t, "kepala@bapenda.go.id"), h.Token(t, "nuraini@bapenda.go.id")
		nuraini := h.SignIn(t, "nuraini@bapenda.go.id", pw["nuraini@bapenda.go.id"])
		kepala := h.SignIn(t, "kepala@bapenda.go.id", pw["kepala@bapenda.go.id"])
		other := h.SignIn(t, "kepala@dispora.go.id", pw["kepala@dispora.go.id"])
		nuraini.Get("/").Lacks(t, "nothing waits yet", "Menunggu Anda")

		var posted struct{ ID int64 }
		h.Do(t, "POST", "/api/v1/announcements", head, map[string]any{"title": "Bimtek SIPD", "body": "Hadir semua",
			"agency_ids": []int64{a.ID}}, "").JSON(t, &posted)
		if err := h.Svc.Survey.DefaultsJob(context.Background(), time.Now()); err != nil {
			t.Fatal(err)
		}
		var instruments struct{ Items []survey.Instrument }
		h.Do(t, "GET", "/api/v1/survey-instruments", exec, nil, "").JSON(t, &instruments)
		today := time.Now().Format(time.DateOnly)
		var campaign struct{ ID int64 }
		h.Do(t, "POST", "/api/v1/surveys", exec, map[string]any{"instrument_id": instruments.Items[0].ID, "title": "Survei OP",
			"period": "2026-Q4", "agency_ids": []int64{a.ID}, "opens_on": today,
			"closes_on": time.Now().AddDate(0, 0, 14).Format(time.DateOnly)}, "").JSON(t, &campaign)
		if r := h.Do(t, "POST", fmt.Sprintf("/api/v1/surveys/%d/open", campaign.ID), exec, nil, ""); r.Status != http.StatusOK {
			t.Fatalf("open the campaign: %d %s", r.Status, r.Body)
		}
		if r := h.Do(t, "POST", "/api/v1/ideas", staff, map[string]any{"agency_id": a.ID, "procedure": "Pelaporan pajak",
			"title": "Formulir daring"}, ""); r.Status != http.StatusCreated {
			t.Fatalf("idea: %d %s", r.Status, r.Body)
		}

		var nurainiID int64
		if err := d.R.QueryRow(`SELECT employee_id FROM accounts WHERE id = $1`, h.AccountID(t, "nuraini@bapenda.go.id")).Scan(&nurainiID); err != nil {
			t.Fatal(err)
		}
		review, err := h.Svc.Leadership.CreateReview(context.Background(), policy.SystemActor("test"),
			leadership.ReviewInput{AgencyID: a.ID, Period: "2026-Q4", Title: "Monev triwulan"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.Svc.Leadership.AddFollowUp(context.Background(), policy.SystemActor("test"), review.ID,
			leadership.FollowUpInput{Action: "Latih operator", AssigneeID: nurainiID, DueOn: "2026-12-31"}); err != nil {
			t.Fatal(err)
		}

		home := nuraini.Get("/")
		home.Want(t, http.StatusOK, "the employee's home", "Menunggu Anda", "1 pengumuman belum dibaca",
			`href="/pimpinan/pengumuman"`, "1 survei menunggu jawaban Anda", "1 tindak lanjut monev menjadi tugas Anda")
		home.Lacks(t, "an employee answers no ideas", "ide pegawai menunggu")
		kepala.Get("/").Want(t, http.StatusOK, "the head's home", "1 ide pegawai menunggu jawaban Anda",
			fmt.Sprintf(`href="/ide?agency_id=%d&amp;sort=waiting"`, a.ID))
		other.Get("/").Lacks(t, "another agency's head", "ide pegawai menunggu")

		nuraini.Get(fmt.Sprintf("/pimpinan/pengumuman/%d", posted.ID)).Want(t, http.StatusOK, "reading it", "Bimtek SIPD")
		nuraini.Get("/").Lacks(t, "a read announcement", "pengumuman belum dibaca")
	})
}
