package ideas_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/ideas"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
	"github.com/lontara-id/lontara/internal/web"
)

func count(t *testing.T, d *db.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := d.R.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func app(t *testing.T, d *db.DB, slug, name string, owner int64) int64 {
	t.Helper()
	id, err := db.InsertID(context.Background(), d.W, `INSERT INTO apps (slug, name, owner_agency_id, status, created_at,
		updated_at) VALUES ($1, $2, $3, 'active', $4, $4) RETURNING id`, slug, name, owner, time.Now().UTC())
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// world is a city with two agencies, an application of the first, its
// head, the other's head, two employees and the executive.
type world struct {
	h                *servertest.Harness
	kominfo, bapenda int64
	sipd             int64
	head, otherHead  string // tokens
	nur, dottorota   string
	exec             string
	pw               map[string]string
	nurAcc, dottoAcc int64
	headAcc, execAcc int64
}

func newWorld(t *testing.T, d *db.DB) world {
	h := servertest.Start(t, d)
	w := world{h: h}
	w.kominfo = h.Agency(t, "DISKOMINFO", "Dinas Komunikasi dan Informatika", "dinas").ID
	w.bapenda = h.Agency(t, "BAPENDA", "Badan Pendapatan Daerah", "badan").ID
	w.pw = h.Users(t,
		servertest.Person{Email: "kadis@kominfo.go.id", Name: "Kadis Kominfo", Role: policy.AgencyHead, Agency: "DISKOMINFO"},
		servertest.Person{Email: "kaban@bapenda.go.id", Name: "Kaban Bapenda", Role: policy.AgencyHead, Agency: "BAPENDA"},
		servertest.Person{Email: "nuraini@bapenda.go.id", Name: "Nur'aini", Role: policy.Employee, Agency: "BAPENDA"},
		servertest.Person{Email: "dottorota@bapenda.go.id", Name: "Dottoro'ta", Role: policy.Employee, Agency: "BAPENDA"},
		servertest.Person{Email: "sekda@makassarkota.go.id", Name: "Sekretaris Daerah", Role: policy.Executive},
	)
	w.sipd = app(t, d, "sipd", "SIPD", w.kominfo)
	w.head, w.otherHead = h.Token(t, "kadis@kominfo.go.id"), h.Token(t, "kaban@bapenda.go.id")
	w.nur, w.dottorota, w.exec = h.Token(t, "nuraini@bapenda.go.id"), h.Token(t, "dottorota@bapenda.go.id"),
		h.Token(t, "sekda@makassarkota.go.id")
	w.nurAcc, w.dottoAcc = h.AccountID(t, "nuraini@bapenda.go.id"), h.AccountID(t, "dottorota@bapenda.go.id")
	w.headAcc, w.execAcc = h.AccountID(t, "kadis@kominfo.go.id"), h.AccountID(t, "sekda@makassarkota.go.id")
	return w
}

func (w world) propose(t *testing.T, token string, in ideas.Input) ideas.Idea {
	t.Helper()
	r := w.h.Do(t, "POST", "/api/v1/ideas", token, in, "")
	if r.Status != http.StatusCreated {
		t.Fatalf("propose: %d %s", r.Status, r.Body)
	}
	var i ideas.Idea
	r.JSON(t, &i)
	return i
}

func TestAnIdeaForAnApplicationGoesToItsOwnerAndTheListFilters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		i := w.propose(t, w.nur, ideas.Input{AppID: &w.sipd, Title: "Ekspor DPA ke Excel untuk Nur'aini",
			Body: "Tolong tambahkan **ekspor**."})
		if i.AgencyID != w.kominfo || i.Topic != ideas.TopicApp || i.Status != ideas.StatusNew || i.AuthorName != "Nur'aini" ||
			i.Title != "Ekspor DPA ke Excel untuk Nur'aini" || i.AppName != "SIPD" || i.AnsweredAt != nil {
			t.Fatalf("created: %+v", i)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM notifications WHERE account_id = $1 AND kind = 'ideas.new'`, w.headAcc); n != 1 {
			t.Errorf("the owner's head got %d notifications, want 1", n)
		}
		proc := w.propose(t, w.dottorota, ideas.Input{AgencyID: &w.bapenda, Procedure: "Pengajuan cuti",
			Title: "Cuti cukup disetujui atasan langsung"})
		if proc.AgencyID != w.bapenda || proc.Topic != ideas.TopicProcedure || proc.Procedure != "Pengajuan cuti" {
			t.Fatalf("procedure idea: %+v", proc)
		}

		var list web.List[ideas.Idea]
		w.h.Do(t, "GET", "/api/v1/ideas?agency_id="+strconv.FormatInt(w.kominfo, 10), w.dottorota, nil, "").JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].ID != i.ID || list.Next != nil {
			t.Errorf("by owner agency: %+v", list)
		}
		w.h.Do(t, "GET", "/api/v1/ideas?app_id="+strconv.FormatInt(w.sipd, 10)+"&status=new", w.dottorota, nil, "").JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].ID != i.ID {
			t.Errorf("by app and status: %+v", list)
		}
		w.h.Do(t, "GET", "/api/v1/ideas?status=done", w.dottorota, nil, "").JSON(t, &list)
		if len(list.Items) != 0 {
			t.Errorf("done: %+v", list)
		}
		w.h.Do(t, "GET", "/api/v1/ideas?limit=1", w.dottorota, nil, "").JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].ID != proc.ID || list.Next == nil {
			t.Fatalf("first page: %+v", list)
		}
		w.h.Do(t, "GET", "/api/v1/ideas?limit=1&cursor="+*list.Next, w.dottorota, nil, "").JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].ID != i.ID {
			t.Errorf("second page: %+v", list)
		}
		servertest.ProblemFields(t, w.h.Do(t, "GET", "/api/v1/ideas?status=maybe", w.nur, nil, ""),
			http.StatusUnprocessableEntity, "status")
		servertest.Problem(t, w.h.Do(t, "GET", "/api/v1/ideas", "", nil, ""), http.StatusUnauthorized)
	})
}

func TestBadIdeasAreRefusedAndNothingIsWritten(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		unknown := int64(9999)
		cases := []struct {
			name   string
			in     ideas.Input
			fields []string
		}{
			{"no topic", ideas.Input{Title: "Sesuatu"}, []string{"app_id"}},
			{"no title", ideas.Input{AppID: &w.sipd}, []string{"title"}},
			{"an unknown application", ideas.Input{AppID: &unknown, Title: "X"}, []string{"app_id"}},
			{"a procedure without its name", ideas.Input{AgencyID: &w.bapenda, Title: "X"}, []string{"procedure"}},
			{"an unknown agency", ideas.Input{AgencyID: &unknown, Procedure: "Cuti", Title: "X"}, []string{"agency_id"}},
		}
		for _, c := range cases {
			servertest.ProblemFields(t, w.h.Do(t, "POST", "/api/v1/ideas", w.nur, c.in, ""),
				http.StatusUnprocessableEntity, c.fields...)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM ideas`); n != 0 {
			t.Errorf("%d ideas written", n)
		}
	})
}

