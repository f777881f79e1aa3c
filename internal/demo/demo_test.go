package demo

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/apps"
	"github.com/lontara-id/lontara/internal/auth"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/org"
)

func TestLoadCity(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		start := time.Now()
		res, err := LoadCity(ctx, d, Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("loaded %+v in %v", Result{Agencies: res.Agencies, Employees: res.Employees, Apps: res.Apps}, time.Since(start))
		if res.Agencies < 55 || res.Agencies > 70 || res.Employees < 1900 || res.Employees > 2300 || res.Apps != 11 {
			t.Errorf("counts %+v", res)
		}
		if res.SuperadminEmail != "superadmin@makassarkota.go.id" || len(res.Password) < 16 {
			t.Errorf("superadmin %q, password %q", res.SuperadminEmail, res.Password)
		}
		t.Run("Kecamatan", func(t *testing.T) { checkKecamatan(t, d) })
		t.Run("Staffed", func(t *testing.T) { checkStaffed(t, d) })
		t.Run("People", func(t *testing.T) { checkPeople(t, d) })
		t.Run("Roles", func(t *testing.T) { checkRoles(t, d) })
		t.Run("Apps", func(t *testing.T) { checkApps(t, d) })
		// The checks of the other parts of the city share this one load (a city
		// takes seconds on each engine); they read it, so they come before the
		// checks below that write.
		t.Run("Certificates", func(t *testing.T) { checkCertificates(t, d) })
		t.Run("Channels", func(t *testing.T) { checkChannels(t, d) })
		t.Run("Development", func(t *testing.T) { checkDevelopment(t, d) })
		t.Run("Discussion", func(t *testing.T) { checkDiscussion(t, d) })
		t.Run("Feedback", func(t *testing.T) { checkFeedback(t, d) })
		t.Run("Gaps", func(t *testing.T) { checkGaps(t, d) })
		t.Run("Impact", func(t *testing.T) { checkImpact(t, d) })
		t.Run("Leadership", func(t *testing.T) { checkLeadership(t, d) })
		t.Run("TargetsAndIndex", func(t *testing.T) { checkTargetsAndIndex(t, d) })
		t.Run("Training", func(t *testing.T) { checkTraining(t, d) })
		t.Run("Helpdesk", func(t *testing.T) {
			var teams, tickets int
			if err := d.R.QueryRow(`SELECT (SELECT count(*) FROM teams), (SELECT count(*) FROM tickets)`).Scan(&teams, &tickets); err != nil {
				t.Fatal(err)
			}
			if res.Teams != teams || res.Tickets != tickets {
				t.Errorf("the result says %d teams and %d tickets; the database has %d and %d", res.Teams, res.Tickets, teams, tickets)
			}
			checkHelpdesk(t, d, res.Tickets) // it files a ticket of its own
		})
		t.Run("Knowledge", func(t *testing.T) { checkKnowledge(t, d) })
		t.Run("Survey", func(t *testing.T) { checkSurvey(t, d) })
		t.Run("Competency", func(t *testing.T) { checkCompetency(t, d) })
		t.Run("Meetings", func(t *testing.T) {
			var upcoming, withNotes, invited, told int
			if err := d.R.QueryRow(`SELECT (SELECT count(*) FROM meetings WHERE starts_at > $1),
				(SELECT count(*) FROM meetings WHERE notes <> '' AND ends_at < $1),
				(SELECT count(*) FROM meeting_invitees),
				(SELECT count(*) FROM notifications WHERE kind = 'meeting.invited')`, time.Now().UTC()).
				Scan(&upcoming, &withNotes, &invited, &told); err != nil {
				t.Fatal(err)
			}
			if upcoming != 1 || withNotes != 1 || invited < 6 || told != invited {
				t.Errorf("meetings: %d upcoming, %d held with notes, %d invitations, %d told", upcoming, withNotes, invited, told)
			}
		})
		t.Run("Password", func(t *testing.T) {
			var hash string
			if err := d.R.QueryRow(`SELECT a.password_hash FROM accounts a JOIN employees e ON e.id = a.employee_id
				WHERE e.email = $1`, res.SuperadminEmail).Scan(&hash); err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,t=2,p=1$") {
				t.Errorf("hash %q", hash)
			}
			ok, err := auth.NewHasher(1).Verify(ctx, hash, res.Password)
			if err != nil || !ok {
				t.Errorf("password does not verify: %v %v", ok, err)
			}
		})
		t.Run("ErrNotEmpty", func(t *testing.T) {
			if _, err := LoadCity(ctx, d, Options{}); !errors.Is(err, ErrNotEmpty) {
				t.Errorf("second load: %v, want ErrNotEmpty", err)
			}
		})
		t.Run("NewRowsGetFreeIDs", func(t *testing.T) {
			if _, err := db.InsertID(ctx, d.W, `INSERT INTO positions (name, created_at) VALUES ('Jabatan Baru', $1)
				RETURNING id`, time.Now().UTC()); err != nil {
				t.Errorf("insert after the demo: %v", err)
			}
		})
	})
}

