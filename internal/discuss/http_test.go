package discuss_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/discuss"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// site is a running Lontara with people signed in: Nur'aini and the
// admin in Diskes, Budi in Disdik, an expert and an agent city-wide.
type site struct {
	h                                *servertest.Harness
	nur, budi, admin, expert, agent  *servertest.Client
	nurTok, budiTok, expTok, agntTok string
	diskes                           int64
}

func newSite(t *testing.T, d *db.DB) *site {
	t.Helper()
	h := servertest.Start(t, d)
	s := &site{h: h}
	s.diskes = h.Agency(t, "DISKES", "Dinas Kesehatan", "dinas").ID
	h.Agency(t, "DISDIK", "Dinas Pendidikan", "dinas")
	pw := h.Users(t,
		servertest.Person{Email: "nur.aini@makassarkota.go.id", Name: "Nur'aini Dottoro'ta", Role: "employee", Agency: "DISKES"},
		servertest.Person{Email: "budi@makassarkota.go.id", Name: "Budi Santoso", Role: "employee", Agency: "DISDIK"},
		servertest.Person{Email: "admin.diskes@makassarkota.go.id", Name: "Admin Diskes", Role: "agency_admin", Agency: "DISKES"},
		servertest.Person{Email: "pakar@makassarkota.go.id", Name: "Pakar Kota", Role: "expert"},
		servertest.Person{Email: "agen@makassarkota.go.id", Name: "Agen Aplikasi", Role: "agent"})
	s.nur = h.SignIn(t, "nur.aini@makassarkota.go.id", pw["nur.aini@makassarkota.go.id"])
	s.budi = h.SignIn(t, "budi@makassarkota.go.id", pw["budi@makassarkota.go.id"])
	s.admin = h.SignIn(t, "admin.diskes@makassarkota.go.id", pw["admin.diskes@makassarkota.go.id"])
	s.expert = h.SignIn(t, "pakar@makassarkota.go.id", pw["pakar@makassarkota.go.id"])
	s.agent = h.SignIn(t, "agen@makassarkota.go.id", pw["agen@makassarkota.go.id"])
	s.nurTok = h.Token(t, "nur.aini@makassarkota.go.id")
	s.budiTok = h.Token(t, "budi@makassarkota.go.id")
	s.expTok = h.Token(t, "pakar@makassarkota.go.id")
	s.agntTok = h.Token(t, "agen@makassarkota.go.id")
	return s
}

// createSpace creates a space through the form as c and returns its id.
func (s *site) createSpace(t *testing.T, c *servertest.Client, form url.Values) int64 {
	t.Helper()
	p := c.Submit("/diskusi/ruang-baru", form)
	if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/diskusi/") {
		t.Fatalf("create space: %d %s: %.300s", p.Status, p.Location, p.Body)
	}
	var id int64
	fmt.Sscanf(p.Location, "/diskusi/%d", &id)
	return id
}

// post starts a thread through the form as c and returns its id.
func (s *site) post(t *testing.T, c *servertest.Client, space int64, form url.Values) int64 {
	t.Helper()
	path := fmt.Sprintf("/diskusi/utas/baru?ruang=%d", space)
	p := c.Submit(path, form)
	if p.Status != http.StatusSeeOther {
		t.Fatalf("new thread: %d: %.300s", p.Status, p.Body)
	}
	var id int64
	fmt.Sscanf(p.Location, "/diskusi/utas/%d", &id)
	return id
}

