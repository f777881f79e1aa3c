package demo

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/discuss"
	"github.com/lontara-id/lontara/internal/knowledge"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/search"
)

// Words of the history's discussions besides the help desk's problems,
// which make its questions and answers.
var (
	historyTips = []struct{ title, body string }{
		{"Jadwal pemeliharaan server akhir pekan", "Layanan aplikasi akan berhenti sebentar Sabtu malam untuk pemeliharaan server. Simpan pekerjaan Anda sebelumnya."},
		{"Tips: simpan dokumen di penyimpanan bersama", "Dokumen kerja di penyimpanan bersama tidak hilang bila laptop rusak, dan rekan satu tim bisa membukanya."},
		{"Berbagi pengalaman memakai naskah dinas elektronik", "Sejak memakai naskah dinas elektronik, disposisi kami selesai dalam sehari. Bagaimana pengalaman unit lain?"},
		{"Pengumuman pelatihan bulan depan", "Pendaftaran pelatihan bulan depan dibuka. Silakan daftar lewat menu Pelatihan sebelum kuota penuh."},
		{"Rekap rapat koordinasi mingguan", "Berikut rekap rapat koordinasi: target triwulan, kendala di lapangan dan tindak lanjut tiap bidang."},
		{"Cara cepat membuat laporan bulanan", "Saya memakai templat laporan yang sama setiap bulan dan hanya memperbarui angkanya. Menghemat banyak waktu."},
	}
	historyReplies = []string{
		"Saya juga mengalami hal yang sama minggu lalu.",
		"Terima kasih, sangat membantu!",
		"Sudah saya coba dan berhasil.",
		"Apakah ini berlaku juga untuk kantor wilayah?",
		"Setuju, mohon diteruskan ke unit lain.",
		"Mantap, terima kasih infonya.",
	}
	articlePrefixes = []string{"Panduan", "Cara mengatasi", "Tanya jawab", "Langkah cepat"}
)

// historySpace is a discussion space of the history.
type historySpace struct {
	id, agency, app int64
	level           string
	name            string
}

// discussions draws the spaces and the threads of the history: a forum
// of the whole organisation, a room for each application and each
// agency, and postsPerHundredYearly posts a year per 100 people in
// threads of postsPerThread on average. Questions come from the help
// desk's problems, answered with its replies, most answers accepted and
// marked helpful; other threads are notices and tips. Each post has its
// search document as the discussion service indexes it (found by the
// space's readers, ranked by the accepted mark and helpful reactions).
func (h *history) discussions(ctx context.Context) error {
	creator := append(h.roles["expert"], h.roles["superadmin"]...)
	if len(creator) == 0 || len(h.agencies) == 0 {
		return nil
	}
	spaces := []historySpace{{id: h.id("spaces"), level: string(policy.SpaceCity), name: "Forum Bersama"}}
	for _, a := range h.ds.Apps {
		spaces = append(spaces, historySpace{id: h.id("spaces"), level: string(policy.SpaceApp), app: a.ID,
			name: "Ruang " + a.Name})
	}
	byAgency := map[int64]historySpace{}
	for _, a := range h.ds.Agencies {
		if len(h.staff[a.ID]) > 0 {
			sp := historySpace{id: h.id("spaces"), level: string(policy.SpaceAgency), agency: a.ID, name: "Ruang " + a.Name}
			spaces = append(spaces, sp)
			byAgency[a.ID] = sp
		}
	}
	err := h.write(ctx, "spaces", []string{"id", "name", "description", "level", "agency_id", "app_id", "formal",
		"created_by", "created_at", "updated_at"}, len(spaces), func(i int, a []any) []any {
		s := spaces[i]
		return append(a, s.id, s.name, "Ruang diskusi "+s.name, s.level, db.NullID(s.agency), db.NullID(s.app), false,
			creator[0], h.from, h.from)
	})
	if err != nil {
		return err
	}
	threads := h.people * postsPerHundredYearly * historyYears / 100 / postsPerThread
	per := historyChunk / postsPerThread
	for start := 0; start < threads; start += per {
		var ts []historyThread
		for range min(per, threads-start) {
			author := h.person()
			sp := byAgency[h.ds.Employees[author-1].AgencyID]
			switch x := h.r.IntN(10); {
			case x < 2:
				sp = spaces[0]
			case x < 3:
				sp = spaces[1+h.r.IntN(len(h.ds.Apps))]
			}
			ts = append(ts, h.thread(sp, author))
		}
		if err := h.writeThreads(ctx, ts); err != nil {
			return err
		}
	}
	return nil
}