func checkKecamatan(t *testing.T, d *db.DB) {
	for _, k := range kecamatan {
		var typ string
		if err := d.R.QueryRow(`SELECT type FROM agencies WHERE name = $1`, "Kecamatan "+k).Scan(&typ); err != nil || typ != "kecamatan" {
			t.Errorf("kecamatan %s: %q, %v", k, typ, err)
		}
	}
	var n int
	if err := d.R.QueryRow(`SELECT count(*) FROM agencies WHERE type = 'kecamatan'`).Scan(&n); err != nil || n != 15 {
		t.Errorf("%d kecamatan, %v", n, err)
	}
	var parent string
	err := d.R.QueryRow(`SELECT p.code FROM agencies a JOIN agencies p ON p.id = a.parent_id WHERE a.name = $1`,
		"Kelurahan Pa'baeng-baeng").Scan(&parent)
	if err != nil || parent != "KEC-TAMALATE" {
		t.Errorf("Pa'baeng-baeng under %q, %v", parent, err)
	}
}

func checkStaffed(t *testing.T, d *db.DB) {
	rows, err := d.R.Query(`SELECT a.code, count(e.id) FROM agencies a LEFT JOIN employees e ON e.agency_id = a.id
		GROUP BY a.code HAVING count(e.id) < 15`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		var n int
		if err := rows.Scan(&code, &n); err != nil {
			t.Fatal(err)
		}
		t.Errorf("agency %s has %d employees, want at least 15", code, n)
	}
}