func TestPeopleDiscussThroughThePagesWithoutJavaScript(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		forum := s.createSpace(t, s.expert, url.Values{"name": {"Forum Kota"}, "level": {"city"}, "formal": {"1"}})
		s.createSpace(t, s.admin, url.Values{"name": {"Ruang santai Diskes"}, "level": {"agency"}, "agency_id": {fmt.Sprint(s.diskes)}})
		closed := s.createSpace(t, s.admin, url.Values{"name": {"Pimpinan Diskes"}, "level": {"agency"},
			"agency_id": {fmt.Sprint(s.diskes)}, "members_only": {"1"}})
		// A person without the right gets no form; a bad form is a 422 naming the field.
		if p := s.nur.Get("/diskusi/ruang-baru"); p.Status != http.StatusForbidden {
			t.Errorf("an employee opens the new-space form: %d", p.Status)
		}
		s.expert.Submit("/diskusi/ruang-baru", url.Values{"name": {""}, "level": {"city"}}).
			Want(t, http.StatusUnprocessableEntity, "a space without a name", `id="e-name"`)

		s.nur.Get("/diskusi").Want(t, http.StatusOK, "Nur'aini's discussion home", "Forum Kota", "Forum resmi",
			"Ruang santai Diskes", "Ruang santai", "Seluruh kota")
		s.budi.Get("/diskusi").Lacks(t, "Budi's discussion home", "Ruang santai Diskes", "Pimpinan Diskes")
		s.nur.Get(fmt.Sprintf("/diskusi/%d", closed)).Want(t, http.StatusNotFound, "a members-only space for an outsider")
		s.nur.Get(fmt.Sprintf("/diskusi/ruang/%d/ubah", forum)).Want(t, http.StatusForbidden, "a reader edits a space")
		s.expert.Submit(fmt.Sprintf("/diskusi/ruang/%d/ubah", forum), url.Values{"name": {"Forum Kota Makassar"}, "formal": {"1"}}).
			Redirects(t, "edit the space", fmt.Sprintf("/diskusi/%d", forum))
		s.nur.Get(fmt.Sprintf("/diskusi/%d", forum)).Want(t, http.StatusOK, "the edited space", "Forum Kota Makassar")

		path := fmt.Sprintf("/diskusi/utas/baru?ruang=%d", forum)
		s.nur.Submit(path, url.Values{"title": {""}, "body": {"isi"}}).
			Want(t, http.StatusUnprocessableEntity, "a thread without a title", `id="e-title"`, `aria-invalid="true"`)
		th := s.post(t, s.nur, forum, url.Values{"title": {"Bagaimana ekspor laporan SIKDA?"},
			"body": {"Tombol **ekspor** tidak ada. @budi tahu?"}, "question": {"1"}})
		tp := fmt.Sprintf("/diskusi/utas/%d", th)
		s.budi.Get(tp).Want(t, http.StatusOK, "the thread", "Bagaimana ekspor laporan SIKDA?", "<strong>ekspor</strong>",
			`href="/pegawai/`, "Nur&#39;aini Dottoro&#39;ta", "Pertanyaan")
		// Budi was mentioned: his inbox says so.
		if n := count(t, d, `SELECT COUNT(*) FROM notifications WHERE kind = 'discuss.mention'`); n != 1 {
			t.Errorf("%d mention notifications", n)
		}
		s.budi.PostForm(tp+"/balas", url.Values{"body": {" "}}).
			Want(t, http.StatusUnprocessableEntity, "an empty reply", `id="e-body"`)
		s.budi.PostForm(tp+"/balas", url.Values{"body": {`Menu Laporan → Ekspor. <script>alert(1)</script>[x](javascript:alert(1))`}}).
			Redirects(t, "a reply", tp+"?kiriman=2#p2")
		page := s.nur.Get(tp)
		page.Lacks(t, "the thread with a hostile reply", "<script>alert", "javascript:")
		s.nur.PostForm(tp+"/terima", url.Values{"post_id": {"2"}}).Redirects(t, "accept", tp+"?kiriman=2#p2")
		s.budi.Get(tp).Want(t, http.StatusOK, "the answered thread", "Jawaban yang diterima", `id="a2"`, "Terjawab")
		s.nur.Get(fmt.Sprintf("/diskusi/%d?jenis=unanswered", forum)).Lacks(t, "unanswered questions", "Bagaimana ekspor")
		s.nur.Get(fmt.Sprintf("/diskusi/%d?jenis=question", forum)).Want(t, http.StatusOK, "questions", "Bagaimana ekspor")
		// Reactions toggle through a form.
		s.nur.PostForm("/diskusi/kiriman/2/reaksi", url.Values{"kind": {"helpful"}}).Redirects(t, "helpful", tp+"?kiriman=2#p2")
		s.nur.Get(tp).Want(t, http.StatusOK, "the reaction", `id="r-2-helpful"`, `aria-pressed="true" id="r-2-helpful"`)
		// A locked thread: 409 for a reader, the reply form gone.
		s.expert.Get(tp)
		s.expert.PostForm(tp+"/kunci", url.Values{"on": {"1"}}).Redirects(t, "lock", tp)
		s.budi.Get(tp).Want(t, http.StatusOK, "the locked thread", `id="locked-note"`)
		s.budi.PostForm(tp+"/balas", url.Values{"body": {"masih bisa?"}}).Want(t, http.StatusConflict, "a reply to a locked thread")
		s.budi.PostForm(tp+"/kunci", url.Values{"on": {"0"}}).Want(t, http.StatusForbidden, "a reader unlocks")
		if n := count(t, d, `SELECT COUNT(*) FROM posts`); n != 2 {
			t.Errorf("%d posts after the refused ones", n)
		}
	})
}