// historyThread is a thread and its posts, the first being the thread's.
type historyThread struct {
	id       int64
	space    historySpace
	title    string
	question bool
	accepted int // index of the accepted post, 0 for none
	posts    []historyPost
}

type historyPost struct {
	id, author int64
	body       string
	at         time.Time
	helpful    []int64 // who marked it helpful
}

func (h *history) thread(sp historySpace, author int64) historyThread {
	t := historyThread{id: h.id("threads"), space: sp}
	replier := func() int64 {
		if sp.agency != 0 {
			return h.colleague(sp.agency)
		}
		return h.person()
	}
	at := h.moment(h.from, h.now.Add(-time.Hour))
	var bodies []string
	var by []int64
	if h.r.IntN(10) < 4 {
		p := problems[h.r.IntN(len(problems))]
		t.title, t.question = p.Subject, true
		bodies, by = []string{p.Body}, []int64{author}
		answerer := replier()
		for k := range 1 + h.r.IntN(2*postsPerThread-2) {
			switch k {
			case 0:
				bodies, by = append(bodies, p.Reply), append(by, answerer)
			case 1:
				bodies, by = append(bodies, p.Done), append(by, answerer)
			default:
				bodies, by = append(bodies, historyReplies[h.r.IntN(len(historyReplies))]), append(by, replier())
			}
		}
		if answerer != author && h.r.IntN(10) < 6 {
			t.accepted = 1
		}
	} else {
		tip := historyTips[h.r.IntN(len(historyTips))]
		t.title, bodies, by = tip.title, []string{tip.body}, []int64{author}
		for range h.r.IntN(2*postsPerThread - 1) {
			bodies, by = append(bodies, historyReplies[h.r.IntN(len(historyReplies))]), append(by, replier())
		}
	}
	for k, body := range bodies {
		if k > 0 {
			at = at.Add(time.Duration(10+h.r.IntN(24*60)) * time.Minute)
			if limit := h.now.Add(-time.Minute); at.After(limit) {
				at = limit
			}
		}
		t.posts = append(t.posts, historyPost{id: h.id("posts"), author: by[k], body: body, at: at})
	}
	if t.accepted > 0 {
		p := &t.posts[t.accepted]
		for range h.r.IntN(4) {
			if v := replier(); v != p.author && !slices.Contains(p.helpful, v) {
				p.helpful = append(p.helpful, v)
			}
		}
	}
	return t
}

// writeThreads writes a chunk of threads with their posts, reactions and
// search documents.
func (h *history) writeThreads(ctx context.Context, ts []historyThread) error {
	err := h.write(ctx, "threads", []string{"id", "space_id", "title", "author_account_id", "question",
		"accepted_post_id", "post_count", "last_post_id", "last_post_at", "created_at", "updated_at"}, len(ts),
		func(i int, a []any) []any {
			t := ts[i]
			last := t.posts[len(t.posts)-1]
			var accepted any
			if t.accepted > 0 {
				accepted = t.posts[t.accepted].id
			}
			return append(a, t.id, t.space.id, t.title, t.posts[0].author, t.question, accepted, len(t.posts), last.id,
				last.at, t.posts[0].at, last.at)
		})
	if err != nil {
		return err
	}
	type ref struct{ t, p int }
	var posts []ref
	var reactions [][3]any
	for i, t := range ts {
		for k, p := range t.posts {
			posts = append(posts, ref{i, k})
			for _, v := range p.helpful {
				reactions = append(reactions, [3]any{p.id, v, p.at.Add(time.Hour)})
			}
			helpful := len(p.helpful)
			if t.accepted == k && k > 0 {
				helpful += discuss.AcceptedWeight
			}
			h.doc(search.Doc{Kind: search.KindPost, ID: p.id, Ref: strconv.FormatInt(t.id, 10), Title: t.title,
				Body: p.body, Audience: discuss.PostAudience(discuss.Space{ID: t.space.id, Level: t.space.level}), AppID: t.space.app, Helpful: helpful,
				Updated: p.at})
		}
	}
	err = h.write(ctx, "posts", []string{"id", "thread_id", "author_account_id", "body", "created_at", "updated_at"},
		len(posts), func(i int, a []any) []any {
			t := ts[posts[i].t]
			p := t.posts[posts[i].p]
			return append(a, p.id, t.id, p.author, p.body, p.at, p.at)
		})
	if err == nil {
		err = h.write(ctx, "post_reactions", []string{"post_id", "account_id", "kind", "created_at"}, len(reactions),
			func(i int, a []any) []any {
				r := reactions[i]
				return append(a, r[0], r[1], "helpful", r[2])
			})
	}
	if err != nil {
		return err
	}
	return h.flushDocs(ctx)
}

