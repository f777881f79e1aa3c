package db_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/auth"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/discuss"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/reindex"
	"github.com/lontara-id/lontara/internal/search"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// migrateUpTo brings a new database to version last only, so a test can
// hold data as an older Lontara wrote it.
func migrateUpTo(t *testing.T, ctx context.Context, d *db.DB, last int) {
	t.Helper()
	if _, err := d.MigrateTo(ctx, last); err != nil {
		t.Fatal(err)
	}
}

// TestTheArticleWorkflowMigrationKeepsArticlesAndTheirViews upgrades a
// database holding an article "in_review" and a view of it through
// migration 0013, which on SQLite rebuilds both tables: the article comes
// out "review" at version 1 and its view survives, still tied to it.
func TestTheArticleWorkflowMigrationKeepsArticlesAndTheirViews(t *testing.T) {
	eachEmpty(t, func(t *testing.T, ctx context.Context, d *db.DB) {
		migrateUpTo(t, ctx, d, 12)
		agency := dbtest.Agency(t, d, "DINKES", "Dinas Kesehatan", "dinas")
		_, account := dbtest.Person(t, d, agency, "Nur'aini Dottoro'ta", "nuraini@makassarkota.go.id")
		now := time.Now().UTC()
		article, err := db.InsertID(ctx, d.W, `INSERT INTO articles (title, body, status, origin_kind, origin_id,
			author_account_id, created_at, updated_at) VALUES ('Cara masuk SIMPEG', 'Buka portal', 'in_review',
			'ticket', 7, $1, $2, $2) RETURNING id`, account, now)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.W.ExecContext(ctx, `INSERT INTO article_views (article_id, account_id, viewed_at, window_ends_at)
			VALUES ($1, $2, $3, $4)`, article, account, now, now.Add(72*time.Hour)); err != nil {
			t.Fatal(err)
		}

		if _, err := d.Migrate(ctx); err != nil {
			t.Fatalf("upgrade: %v", err)
		}
		var status string
		var version, views int
		if err := d.R.QueryRowContext(ctx, `SELECT a.status, a.version, (SELECT count(*) FROM article_views v
			WHERE v.article_id = a.id) FROM articles a WHERE a.id = $1`, article).Scan(&status, &version, &views); err != nil {
			t.Fatal(err)
		}
		if status != "review" || version != 1 || views != 1 {
			t.Errorf("after the upgrade: status %q, version %d, %d views; want review, 1, 1", status, version, views)
		}
		// The view still references the (rebuilt) articles table.
		if _, err := d.W.ExecContext(ctx, `DELETE FROM articles WHERE id = $1`, article); err != nil {
			t.Fatal(err)
		}
		var left int
		if err := d.R.QueryRowContext(ctx, `SELECT count(*) FROM article_views`).Scan(&left); err != nil || left != 0 {
			t.Errorf("views left after deleting their article: %d, %v", left, err)
		}
	})
}