func TestModeratorsWorkReportsAndWritersPromoteThroughThePages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		room := s.createSpace(t, s.admin, url.Values{"name": {"Ruang Diskes"}, "level": {"agency"}, "agency_id": {fmt.Sprint(s.diskes)}})
		th := s.post(t, s.nur, room, url.Values{"title": {"Jadwal vaksin"}, "body": {"Kapan jadwalnya?"}})
		tp := fmt.Sprintf("/diskusi/utas/%d", th)
		s.agent.Get(tp)
		s.agent.PostForm(tp+"/balas", url.Values{"body": {"Iklan pinjaman online!"}}).Redirects(t, "a reply", tp+"?kiriman=2#p2")
		s.nur.Submit("/diskusi/kiriman/2/laporkan", url.Values{"reason": {""}}).
			Want(t, http.StatusUnprocessableEntity, "a report without a reason", `id="e-reason"`)
		s.nur.Submit("/diskusi/kiriman/2/laporkan", url.Values{"reason": {"Iklan"}}).Redirects(t, "report", tp+"?kiriman=2#p2")
		s.nur.Get("/diskusi/laporan").Lacks(t, "a reader's reports page", "Iklan pinjaman")
		s.admin.Get("/diskusi").Want(t, http.StatusOK, "the moderator's home", `id="reports-link"`)
		s.admin.Get("/diskusi/laporan").Want(t, http.StatusOK, "the reports queue", "Iklan pinjaman", "Jadwal vaksin")
		s.admin.PostForm("/diskusi/laporan", url.Values{"report_id": {"1"}, "action": {"hide"}}).
			Redirects(t, "act on the report", "/diskusi/laporan")
		s.admin.Get("/diskusi/laporan").Want(t, http.StatusOK, "the empty queue", `id="no-reports"`)
		s.agent.Get(tp).Want(t, http.StatusOK, "the author's view", "Alasan: Iklan", "Iklan pinjaman online!")
		s.nur.Get(tp).Lacks(t, "a reader's view of the hidden post", "Iklan pinjaman online!")
		// Members management: the admin names Nur'aini a moderator.
		mp := fmt.Sprintf("/diskusi/anggota/%d", room)
		s.nur.Get(mp).Want(t, http.StatusForbidden, "a reader opens the members page")
		s.admin.Get(mp)
		s.admin.PostForm(mp+"/simpan", url.Values{"who": {"nobody@x"}, "role": {"member"}}).
			Want(t, http.StatusUnprocessableEntity, "an unknown person", `id="e-who"`)
		s.admin.PostForm(mp+"/simpan", url.Values{"who": {"@nur.aini"}, "role": {"moderator"}}).Redirects(t, "a moderator", mp)
		s.admin.Get(mp).Want(t, http.StatusOK, "the members", "Nur&#39;aini Dottoro&#39;ta", "Moderator")
		s.nur.Get(tp)
		s.nur.PostForm(tp+"/sematkan", url.Values{"on": {"1"}}).Redirects(t, "the new moderator pins", tp)
		// Promotion: writers only and, from an agency's space, writers who
		// moderate it (told the draft goes before the city's writers);
		// idempotent.
		s.nur.PostForm(tp+"/artikel", nil).Want(t, http.StatusForbidden, "an employee promotes")
		s.agent.Get(tp).Lacks(t, "a writer who does not moderate the agency's space", `id="promote"`)
		s.agent.PostForm(tp+"/artikel", nil).Want(t, http.StatusForbidden, "a writer who does not moderate promotes")
		s.admin.PostForm(mp+"/simpan", url.Values{"who": {"@agen"}, "role": {"moderator"}}).Redirects(t, "the agent moderates", mp)
		s.agent.Get(tp).Want(t, http.StatusOK, "the moderating writer's view", `id="promote"`, `aria-describedby="promote-note"`,
			"dapat dibaca semua penulis artikel di kota")
		first := s.agent.PostForm(tp+"/artikel", nil)
		if first.Status != http.StatusSeeOther || !strings.HasPrefix(first.Location, "/pengetahuan/") {
			t.Fatalf("promote: %d %s", first.Status, first.Location)
		}
		s.agent.PostForm(tp+"/artikel", nil).Redirects(t, "promote again", first.Location)
		s.agent.Get(tp).Want(t, http.StatusOK, "the thread links its article", `href="`+first.Location+`"`)
		if n := count(t, d, `SELECT COUNT(*) FROM articles WHERE origin_kind = 'thread'`); n != 1 {
			t.Errorf("%d articles from the thread", n)
		}
	})
}

