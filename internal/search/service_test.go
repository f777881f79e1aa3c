package search_test

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/search"
)

// put indexes docs in one transaction, as an owner does.
func put(t *testing.T, d *db.DB, docs ...search.Doc) {
	t.Helper()
	err := d.Tx(context.Background(), func(tx *sql.Tx) error {
		for _, doc := range docs {
			if err := search.Put(context.Background(), tx, doc); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func article(id int64, title, body string) search.Doc {
	return search.Doc{Kind: search.KindArticle, ID: id, Ref: strconv.FormatInt(id, 10), Title: title, Body: body,
		Audience: []string{search.Everyone}, Updated: time.Now()}
}

func find(t *testing.T, s *search.Service, a *policy.Actor, text, typ string) search.Answer {
	t.Helper()
	ans, err := s.Search(context.Background(), a, search.Request{Text: text, Type: typ})
	if err != nil {
		t.Fatalf("search %q: %v", text, err)
	}
	return ans
}

func ids(ans search.Answer) []string {
	var out []string
	for _, r := range ans.Items {
		out = append(out, r.Type+":"+r.ID)
	}
	return out
}

var employee = &policy.Actor{AccountID: 7, EmployeeID: 70, AgencyID: 3,
	Grants: []policy.Grant{{Role: policy.Employee, AgencyID: 3}}}

func TestInflectedWordsFindTheArticle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		put(t, d, article(1, "Pelayanan izin usaha", "Cara **mengirimkan** berkas permohonan ke [loket](https://x.id)."),
			article(2, "Jadwal rapat", "Rapat koordinasi setiap Senin."))
		s := search.NewService(d)
		for _, q := range []string{"melayani", "layanan", "kiriman", "PELAYANAN", "permohonan izin"} {
			if got := ids(find(t, s, employee, q, "")); len(got) != 1 || got[0] != "article:1" {
				t.Errorf("%q found %v, want article:1", q, got)
			}
		}
		ans := find(t, s, employee, "mengirim", "")
		if len(ans.Items) != 1 || !strings.Contains(string(ans.Items[0].Snippet), "<mark>mengirimkan</mark>") {
			t.Fatalf("snippet of %q: %+v", "mengirim", ans.Items)
		}
		if strings.Contains(string(ans.Items[0].Snippet), "https") || strings.Contains(string(ans.Items[0].Snippet), "**") {
			t.Errorf("snippet keeps Markdown: %s", ans.Items[0].Snippet)
		}
	})
}

func TestAnyTextAnswersWithoutError(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		put(t, d, article(1, "Reset kata sandi SIMPEG", "Buka menu akun lalu pilih reset."))
		s := search.NewService(d)
		long := strings.Repeat("reset sandi \"NEAR( * - : ", 100)[:2000]
		for _, q := range []string{`"reset`, `reset NEAR sandi`, `sand*`, `-reset`, `title:reset`, `reset:`,
			`yang dan di`, `?!...`, `(((`, `"`, `NOT AND OR`, `reset^2 {sandi}`, long, "\xff\xfe reset", ""} {
			if _, err := s.Search(context.Background(), employee, search.Request{Text: q}); err != nil {
				t.Errorf("search %.40q: %v", q, err)
			}
		}
		if got := ids(find(t, s, employee, `"reset" -sandi*`, "")); len(got) != 1 {
			t.Errorf("operators as words found %v", got)
		}
		if got := find(t, s, employee, "yang dan di", ""); len(got.Items) != 0 {
			t.Errorf("stop words found %v", ids(got))
		}
	})
}

func TestBadTypeIsInvalid(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		_, err := search.NewService(d).Search(context.Background(), employee, search.Request{Text: "x", Type: "post"})
		if e := errs.As(err); e == nil || e.Code != errs.Invalid {
			t.Fatalf("type post: %v, want Invalid", err)
		}
	})
}