// TestACityFromTheOldestSchemaUpgrades starts from the oldest schema this
// Lontara upgrades, 0001, and lives through the city's history: each
// testdata/upgrade/NNNN.sql is written right after migrating to NNNN, as the
// Lontara of that version wrote its rows (0001: agencies, people, accounts;
// 0003: a ticket with its messages; 0015: an article, a discussion, both
// before the search index; 0028: a training, a closed survey). Then it
// migrates to the latest in one go, as the lontara command does
// (reindex.Migrate), and checks that every row is still there and that
// today's services read them: the people sign in with their old
// passwords, the ticket is in the queue, the reporter sees the reply but
// not the note, search finds the old ticket, article and post for those
// who may see them, the survey's anonymous answers still count, and new
// tickets follow the old ones.
func TestACityFromTheOldestSchemaUpgrades(t *testing.T) {
	scripts, err := filepath.Glob("testdata/upgrade/*.sql")
	if err != nil || len(scripts) == 0 {
		t.Fatalf("no upgrade fixtures: %v", err)
	}
	sort.Strings(scripts)
	written := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	eachEmpty(t, func(t *testing.T, ctx context.Context, d *db.DB) {
		for _, script := range scripts {
			version, err := strconv.Atoi(strings.TrimSuffix(filepath.Base(script), ".sql"))
			if err != nil {
				t.Fatalf("%s: name a fixture by the version it is written against", script)
			}
			migrateUpTo(t, ctx, d, version)
			runScript(t, ctx, d, script, written)
		}
		before := dbtest.RowCounts(t, d)
		applied, indexed, err := reindex.Migrate(ctx, d)
		if err != nil || len(applied) == 0 {
			t.Fatalf("upgrade: applied %v, %v", applied, err)
		}
		if want := (reindex.Counts{Tickets: 1, Articles: 1, Posts: 1}); indexed != want {
			t.Errorf("the upgrade indexed %v; want %v", indexed, want)
		}
		after := dbtest.RowCounts(t, d)
		for table, n := range before {
			// The search index is filled by the upgrade.
			if after[table] != n && table != "schema_migrations" && !strings.HasPrefix(table, "search_") {
				t.Errorf("%s: %d rows before the upgrade, %d after", table, n, after[table])
			}
		}

		h := servertest.Start(t, d)
		const password = "kopi-toraja-2026"
		agent := h.SignIn(t, "aisyah@makassarkota.go.id", password)
		agent.Get("/layanan").Want(t, 200, "the queue", "T-000001", "Tidak bisa masuk SIMPEG sejak pagi")
		agent.Get("/layanan/T-000001").Want(t, 200, "the ticket", "Sandi Bapak sudah kami atur ulang",
			"akun terkunci oleh sinkronisasi LDAP")
		reporter := h.SignIn(t, "rizal@makassarkota.go.id", password)
		page := reporter.Get("/bantuan/T-000001")
		page.Want(t, 200, "the reporter's ticket", "Sandi Bapak sudah kami atur ulang")
		page.Lacks(t, "the reporter's ticket", "sinkronisasi LDAP")

		// Search finds what was written before it existed: the reporter
		// their ticket, the article and the post; someone of another
		// agency the article and the post, not the ticket.
		found := reporter.Get("/cari?q=simpeg")
		found.Want(t, 200, "the reporter's search", "T-000001", "Mengatur ulang kata sandi SIMPEG")
		reporter.Get("/cari?q=printer+mencetak").Want(t, 200, "the reporter's search", "Printer bersama lantai tiga")
		reporter.Get("/cari?q=sinkronisasi").Lacks(t, "the reporter's search for the internal note", "T-000001")
		outsider := h.SignIn(t, "daeng.tata@makassarkota.go.id",
			h.User(t, "daeng.tata@makassarkota.go.id", "Daeng Tata", policy.Employee, "KEC-TAMALATE"))
		found = outsider.Get("/cari?q=simpeg")
		found.Want(t, 200, "another agency's search", "Mengatur ulang kata sandi SIMPEG")
		found.Lacks(t, "another agency's search", "T-000001", "Tidak bisa masuk SIMPEG")
		outsider.Get("/cari?q=antrean+cetak").Want(t, 200, "another agency's search", "Printer bersama lantai tiga")

		admin := h.SignIn(t, "andi@makassarkota.go.id", password)
		id := func(query string) string {
			var id int64
			if err := d.R.QueryRowContext(ctx, query).Scan(&id); err != nil {
				t.Fatalf("%s: %v", query, err)
			}
			return strconv.FormatInt(id, 10)
		}
		admin.Get("/pegawai/"+id(`SELECT id FROM employees WHERE email = 'andi@makassarkota.go.id'`)).
			Want(t, 200, "a person", "198503122010011002", "Pranata Komputer Ahli Muda")
		admin.Get("/pengetahuan/"+id(`SELECT id FROM articles`)).Want(t, 200, "the article", "Mengatur ulang kata sandi SIMPEG")
		admin.Get("/diskusi/utas/"+id(`SELECT id FROM threads`)).Want(t, 200, "the thread", "Antrean cetak berhenti")
		admin.Get("/pelatihan/acara/"+id(`SELECT id FROM events`)).Want(t, 200, "the training", "Bimtek Keamanan Siber untuk Operator")

		tok := h.Token(t, "andi@makassarkota.go.id")
		r := h.Do(t, "GET", "/api/v1/surveys/"+id(`SELECT id FROM survey_campaigns`)+"/results", tok, nil, "")
		var res struct {
			Suppressed  bool
			Respondents int
			Dimensions  []struct{ Key string }
		}
		r.JSON(t, &res)
		if r.Status != 200 || res.Suppressed || res.Respondents != 5 || len(res.Dimensions) != 7 {
			t.Errorf("survey results: %d, %+v; want the five responses over seven dimensions", r.Status, res)
		}
		r = h.Do(t, "POST", "/api/v1/tickets", tok, map[string]any{"subject": "Jaringan lantai dua putus", "category": "network"}, "")
		var filed struct{ Number string }
		if r.JSON(t, &filed); r.Status != 201 || filed.Number != "T-000002" {
			t.Errorf("a new ticket after the upgrade: %d %s; want T-000002", r.Status, r.Body)
		}
	})
}

