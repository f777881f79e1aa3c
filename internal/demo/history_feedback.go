package demo

import (
	"context"
	"slices"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/ideas"
)

var (
	historyIdeas = []struct{ title, body, procedure string }{
		{"Tambahkan tanda tangan elektronik", "Agar surat bisa ditandatangani tanpa dicetak.", ""},
		{"Notifikasi lewat WhatsApp", "Pemberitahuan penting sebaiknya juga dikirim lewat WhatsApp.", ""},
		{"Formulir bisa disimpan sebagai draf", "Formulir panjang sering hilang bila sesi habis.", ""},
		{"Pengajuan cuti cukup satu tingkat persetujuan", "Cuti satu-dua hari cukup disetujui atasan langsung.", "Pengajuan cuti"},
		{"Laporan perjalanan dinas daring", "Laporan perjalanan dinas diunggah daring, tidak lagi dicetak rangkap tiga.", "Perjalanan dinas"},
		{"Rapat koordinasi cukup daring", "Rapat koordinasi bulanan dengan kantor wilayah cukup lewat rapat daring.", "Rapat koordinasi"},
	}
	ideaAnswers = []struct{ status, answer string }{
		{"planned", "Terima kasih, usulan ini masuk rencana triwulan depan."},
		{"done", "Sudah diterapkan. Terima kasih atas usulannya!"},
		{"declined", "Belum dapat kami terapkan karena terbentur aturan yang berlaku."},
		{"review", "Sedang kami kaji bersama unit terkait."},
	}
	thanksReasons = []string{
		"Terima kasih sudah membantu menyelesaikan laporan tepat waktu.",
		"Terima kasih atas bimbingannya memakai aplikasi baru.",
		"Terima kasih sudah menggantikan piket saya.",
		"Penjelasannya di rapat sangat membantu tim kami.",
	}
)

// ideas draws ideasPerThousandYearly ideas a year per 1,000 people, for
// an application (to its owner agency) or a procedure of the author's
// agency, most answered within ideas.AnswerWindow by an admin or the head
// of that agency, with colleagues' votes.
func (h *history) ideas(ctx context.Context) error {
	answerers := map[int64][]int64{}
	for _, g := range h.ds.Grants {
		if g.Role == "agency_admin" || g.Role == "agency_head" {
			answerers[g.AgencyID] = append(answerers[g.AgencyID], g.AccountID)
		}
	}
	super := h.roles["superadmin"]
	n := h.people * ideasPerThousandYearly * historyYears / 1000
	if n == 0 || len(super) == 0 {
		return nil
	}
	type idea struct {
		id, agency, app, author, by int64
		kind                        int
		answer                      int // -1: none yet
		created, answered           time.Time
		voters                      []int64
	}
	is := make([]idea, n)
	for i := range is {
		x := idea{id: h.id("ideas"), author: h.person(), kind: h.r.IntN(len(historyIdeas)), answer: -1}
		x.agency = h.ds.Employees[x.author-1].AgencyID
		if historyIdeas[x.kind].procedure == "" && len(h.ds.Apps) > 0 {
			app := h.ds.Apps[h.r.IntN(len(h.ds.Apps))]
			x.app, x.agency = app.ID, app.Owner
		}
		x.created = h.moment(h.from, h.now.Add(-time.Hour))
		if h.r.IntN(100) < 80 {
			x.answer = h.r.IntN(len(ideaAnswers))
			x.answered = x.created.Add(time.Duration(2+h.r.IntN(int(ideas.AnswerWindow/time.Hour)*5/4)) * time.Hour)
			x.by = super[0]
			if a := answerers[x.agency]; len(a) > 0 {
				x.by = a[h.r.IntN(len(a))]
			}
			if x.answered.After(h.now) {
				x.answer = -1
			}
		}
		for range h.r.IntN(7) {
			if v := h.person(); v != x.author && !slices.Contains(x.voters, v) {
				x.voters = append(x.voters, v)
			}
		}
		is[i] = x
	}
	err := h.write(ctx, "ideas", []string{"id", "agency_id", "app_id", "topic", "procedure_name", "title", "body",
		"author_id", "status", "answer", "answered_by", "answered_at", "votes", "created_at", "updated_at"}, n,
		func(i int, a []any) []any {
			x := is[i]
			t := historyIdeas[x.kind]
			topic := ideas.TopicProcedure
			if x.app != 0 {
				topic = ideas.TopicApp
			}
			status, answer, updated := "new", "", x.created
			var by, at any
			if x.answer >= 0 {
				status, answer, by, at, updated = ideaAnswers[x.answer].status, ideaAnswers[x.answer].answer, x.by,
					x.answered, x.answered
			}
			return append(a, x.id, x.agency, db.NullID(x.app), topic, t.procedure, t.title, t.body, x.author, status, answer,
				by, at, len(x.voters), x.created, updated)
		})
	if err != nil {
		return err
	}
	var answered []idea
	var votes [][3]any
	for _, x := range is {
		if x.answer >= 0 {
			answered = append(answered, x)
		}
		for k, v := range x.voters {
			votes = append(votes, [3]any{x.id, v, x.created.Add(time.Duration(k+1) * time.Hour)})
		}
	}
	err = h.write(ctx, "idea_answers", []string{"id", "idea_id", "status_from", "status_to", "answer", "account_id",
		"created_at"}, len(answered), func(i int, a []any) []any {
		x := answered[i]
		return append(a, h.id("idea_answers"), x.id, "new", ideaAnswers[x.answer].status, ideaAnswers[x.answer].answer,
			x.by, x.answered)
	})
	if err != nil {
		return err
	}
	return h.write(ctx, "idea_votes", []string{"idea_id", "account_id", "created_at"}, len(votes),
		func(i int, a []any) []any { return append(a, votes[i][0], votes[i][1], votes[i][2]) })
}

// thanks draws thanksPerHundredYearly thanks a year per 100 people,
// between colleagues of one agency.
func (h *history) thanks(ctx context.Context) error {
	n := h.people * thanksPerHundredYearly * historyYears / 100
	i := 0
	h.counts["thanks"] += n
	return h.s.copy(ctx, "thanks", []string{"id", "giver_id", "receiver_id", "reason", "created_at"},
		func(a []any) ([]any, bool) {
			for i < n {
				giver := h.person()
				receiver := h.colleague(h.ds.Employees[giver-1].AgencyID)
				if receiver == giver {
					continue
				}
				i++
				return append(a, h.id("thanks"), giver, receiver, thanksReasons[h.r.IntN(len(thanksReasons))],
					h.moment(h.from, h.now.Add(-time.Minute))), true
			}
			return a, false
		})
}