func TestSearchersFindOnlyWhatTheyMaySee(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ticket := search.Doc{Kind: search.KindTicket, ID: 5, Ref: "T-000005", Title: "Printer jaringan mati",
			Body: "Printer lantai dua", Audience: []string{search.Employee(70), search.Account(8), search.Desk, search.AgencyLeads(3)}}
		other := search.Doc{Kind: search.KindTicket, ID: 6, Ref: "T-000006", Title: "Printer rusak",
			Body: "Printer kantor camat", Audience: []string{search.Employee(99), search.Desk, search.AgencyLeads(4)}}
		draft := search.Doc{Kind: search.KindArticle, ID: 9, Ref: "9", Title: "Printer tidak mencetak", Body: "draf",
			Audience: []string{search.Writers, search.Account(50)}}
		post := search.Doc{Kind: search.KindPost, ID: 11, Ref: "4", Title: "Printer bersama", Body: "Siapa punya printer?",
			Audience: []string{search.Space(2)}}
		put(t, d, ticket, other, draft, post)
		spaces := func(_ context.Context, _ db.Querier, a *policy.Actor) ([]string, error) {
			if a.AccountID == 7 {
				return []string{search.Space(2)}, nil
			}
			return []string{search.Space(1)}, nil
		}
		s := search.NewService(d, spaces)
		cases := []struct {
			name  string
			actor *policy.Actor
			want  string
		}{
			{"reporter's employee sees their ticket and their space", employee, "thread:4 ticket:T-000005"},
			{"a follower sees the ticket", &policy.Actor{AccountID: 8, EmployeeID: 80, AgencyID: 4}, "ticket:T-000005"},
			{"a stranger sees nothing", &policy.Actor{AccountID: 9, EmployeeID: 90, AgencyID: 3}, ""},
			{"the agency's head sees its tickets", &policy.Actor{AccountID: 10, EmployeeID: 100, AgencyID: 4,
				Grants: []policy.Grant{{Role: policy.AgencyHead, AgencyID: 4}}}, "ticket:T-000006"},
			{"an agent sees every ticket and drafts", &policy.Actor{AccountID: 11, EmployeeID: 110,
				Grants: []policy.Grant{{Role: policy.Agent}}}, "article:9 ticket:T-000005 ticket:T-000006"},
			{"the author sees their draft", &policy.Actor{AccountID: 50, EmployeeID: 500}, "article:9"},
		}
		for _, c := range cases {
			got := ids(find(t, s, c.actor, "printer", ""))
			if sorted(got) != c.want {
				t.Errorf("%s: found %q, want %q", c.name, sorted(got), c.want)
			}
		}
		// Removed or hidden: found by no one.
		err := d.Tx(context.Background(), func(tx *sql.Tx) error {
			return search.Remove(context.Background(), tx, search.KindPost, 11)
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(find(t, s, employee, "printer", "")); sorted(got) != "ticket:T-000005" {
			t.Errorf("after removing the post: %v", got)
		}
	})
}

func sorted(list []string) string {
	for i := range list {
		for j := i + 1; j < len(list); j++ {
			if list[j] < list[i] {
				list[i], list[j] = list[j], list[i]
			}
		}
	}
	return strings.Join(list, " ")
}

func TestPostsCollapseToTheirThread(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		sp := []string{search.Everyone}
		put(t, d,
			search.Doc{Kind: search.KindPost, ID: 1, Ref: "10", Title: "Anggaran DPA", Body: "Bagaimana caranya?", Audience: sp},
			search.Doc{Kind: search.KindPost, ID: 2, Ref: "10", Title: "Anggaran DPA", Body: "Anggaran diinput di menu anggaran.", Audience: sp},
			search.Doc{Kind: search.KindPost, ID: 3, Ref: "11", Title: "Rapat", Body: "anggaran rapat", Audience: sp})
		ans := find(t, search.NewService(d), employee, "anggaran", search.TypeThread)
		if got := sorted(ids(ans)); got != "thread:10 thread:11" {
			t.Fatalf("found %q, want each thread once", got)
		}
		if !strings.Contains(string(ans.Items[0].Snippet), "menu") {
			t.Errorf("thread 10's snippet is not from its best post: %s", ans.Items[0].Snippet)
		}
		if got := find(t, search.NewService(d), employee, "anggaran", search.TypeArticle); len(got.Items) != 0 {
			t.Errorf("type article found %v", ids(got))
		}
	})
}

func TestOneTypoIsForgiven(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := search.NewService(d)
		put(t, d, article(1, "Pelayanan SIMPEG", "Pembaruan data kepegawaian di SIMPEG."))
		learn(t, s)
		// The vocabulary learns what was written since its last run.
		put(t, d, article(2, "Sertifikat elektronik", "Tanda tangan elektronik untuk dokumen."))
		learn(t, s)
		cases := []struct{ q, want, fix string }{
			{"simpge", "article:1", "simpeg"},
			{"pelayaann", "article:1", "pelayanan"},
			{"elektronk", "article:2", "elektronik"},
			{"sertifkat elektronik", "article:2", "sertifikat elektronik"},
		}
		for _, c := range cases {
			ans := find(t, s, employee, c.q, "")
			if got := sorted(ids(ans)); got != c.want || ans.Corrected != c.fix {
				t.Errorf("%q: found %q corrected %q, want %q corrected %q", c.q, got, ans.Corrected, c.want, c.fix)
			}
		}
		if ans := find(t, s, employee, "simpeg", ""); ans.Corrected != "" {
			t.Errorf("a known word was corrected to %q", ans.Corrected)
		}
		if ans := find(t, s, employee, "simpge", ""); len(ans.Items) == 1 && !strings.Contains(string(ans.Items[0].Snippet), "<mark>SIMPEG</mark>") {
			t.Errorf("corrected word not highlighted: %s", ans.Items[0].Snippet)
		}
	})
}