// checkPeople holds every person to the rules the org service enforces.
func checkPeople(t *testing.T, d *db.DB) {
	rows, err := d.R.Query(`SELECT e.id, COALESCE(e.nip, ''), e.employment_type, e.email, COALESCE(e.phone, ''),
		COALESCE(s.agency_id, 0), e.agency_id, COALESCE(e.supervisor_id, 0) FROM employees e
		LEFT JOIN employees s ON s.id = e.supervisor_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	now, bad, noBoss := time.Now(), 0, 0
	for rows.Next() {
		var id, supAgency, agency, sup int64
		var nip, typ, email, phone string
		if err := rows.Scan(&id, &nip, &typ, &email, &phone, &supAgency, &agency, &sup); err != nil {
			t.Fatal(err)
		}
		if org.HasNIP(typ) {
			if key := org.ValidateNIP(nip, now); key != "" && bad < 5 {
				t.Errorf("employee %d: NIP %s breaks %s", id, nip, key)
				bad++
			}
		} else if nip != "" {
			t.Errorf("employee %d (%s) has NIP %s", id, typ, nip)
		}
		if !strings.HasSuffix(email, "@makassarkota.go.id") || !strings.HasPrefix(phone, "+628") {
			t.Errorf("employee %d: email %q, phone %q", id, email, phone)
		}
		if sup == 0 {
			noBoss++
		}
	}
	if noBoss != 1 {
		t.Errorf("%d people without a supervisor, want only the Wali Kota", noBoss)
	}
}

func checkRoles(t *testing.T, d *db.DB) {
	count := func(q string, args ...any) int {
		var n int
		if err := d.R.QueryRow(q, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	agencies := count(`SELECT count(*) FROM agencies`)
	for role, want := range map[string]int{"agency_admin": agencies, "agency_head": agencies, "agent": agents,
		"expert": experts, "executive": 3, "superadmin": 1, "employee": count(`SELECT count(*) FROM employees`)} {
		if n := count(`SELECT count(*) FROM role_grants WHERE role = $1`, role); n != want {
			t.Errorf("%d %s grants, want %d", n, role, want)
		}
	}
	if n := count(`SELECT count(*) FROM role_grants WHERE role = 'trainer'`); n < 4 {
		t.Errorf("%d trainers", n)
	}
	if n := count(`SELECT count(*) FROM role_grants g JOIN accounts a ON a.id = g.account_id
		JOIN employees e ON e.id = a.employee_id WHERE g.agency_id IS NOT NULL AND g.agency_id <> e.agency_id`); n != 0 {
		t.Errorf("%d agency roles held outside the person's agency", n)
	}
	if n := count(`SELECT count(*) FROM app_agencies u WHERE NOT EXISTS (SELECT 1 FROM role_grants g
		WHERE g.role = 'operator' AND g.app_id = u.app_id AND g.agency_id = u.agency_id)`); n != 0 {
		t.Errorf("%d agencies use an app with no operator", n)
	}
}

func checkApps(t *testing.T, d *db.DB) {
	ctx := context.Background()
	s := apps.NewService(d)
	a, err := s.GetAppBySlug(ctx, "dottorota")
	if err != nil || a.Name != "Dottoro'ta" || a.OwnerAgencyName != "Dinas Kesehatan" || len(a.Operators) == 0 {
		t.Errorf("Dottoro'ta: %+v, %v", a, err)
	}
	warRoom := "war room"
	list, _, err := s.ListApps(ctx, apps.AppFilter{Query: &warRoom}, db.Page{})
	if err != nil || len(list) != 1 || list[0].Name != "Makassar War Room" {
		t.Errorf("War Room: %+v, %v", list, err)
	}
}

// TestGenerateDeterministic loads a small world twice with one seed and
// once with another, and compares the people, on each engine.
func TestGenerateDeterministic(t *testing.T) {
	ctx := context.Background()
	dbtest.Each(t, func(t *testing.T, first *db.DB) {
		sum := func(d *db.DB, seed int64) string {
			if d == nil {
				var err error
				if d, err = db.OpenMigrated(ctx, dbtest.DSN(t, first.Engine())); err != nil {
					t.Fatal(err)
				}
				defer d.Close()
			}
			if _, err := load(ctx, d, makassar(), 1200, seed, false); err != nil {
				t.Fatal(err)
			}
			rows, err := d.R.Query(`SELECT name, COALESCE(nip, ''), email FROM employees ORDER BY id`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			h := sha256.New()
			for rows.Next() {
				var name, nip, email string
				if err := rows.Scan(&name, &nip, &email); err != nil {
					t.Fatal(err)
				}
				h.Write([]byte(name + "|" + nip + "|" + email + "\n"))
			}
			return hex.EncodeToString(h.Sum(nil))
		}
		a, b, c := sum(first, 7), sum(nil, 7), sum(nil, 8)
		if a != b {
			t.Errorf("seed 7 gave %s then %s", a, b)
		}
		if a == c {
			t.Error("seeds 7 and 8 gave the same people")
		}
	})
}

func TestWorlds(t *testing.T) {
	for _, sc := range []struct {
		name string
		w    world
		min  int
		max  int
	}{{"province", province(), 280, 340}, {"ministry", ministry(), 260, 320}} {
		ds := build(sc.w, 5000, 1)
		if n := len(ds.Agencies); n < sc.min || n > sc.max {
			t.Errorf("%s: %d agencies, want %d–%d", sc.name, n, sc.min, sc.max)
		}
		codes := map[string]bool{}
		for _, a := range ds.Agencies {
			if codes[a.Code] {
				t.Errorf("%s: code %s twice", sc.name, a.Code)
			}
			codes[a.Code] = true
		}
	}
	if _, err := ParseScale("galaxy"); err == nil {
		t.Error("ParseScale accepted galaxy")
	}
}