func TestTheAPIReadsAndWritesThreads(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		forum := s.createSpace(t, s.expert, url.Values{"name": {"Forum Kota"}, "level": {"city"}})
		closed := s.createSpace(t, s.admin, url.Values{"name": {"Pimpinan"}, "level": {"agency"},
			"agency_id": {fmt.Sprint(s.diskes)}, "members_only": {"1"}})
		var spaces struct {
			Items []discuss.SpaceSummary `json:"items"`
			Next  *string                `json:"next"`
		}
		s.h.Do(t, "GET", "/api/v1/spaces", s.budiTok, nil, "").JSON(t, &spaces)
		if len(spaces.Items) != 1 || spaces.Items[0].Name != "Forum Kota" || spaces.Next != nil {
			t.Errorf("Budi's spaces: %+v", spaces)
		}
		threads := fmt.Sprintf("/api/v1/spaces/%d/threads", forum)
		r := s.h.Do(t, "POST", threads, s.nurTok, map[string]any{"title": "Lupa sandi Dottoro'ta", "body": "Bagaimana? <iframe src=x></iframe>", "question": true}, "")
		if r.Status != http.StatusCreated {
			t.Fatalf("create thread: %d %s", r.Status, r.Body)
		}
		var created discuss.ThreadDetail
		r.JSON(t, &created)
		if r.Header.Get("Location") != fmt.Sprintf("/api/v1/threads/%d", created.ID) || created.Title != "Lupa sandi Dottoro'ta" ||
			!created.Question || len(created.Posts) != 1 || !created.Posts[0].First || created.Author.Handle != "nur.aini" {
			t.Errorf("created: %s %+v", r.Header.Get("Location"), created)
		}
		if strings.Contains(string(created.Posts[0].HTML), "iframe") || !strings.Contains(created.Posts[0].Body, "<iframe") {
			t.Errorf("body %q, html %q", created.Posts[0].Body, created.Posts[0].HTML)
		}
		servertest.ProblemFields(t, s.h.Do(t, "POST", threads, s.nurTok, map[string]any{"title": "", "body": ""}, ""),
			http.StatusUnprocessableEntity, "title", "body")
		servertest.ProblemFields(t, s.h.Do(t, "POST", threads, s.nurTok, map[string]any{"title": "Judul", "body": strings.Repeat("x", 20001)}, ""),
			http.StatusUnprocessableEntity, "body")
		servertest.Problem(t, s.h.Do(t, "POST", fmt.Sprintf("/api/v1/spaces/%d/threads", closed), s.budiTok,
			map[string]any{"title": "Judul", "body": "isi"}, ""), http.StatusNotFound)
		servertest.Problem(t, s.h.Do(t, "GET", fmt.Sprintf("/api/v1/spaces/%d/threads", closed), s.budiTok, nil, ""), http.StatusNotFound)

		posts := fmt.Sprintf("/api/v1/threads/%d/posts", created.ID)
		r = s.h.Do(t, "POST", posts, s.budiTok, map[string]any{"body": "Pakai menu **Lupa sandi**."}, "")
		if r.Status != http.StatusCreated {
			t.Fatalf("reply: %d %s", r.Status, r.Body)
		}
		var reply discuss.Post
		r.JSON(t, &reply)
		if reply.Author.Name != "Budi Santoso" || !strings.Contains(string(reply.HTML), "<strong>Lupa sandi</strong>") || reply.First {
			t.Errorf("reply %+v", reply)
		}
		servertest.ProblemFields(t, s.h.Do(t, "POST", posts, s.budiTok, map[string]any{"body": "  "}, ""), http.StatusUnprocessableEntity, "body")

		var got discuss.ThreadDetail
		s.h.Do(t, "GET", fmt.Sprintf("/api/v1/threads/%d", created.ID), s.budiTok, nil, "").JSON(t, &got)
		if len(got.Posts) != 2 || got.PostCount != 2 || got.Posts[1].ID != reply.ID || got.Next != nil {
			t.Errorf("thread: %+v", got)
		}
		var list struct {
			Items []discuss.Thread `json:"items"`
		}
		s.h.Do(t, "GET", threads+"?kind=unanswered", s.budiTok, nil, "").JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].Answered {
			t.Errorf("unanswered: %+v", list.Items)
		}
		servertest.ProblemFields(t, s.h.Do(t, "GET", threads+"?kind=semua", s.budiTok, nil, ""), http.StatusUnprocessableEntity, "kind")
		servertest.ProblemFields(t, s.h.Do(t, "GET", threads+"?limit=0", s.budiTok, nil, ""), http.StatusUnprocessableEntity, "limit")

		s.expert.Get(fmt.Sprintf("/diskusi/utas/%d", created.ID))
		s.expert.PostForm(fmt.Sprintf("/diskusi/utas/%d/kunci", created.ID), url.Values{"on": {"1"}})
		servertest.Problem(t, s.h.Do(t, "POST", posts, s.budiTok, map[string]any{"body": "halo"}, ""), http.StatusConflict)
		if r := s.h.Do(t, "POST", posts, s.expTok, map[string]any{"body": "Dikunci."}, ""); r.Status != http.StatusCreated {
			t.Errorf("a moderator replies to a locked thread: %d %s", r.Status, r.Body)
		}
		servertest.Problem(t, s.h.Do(t, "GET", "/api/v1/threads/999999", s.budiTok, nil, ""), http.StatusNotFound)
		servertest.Problem(t, s.h.Do(t, "GET", "/api/v1/spaces", "", nil, ""), http.StatusUnauthorized)
	})
}