// articles draws the knowledge base of the history: articlesPerThousand
// per 1,000 people, written from the help desk's problems by people of
// every agency, most published (through review), a few in review or
// drafts, each with its first revision, its status changes and its search
// document (published: found by everyone; otherwise by the writers).
func (h *history) articles(ctx context.Context) error {
	rows, err := h.s.query(ctx, `SELECT id FROM article_categories ORDER BY id`)
	if err != nil {
		return fmt.Errorf("demo: categories: %w", err)
	}
	reviewers := append(h.roles["expert"], h.roles["superadmin"]...)
	n := h.people * articlesPerThousand / 1000
	if n == 0 || len(reviewers) == 0 {
		return nil
	}
	type article struct {
		id, author, category int64
		status, title, body  string
		created, reviewed    time.Time
		published            time.Time
	}
	as := make([]article, n)
	for i := range as {
		p := problems[h.r.IntN(len(problems))]
		a := article{id: h.id("articles"), author: h.person(), status: knowledge.StatusPublished,
			title: articlePrefixes[h.r.IntN(len(articlePrefixes))] + ": " + p.Subject,
			body:  p.Body + "\n\n## Penyelesaian\n\n" + p.Done + "\n\n> " + p.Reply}
		if len(rows) > 0 {
			a.category = asInt(rows[h.r.IntN(len(rows))][0])
		}
		a.created = h.moment(h.from, h.now.AddDate(0, 0, -7))
		a.reviewed = a.created.Add(time.Duration(1+h.r.IntN(48)) * time.Hour)
		a.published = a.reviewed.Add(time.Duration(1+h.r.IntN(72)) * time.Hour)
		switch x := h.r.IntN(20); x {
		case 0:
			a.status, a.reviewed, a.published = knowledge.StatusDraft, time.Time{}, time.Time{}
		case 1:
			a.status, a.published = knowledge.StatusReview, time.Time{}
		}
		as[i] = a
	}
	updated := func(a article) time.Time {
		for _, t := range []time.Time{a.published, a.reviewed} {
			if !t.IsZero() {
				return t
			}
		}
		return a.created
	}
	err = h.write(ctx, "articles", []string{"id", "title", "body", "status", "author_account_id", "category_id",
		"version", "created_at", "updated_at"}, n, func(i int, x []any) []any {
		a := as[i]
		return append(x, a.id, a.title, a.body, a.status, a.author, db.NullID(a.category), 1, a.created, updated(a))
	})
	if err == nil {
		err = h.write(ctx, "article_revisions", []string{"id", "article_id", "version", "conflict", "title", "body",
			"editor_account_id", "created_at"}, n, func(i int, x []any) []any {
			a := as[i]
			return append(x, h.id("article_revisions"), a.id, 1, false, a.title, a.body, a.author, a.created)
		})
	}
	if err != nil {
		return err
	}
	var moves [][5]any
	for _, a := range as {
		if !a.reviewed.IsZero() {
			moves = append(moves, [5]any{a.id, knowledge.StatusDraft, knowledge.StatusReview, a.author, a.reviewed})
		}
		if !a.published.IsZero() {
			moves = append(moves, [5]any{a.id, knowledge.StatusReview, knowledge.StatusPublished,
				reviewers[h.r.IntN(len(reviewers))], a.published})
		}
	}
	err = h.write(ctx, "article_events", []string{"id", "article_id", "from_status", "to_status", "actor_account_id",
		"created_at"}, len(moves), func(i int, x []any) []any {
		m := moves[i]
		return append(x, h.id("article_events"), m[0], m[1], m[2], m[3], m[4])
	})
	if err != nil {
		return err
	}
	for _, a := range as {
		d := search.Doc{Kind: search.KindArticle, ID: a.id, Ref: strconv.FormatInt(a.id, 10), Title: a.title,
			Body: a.body, Audience: []string{search.Writers}, Updated: updated(a)}
		if a.status == knowledge.StatusPublished {
			d.Audience = []string{search.Everyone}
		}
		h.doc(d)
	}
	return h.flushDocs(ctx)
}