// A word written since the vocabulary last learnt is no typo, even one
// edit from a known word: it is found as typed, and so is a known word
// the new one is one edit from.
func TestANewWordIsFoundAsTyped(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := search.NewService(d)
		put(t, d, article(1, "Pelayanan SIMPEG", "Pembaruan data kepegawaian di SIMPEG."))
		learn(t, s)
		put(t, d, article(2, "Aplikasi SIMPEX", "SIMPEX menggantikan formulir kertas."))
		for _, c := range []struct{ q, want string }{{"simpex", "article:2"}, {"simpeg", "article:1"}} {
			if ans := find(t, s, employee, c.q, ""); sorted(ids(ans)) != c.want || ans.Corrected != "" {
				t.Errorf("%q: found %q corrected %q, want %q as typed", c.q, sorted(ids(ans)), ans.Corrected, c.want)
			}
		}
		// Once learnt, it is a word like any other.
		learn(t, s)
		if ans := find(t, s, employee, "simpex", ""); sorted(ids(ans)) != "article:2" || ans.Corrected != "" {
			t.Errorf("after learning: found %q corrected %q", sorted(ids(ans)), ans.Corrected)
		}
	})
}

func learn(t *testing.T, s *search.Service) {
	t.Helper()
	if err := s.Learn(context.Background(), time.Now()); err != nil {
		t.Fatal(err)
	}
}

func TestHelpfulAndFreshRankHigher(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		old := time.Now().Add(-2 * 365 * 24 * time.Hour)
		a := article(1, "Cuti tahunan", "Pengajuan cuti tahunan lewat aplikasi.")
		b := article(2, "Cuti tahunan", "Pengajuan cuti tahunan lewat aplikasi.")
		b.Helpful = 12
		c := article(3, "Cuti tahunan", "Pengajuan cuti tahunan lewat aplikasi.")
		c.Updated = old
		put(t, d, b, a, c) // ids in another order than the expected ranks
		ans := find(t, search.NewService(d), employee, "cuti", "")
		if got := strings.Join(ids(ans), " "); got != "article:2 article:1 article:3" {
			t.Fatalf("ranked %q, want helpful, then fresh, then old", got)
		}
		if !(ans.Items[0].Score > ans.Items[1].Score && ans.Items[1].Score > ans.Items[2].Score) {
			t.Errorf("scores %v %v %v do not fall", ans.Items[0].Score, ans.Items[1].Score, ans.Items[2].Score)
		}
	})
}

func TestPagesFollowTheCursor(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		var docs []search.Doc
		for i := int64(1); i <= 7; i++ {
			docs = append(docs, article(i, "Panduan absensi "+strconv.FormatInt(i, 10), "absensi daring"))
		}
		put(t, d, docs...)
		s := search.NewService(d)
		seen := map[string]bool{}
		req := search.Request{Text: "absensi", Page: db.Page{Limit: 3}}
		for pages := 0; ; pages++ {
			ans, err := s.Search(context.Background(), employee, req)
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range ids(ans) {
				if seen[id] {
					t.Fatalf("%s shown twice", id)
				}
				seen[id] = true
			}
			if ans.Next == "" {
				break
			}
			req.Page.After = ans.Next
		}
		if len(seen) != 7 {
			t.Errorf("pages showed %d results, want 7", len(seen))
		}
		if _, err := s.Search(context.Background(), employee, search.Request{Text: "absensi", Page: db.Page{After: "!!"}}); errs.As(err) == nil {
			t.Errorf("bad cursor: %v", err)
		}
	})
}

func TestSnippetEscapesAndMarks(t *testing.T) {
	got := string(search.Snippet(`Klik <b>Simpan</b> & tunggu; pelayanan "cepat"`, map[string]bool{"layan": true, "simpan": true}))
	want := `Klik &lt;b&gt;<mark>Simpan</mark>&lt;/b&gt; &amp; tunggu; <mark>pelayanan</mark> &#34;cepat&#34;`
	if got != want {
		t.Errorf("snippet\n got %s\nwant %s", got, want)
	}
}