func TestTheCoachesPageListsAnAgencysCoaches(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		forum := s.createSpace(t, s.expert, url.Values{"name": {"Forum Kota"}, "level": {"city"}})
		th := s.post(t, s.budi, forum, url.Values{"title": {"Cetak kartu vaksin?"}, "body": {"Bagaimana?"}, "question": {"1"}})
		tp := fmt.Sprintf("/diskusi/utas/%d", th)
		s.nur.Get(tp)
		s.nur.PostForm(tp+"/balas", url.Values{"body": {"Menu Cetak."}}).Redirects(t, "answer", tp+"?kiriman=2#p2")
		s.budi.Get(tp)
		s.budi.PostForm(tp+"/terima", url.Values{"post_id": {"2"}}).Redirects(t, "accept", tp+"?kiriman=2#p2")
		s.budi.Get("/diskusi").Want(t, http.StatusOK, "home", `id="coaches-link"`)
		s.budi.Get(fmt.Sprintf("/diskusi/pembimbing?opd=%d", s.diskes)).
			Want(t, http.StatusOK, "Diskes's coaches", "Nur&#39;aini Dottoro&#39;ta", "Forum Kota", "Dinas Kesehatan")
		s.budi.Get("/diskusi/pembimbing").Want(t, http.StatusOK, "Budi's own agency", `id="no-coaches"`)
		s.budi.Get("/diskusi/pembimbing?opd=999999").Want(t, http.StatusNotFound, "an unknown agency")
		s.budi.Get("/diskusi/pembimbing?opd=x").Want(t, http.StatusUnprocessableEntity, "a bad agency id")
	})
}

func count(t *testing.T, d *db.DB, query string) int {
	t.Helper()
	var n int
	if err := d.R.QueryRow(query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// An asker's own reply offers no accept button, and accepting it anyway is
// a 409 said in Indonesian.
func TestAnAskerCannotAcceptTheirOwnReplyThroughThePages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newSite(t, d)
		forum := s.createSpace(t, s.expert, url.Values{"name": {"Forum Kota"}, "level": {"city"}})
		th := s.post(t, s.nur, forum, url.Values{"title": {"Cara mengganti sandi?"}, "body": {"Lupa caranya."}, "question": {"1"}})
		tp := fmt.Sprintf("/diskusi/utas/%d", th)
		s.nur.Get(tp)
		s.nur.PostForm(tp+"/balas", url.Values{"body": {"Sudah ketemu: menu Profil."}}).Redirects(t, "own reply", tp+"?kiriman=2#p2")
		s.nur.Get(tp).Lacks(t, "the asker's page", `id="accept-2"`)
		s.nur.PostForm(tp+"/terima", url.Values{"post_id": {"2"}}).
			Want(t, http.StatusConflict, "accepting one's own reply", "balasan Anda sendiri")
		s.expert.Get(tp).Want(t, http.StatusOK, "a moderator's page", `id="accept-2"`)
	})
}