// runScript runs a fixture's statements one by one, binding $1 to when it
// was written and $2 to a week later.
func runScript(t *testing.T, ctx context.Context, d *db.DB, path string, written time.Time) {
	t.Helper()
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range strings.Split(string(body), ";\n") {
		var code []string // the statement without its comments, which may name $2
		for _, line := range strings.Split(stmt, "\n") {
			if !strings.HasPrefix(strings.TrimSpace(line), "--") {
				code = append(code, line)
			}
		}
		stmt = strings.Join(code, "\n")
		var args []any
		switch {
		case strings.Contains(stmt, "$2"):
			args = []any{written, written.Add(7 * 24 * time.Hour)}
		case strings.Contains(stmt, "$1"):
			args = []any{written}
		}
		if strings.TrimSpace(stmt) == "" {
			continue
		}
		if _, err := d.W.ExecContext(ctx, stmt, args...); err != nil {
			t.Fatalf("%s: %v\n%s", path, err, stmt)
		}
	}
}

// eachEmpty runs fn on a new database of each engine that is not migrated
// yet, for the tests that migrate it step by step.
func eachEmpty(t *testing.T, fn func(t *testing.T, ctx context.Context, d *db.DB)) {
	for _, engine := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			ctx := context.Background()
			d, err := db.Open(ctx, dbtest.DSN(t, engine))
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			fn(t, ctx, d)
		})
	}
}

// TestTheOpenSpacesMigrationKeysTheirPosts upgrades posts indexed by their
// space's key alone (before migration 0050): a post of a space open to the
// city then carries the key everyone holds, one of an agency's open space
// the city-wide roles' key, and a members-only room's post neither; search
// (SQLite's full-text table included, checked whole) finds them so.
func TestTheOpenSpacesMigrationKeysTheirPosts(t *testing.T) {
	eachEmpty(t, func(t *testing.T, ctx context.Context, d *db.DB) {
		migrateUpTo(t, ctx, d, 49)
		diskes := dbtest.Agency(t, d, "DISKES", "Dinas Kesehatan", "dinas")
		disdik := dbtest.Agency(t, d, "DISDIK", "Dinas Pendidikan", "dinas")
		actor := func(agency int64, name, email string, role policy.Role) *policy.Actor {
			emp, acc := dbtest.Person(t, d, agency, name, email)
			dbtest.Grant(t, d, acc, string(role), 0)
			return &policy.Actor{AccountID: acc, EmployeeID: emp, AgencyID: agency, Name: name,
				Grants: []policy.Grant{{Role: role}}}
		}
		expert := actor(diskes, "Pakar Kota", "pakar@makassarkota.go.id", policy.Expert)
		agent := actor(disdik, "Agen Kota", "agen@makassarkota.go.id", policy.Agent)
		emp, acc := dbtest.Person(t, d, disdik, "Budi", "budi@makassarkota.go.id")
		budi := &policy.Actor{AccountID: acc, EmployeeID: emp, AgencyID: disdik, Name: "Budi"}
		svc := discuss.NewService(d, auth.ActorsIn)
		wants := map[int64]string{} // post → its audience as discuss.PostAudience gives it
		for _, in := range []discuss.SpaceInput{
			{Name: "Forum Kota", Level: policy.SpaceCity},
			{Name: "Ruang Diskes", Level: policy.SpaceAgency, AgencyID: diskes},
			{Name: "Pimpinan Diskes", Level: policy.SpaceAgency, AgencyID: diskes, MembersOnly: true},
		} {
			sp, err := svc.CreateSpace(ctx, expert, in)
			if err != nil {
				t.Fatal(err)
			}
			th, p, err := svc.CreateThread(ctx, expert, sp.ID, discuss.ThreadInput{Title: "Laporan " + in.Name, Body: "Ekspor laporan bulanan"})
			if err != nil {
				t.Fatal(err)
			}
			// As 0049's code indexed it.
			err = d.Tx(ctx, func(tx *sql.Tx) error {
				return search.Put(ctx, tx, search.Doc{Kind: search.KindPost, ID: p.ID, Ref: strconv.FormatInt(th.ID, 10),
					Title: th.Title, Body: p.Body, Audience: []string{search.Space(sp.ID)}, Updated: p.CreatedAt})
			})
			if err != nil {
				t.Fatal(err)
			}
			wants[p.ID] = strings.Join(discuss.PostAudience(sp), " ")
		}
		if _, err := d.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		for post, want := range wants {
			var got string
			if err := d.R.QueryRowContext(ctx, `SELECT audience FROM search_docs WHERE kind = 'post' AND doc_id = $1`,
				post).Scan(&got); err != nil || got != want {
				t.Errorf("post %d: audience %q (%v), want %q", post, got, err, want)
			}
		}
		dbtest.Integrity(t, d)
		s := search.NewService(d, discuss.SearchKeys)
		for _, c := range []struct {
			a    *policy.Actor
			want int
		}{{budi, 1}, {agent, 2}, {expert, 3}} {
			ans, err := s.Search(ctx, c.a, search.Request{Text: "laporan"})
			if err != nil || len(ans.Items) != c.want {
				t.Errorf("%s finds %d threads (%v), want %d", c.a.Name, len(ans.Items), err, c.want)
			}
		}
	})
}