func TestOneVotePerPersonAndWithdrawing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		i := w.propose(t, w.nur, ideas.Input{AppID: &w.sipd, Title: "Masuk dengan NIP"})
		path := "/api/v1/ideas/" + strconv.FormatInt(i.ID, 10) + "/vote"
		var got ideas.Idea
		for range 2 {
			w.h.Do(t, "PUT", path, w.dottorota, nil, "").JSON(t, &got)
		}
		if got.Votes != 1 || !got.Voted {
			t.Errorf("after voting twice: %d votes, voted %v", got.Votes, got.Voted)
		}
		w.h.Do(t, "PUT", path, w.nur, nil, "").JSON(t, &got)
		if got.Votes != 2 {
			t.Errorf("two people: %d", got.Votes)
		}
		w.h.Do(t, "DELETE", path, w.dottorota, nil, "").JSON(t, &got)
		w.h.Do(t, "DELETE", path, w.dottorota, nil, "").JSON(t, &got)
		if got.Votes != 1 || got.Voted {
			t.Errorf("after withdrawing: %d votes, voted %v", got.Votes, got.Voted)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM idea_votes WHERE idea_id = $1`, i.ID); n != 1 {
			t.Errorf("%d votes stored", n)
		}
		servertest.Problem(t, w.h.Do(t, "PUT", "/api/v1/ideas/9999/vote", w.nur, nil, ""), http.StatusNotFound)
	})
}

func TestOnlyTheOwnersLeadershipAnswersAndTheAnswerIsRequired(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		i := w.propose(t, w.nur, ideas.Input{AppID: &w.sipd, Title: "Notifikasi SPM lewat WhatsApp"})
		base := "/api/v1/ideas/" + strconv.FormatInt(i.ID, 10)
		w.h.Do(t, "PUT", base+"/vote", w.dottorota, nil, "")
		w.h.Do(t, "POST", base+"/comments", w.dottorota, ideas.CommentInput{Body: "Setuju, Dottoro'ta juga perlu"}, "")

		servertest.Problem(t, w.h.Do(t, "PUT", base, w.dottorota, ideas.EditInput{Title: "Punya saya"}, ""), http.StatusForbidden)
		var edited ideas.Idea
		w.h.Do(t, "PUT", base, w.nur, ideas.EditInput{Title: "Notifikasi SPM lewat WhatsApp dan SMS"}, "").JSON(t, &edited)
		if edited.Title != "Notifikasi SPM lewat WhatsApp dan SMS" {
			t.Errorf("edited: %+v", edited)
		}
		ok := ideas.AnswerInput{Status: ideas.StatusReview, Answer: "Kami kaji bersama tim SIPD."}
		servertest.Problem(t, w.h.Do(t, "POST", base+"/answers", w.nur, ok, ""), http.StatusForbidden)
		servertest.Problem(t, w.h.Do(t, "POST", base+"/answers", w.otherHead, ok, ""), http.StatusForbidden)
		servertest.ProblemFields(t, w.h.Do(t, "POST", base+"/answers", w.head, ideas.AnswerInput{Status: ideas.StatusPlanned},
			""), http.StatusUnprocessableEntity, "answer")
		servertest.ProblemFields(t, w.h.Do(t, "POST", base+"/answers", w.head, ideas.AnswerInput{Status: ideas.StatusNew,
			Answer: "x"}, ""), http.StatusUnprocessableEntity, "status")
		if n := count(t, d, `SELECT COUNT(*) FROM idea_answers`); n != 0 {
			t.Fatalf("%d answers written by refused requests", n)
		}

		r := w.h.Do(t, "POST", base+"/answers", w.head, ok, "")
		if r.Status != http.StatusCreated {
			t.Fatalf("answer: %d %s", r.Status, r.Body)
		}
		var got ideas.Idea
		r.JSON(t, &got)
		if got.Status != ideas.StatusReview || got.AnsweredAt == nil || got.Answer != ok.Answer || got.AnsweredBy != "Kadis Kominfo" {
			t.Fatalf("answered: %+v", got)
		}
		first := *got.AnsweredAt
		servertest.Problem(t, w.h.Do(t, "PUT", base, w.nur, ideas.EditInput{Title: "Lain"}, ""), http.StatusConflict)
		w.h.Do(t, "POST", base+"/answers", w.exec, ideas.AnswerInput{Status: ideas.StatusPlanned,
			Answer: "Masuk rencana triwulan depan."}, "").JSON(t, &got)
		if got.Status != ideas.StatusPlanned || !got.AnsweredAt.Equal(first) || got.Answer != ok.Answer || len(got.Answers) != 2 ||
			got.Answers[1].StatusFrom != ideas.StatusReview || len(got.Comments) != 1 || got.Comments[0].By != "Dottoro'ta" {
			t.Errorf("second answer: %+v", got)
		}
		for _, acc := range []int64{w.nurAcc, w.dottoAcc} {
			if n := count(t, d, `SELECT COUNT(*) FROM notifications WHERE account_id = $1 AND kind LIKE 'ideas.answered.%'`,
				acc); n != 2 {
				t.Errorf("account %d was told of %d answers, want 2", acc, n)
			}
		}
		if n := count(t, d, `SELECT COUNT(*) FROM notifications WHERE account_id = $1 AND kind = 'ideas.commented'`,
			w.nurAcc); n != 1 {
			t.Errorf("the author was told of %d comments", n)
		}
	})
}

func TestTheWaitForAnAnswerIsMeasuredPerAgency(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ctx := context.Background()
		now := time.Now().UTC()
		mk := func(token string, in ideas.Input, age time.Duration, answerAfter *time.Duration) int64 {
			i := w.propose(t, token, in)
			created := now.Add(-age)
			if _, err := d.W.Exec(`UPDATE ideas SET created_at = $1 WHERE id = $2`, created, i.ID); err != nil {
				t.Fatal(err)
			}
			if answerAfter != nil {
				if _, err := d.W.Exec(`UPDATE ideas SET status = 'review', answer = 'ok', answered_at = $1, answered_by = $2
					WHERE id = $3`, created.Add(*answerAfter), w.headAcc, i.ID); err != nil {
					t.Fatal(err)
				}
			}
			return i.ID
		}
		day := 24 * time.Hour
		d2, d40, d10 := 2*day, 40*day, 10*day
		mk(w.nur, ideas.Input{AppID: &w.sipd, Title: "A"}, 60*day, &d2)
		mk(w.nur, ideas.Input{AppID: &w.sipd, Title: "B"}, 50*day, &d40)
		mk(w.nur, ideas.Input{AppID: &w.sipd, Title: "C"}, 12*day, nil)
		mk(w.nur, ideas.Input{AgencyID: &w.bapenda, Procedure: "Cuti", Title: "D"}, 20*day, &d10)
		mk(w.nur, ideas.Input{AppID: &w.sipd, Title: "old"}, 400*day, nil) // outside the span

		stats, err := ideas.AnswerStats(ctx, d.R, nil, now.Add(-100*day), now.Add(time.Hour), now)
		if err != nil {
			t.Fatal(err)
		}
		k := stats[w.kominfo]
		if k.Received != 3 || k.Answered != 2 || k.AnsweredIn30 != 1 || k.Waiting != 1 || k.OldestWaitDays != 12 ||
			k.MedianWaitDays == nil || *k.MedianWaitDays != 21 {
			t.Errorf("kominfo: %+v", k)
		}
		all := stats[0]
		if all.Received != 4 || all.Answered != 3 || all.AnsweredIn30 != 2 || *all.MedianWaitDays != 10 {
			t.Errorf("all: %+v", all)
		}
		only, err := ideas.AnswerStats(ctx, d.R, []int64{w.bapenda}, now.Add(-100*day), now.Add(time.Hour), now)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := only[w.kominfo]; ok || only[0].Received != 1 || only[w.bapenda].Answered != 1 {
			t.Errorf("bapenda only: %+v", only)
		}

		var list []ideas.AnswerStat
		w.h.Do(t, "GET", "/api/v1/idea-waits?period="+strconv.Itoa(now.Year()), w.head, nil, "").JSON(t, &list)
		for _, st := range list {
			if st.AgencyID != w.kominfo {
				t.Errorf("the head of Kominfo sees %+v", st)
			}
		}
		w.h.Do(t, "GET", "/api/v1/idea-waits", w.exec, nil, "").JSON(t, &list)
		if len(list) == 0 || list[len(list)-1].AgencyID != 0 {
			t.Errorf("the executive's list ends with the city: %+v", list)
		}
		for _, st := range list { // what waits counts whenever it came
			if st.AgencyID == w.kominfo && (st.Waiting != 2 || st.OldestWaitDays != 400) {
				t.Errorf("kominfo's backlog: %+v", st)
			}
		}
		servertest.Problem(t, w.h.Do(t, "GET", "/api/v1/idea-waits", w.nur, nil, ""), http.StatusForbidden)
		servertest.ProblemFields(t, w.h.Do(t, "GET", "/api/v1/idea-waits?period=2026-Q5", w.exec, nil, ""),
			http.StatusUnprocessableEntity, "period")

		b := w.h.SignIn(t, "sekda@makassarkota.go.id", w.pw["sekda@makassarkota.go.id"])
		b.Get("/ide/waktu-tunggu").Want(t, http.StatusOK, "waits page", "Waktu tunggu jawaban", "Seluruh kota")
		csv := b.Get("/ide/waktu-tunggu?format=csv")
		if csv.Status != http.StatusOK || csv.Header.Get("Content-Type") != "text/csv; charset=utf-8" {
			t.Errorf("csv: %d %s", csv.Status, csv.Header.Get("Content-Type"))
		}
	})
}

func TestTheIdeaPagesWorkWithoutJavaScript(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		nur := w.h.SignIn(t, "nuraini@bapenda.go.id", w.pw["nuraini@bapenda.go.id"])
		nur.Get("/ide/baru").Want(t, http.StatusOK, "new idea form", "Ajukan ide", "SIPD")
		nur.PostForm("/ide/baru", url.Values{"topic": {"app"}, "app_id": {strconv.FormatInt(w.sipd, 10)}}).
			Want(t, http.StatusUnprocessableEntity, "no title", "wajib diisi")
		p := nur.PostForm("/ide/baru", url.Values{"topic": {"app"}, "app_id": {strconv.FormatInt(w.sipd, 10)},
			"title": {"Laporan realisasi per sub kegiatan"}, "body": {"Mohon *segera*."}})
		if p.Status != http.StatusSeeOther {
			t.Fatalf("create: %d %.300s", p.Status, p.Body)
		}
		link := p.Location
		nur.Get(link).Want(t, http.StatusOK, "idea page", "Laporan realisasi per sub kegiatan", "<em>segera</em>",
			"menunggu 0 hari", "Dukung ide ini")
		nur.PostForm(link+"/dukung", url.Values{"on": {"1"}}).Redirects(t, "vote", link)
		nur.Get(link).Want(t, http.StatusOK, "voted", "Batalkan dukungan")
		nur.PostForm(link+"/komentar", url.Values{"body": {""}}).Want(t, http.StatusUnprocessableEntity, "empty comment")
		nur.PostForm(link+"/ubah", url.Values{"title": {""}}).Want(t, http.StatusUnprocessableEntity, "edit without title", "wajib diisi")
		nur.PostForm(link+"/ubah", url.Values{"title": {"Laporan realisasi per sub kegiatan"}, "body": {"Mohon *segera*, untuk Nur'aini."}}).
			Redirects(t, "edit", link)
		nur.Get(link).Want(t, http.StatusOK, "edited", "untuk Nur&#39;aini", "Ubah ide")
		nur.Get("/ide?sort=votes").Want(t, http.StatusOK, "list", "Laporan realisasi per sub kegiatan", "Nur&#39;aini")
		nur.Get("/ide?sort=sideways").Want(t, http.StatusUnprocessableEntity, "bad sort")

		head := w.h.SignIn(t, "kadis@kominfo.go.id", w.pw["kadis@kominfo.go.id"])
		head.Get(link).Want(t, http.StatusOK, "head's view", "Jawab dan ubah status")
		head.Get("/ide").Want(t, http.StatusOK, "head's list", "Menunggu jawaban Dinas Komunikasi dan Informatika")
		head.PostForm(link+"/jawab", url.Values{"status": {"done"}, "answer": {""}}).
			Want(t, http.StatusUnprocessableEntity, "no answer", "jawaban wajib diisi")
		head.PostForm(link+"/jawab", url.Values{"status": {"done"}, "answer": {"Sudah tersedia di menu Laporan."}}).
			Redirects(t, "answer", link)
		nur.Get(link).Want(t, http.StatusOK, "answered", "Selesai", "Sudah tersedia di menu Laporan.", "dijawab setelah 0 hari")
		nur.Get(link).Lacks(t, "the author's view", "Jawab dan ubah status", "Ubah ide")
		nur.PostForm(link+"/ubah", url.Values{"title": {"Lain"}}).Want(t, http.StatusConflict, "edit once answered")
	})
}

func TestVotesAtOnceAreAllCounted(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		i := w.propose(t, w.nur, ideas.Input{AppID: &w.sipd, Title: "Mode gelap"})
		const n = 12
		var wg sync.WaitGroup
		errc := make(chan error, 2*n)
		for k := range n {
			emp, acc := dbtest.Person(t, d, w.bapenda, "Pemilih "+strconv.Itoa(k), "pemilih"+strconv.Itoa(k)+"@bapenda.go.id")
			actor := &policy.Actor{AccountID: acc, EmployeeID: emp, AgencyID: w.bapenda}
			wg.Add(2)
			for range 2 { // each person twice at once: still one vote
				go func() {
					defer wg.Done()
					_, err := w.h.Svc.Ideas.Vote(context.Background(), actor, i.ID, true)
					errc <- err
				}()
			}
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			if err != nil {
				t.Error(err)
			}
		}
		got, err := w.h.Svc.Ideas.Get(context.Background(), &policy.Actor{AccountID: w.nurAcc}, i.ID)
		if err != nil {
			t.Fatal(err)
		}
		if stored := count(t, d, `SELECT COUNT(*) FROM idea_votes WHERE idea_id = $1`, i.ID); got.Votes != n || stored != n {
			t.Errorf("%d votes counted, %d stored, want %d", got.Votes, stored, n)
		}
	})
}
