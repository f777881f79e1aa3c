package discuss_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/discuss"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/search"
)

func TestEachPersonSeesTheSpacesTheRulesLetThemRead(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newCity(t, d)
		cityWide := c.space(t, discuss.SpaceInput{Name: "Forum Kota", Level: policy.SpaceCity, Formal: true})
		agency := c.space(t, discuss.SpaceInput{Name: "Ruang Diskes", Level: policy.SpaceAgency, AgencyID: c.diskes}, c.admin)
		closed := c.space(t, discuss.SpaceInput{Name: "Pimpinan Diskes", Level: policy.SpaceAgency, AgencyID: c.diskes, MembersOnly: true}, c.admin)
		app := c.space(t, discuss.SpaceInput{Name: "Tanya SIKDA", Level: policy.SpaceApp, AppID: c.app}, c.admin)
		team := c.space(t, discuss.SpaceInput{Name: "Dapur Tim Jaringan", Level: policy.SpaceTeam, TeamID: c.team, MembersOnly: true}, c.agent)
		if app.Where != "SIKDA" || agency.Where != "Dinas Kesehatan" {
			t.Errorf("where: app %q, agency %q", app.Where, agency.Where)
		}
		names := func(a *policy.Actor) []string {
			list, err := c.svc.Spaces(ctx, a)
			if err != nil {
				t.Fatal(err)
			}
			var n []string
			for _, s := range list {
				n = append(n, s.Name)
			}
			slices.Sort(n)
			return n
		}
		for _, tc := range []struct {
			who  string
			a    *policy.Actor
			want []string
		}{
			{"Diskes staff", c.nur, []string{"Forum Kota", "Ruang Diskes", "Tanya SIKDA"}},
			{"Disdik staff", c.budi, []string{"Forum Kota", "Tanya SIKDA"}},
			{"Diskes admin", c.admin, []string{"Forum Kota", "Pimpinan Diskes", "Ruang Diskes", "Tanya SIKDA"}},
			{"the team's lead", c.agent, []string{"Dapur Tim Jaringan", "Forum Kota", "Ruang Diskes", "Tanya SIKDA"}},
		} {
			if got := names(tc.a); !slices.Equal(got, tc.want) {
				t.Errorf("%s reads %v, want %v", tc.who, got, tc.want)
			}
		}
		// Budi reads only spaces open to the whole city, whose posts every
		// searcher finds (search.Everyone): search needs no key of his.
		if keys, err := discuss.SearchKeys(ctx, d.R, c.budi); err != nil || len(keys) > 0 {
			t.Errorf("Budi's search keys %v (%v), want none", keys, err)
		}
		// A members-only room is not even there for outsiders; a member reads it.
		if _, _, err := c.svc.Threads(ctx, c.nur, closed.ID, discuss.ThreadFilter{}, db.Page{}); !errs.Is(err, errs.NotFound) {
			t.Errorf("an outsider lists a members-only space: %v", err)
		}
		if err := c.svc.SetMember(ctx, c.admin, closed.ID, "@nur.aini", discuss.RoleMember); err != nil {
			t.Fatal(err)
		}
		if _, _, err := c.svc.Threads(ctx, c.nur, closed.ID, discuss.ThreadFilter{}, db.Page{}); err != nil {
			t.Errorf("a member cannot list the space: %v", err)
		}
		if _, _, err := c.svc.Threads(ctx, c.nur, team.ID, discuss.ThreadFilter{}, db.Page{}); !errs.Is(err, errs.NotFound) {
			t.Errorf("an outsider lists a team's room: %v", err)
		}
		// Search reads the spaces one may read in a statement of its own
		// (members and teams joined in): for everyone, the keys it gives,
		// with search.Everyone, find the posts of the spaces the list shows
		// (PostAudience), the rooms of a member, a moderator and a team
		// member (Budi, now in the team) among them, and of no other space.
		if err := c.svc.SetMember(ctx, c.agent, team.ID, "@ani", discuss.RoleModerator); err != nil {
			t.Fatal(err)
		}
		if _, err := d.W.Exec(`INSERT INTO team_members (team_id, account_id, lead, created_at) VALUES ($1, $2, FALSE, $3)`,
			c.team, c.budi.AccountID, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		// Two readers of Diskes's open space from Disdik: a trainer there,
		// by grant, and a guest, by membership. The keys' statement reads
		// only the agencies' spaces of one's own agencies and memberships
		// (policy.AgencySpacesRead), so these are the readers it could miss.
		trainer := person(t, d, c.disdik, "Pelatih Lintas", "pelatih@makassarkota.go.id",
			policy.Grant{Role: policy.Employee, AgencyID: c.disdik}, policy.Grant{Role: policy.Trainer, AgencyID: c.diskes})
		guest := person(t, d, c.disdik, "Tamu Disdik", "tamu@makassarkota.go.id", policy.Grant{Role: policy.Employee, AgencyID: c.disdik})
		if err := c.svc.SetMember(ctx, c.admin, agency.ID, "@tamu", discuss.RoleMember); err != nil {
			t.Fatal(err)
		}
		all := []discuss.Space{cityWide, agency, closed, app, team}
		for _, a := range []*policy.Actor{c.nur, c.ani, c.budi, c.admin, c.expert, c.agent, trainer, guest} {
			list, err := c.svc.Spaces(ctx, a)
			if err != nil {
				t.Fatal(err)
			}
			keys, err := discuss.SearchKeys(ctx, d.R, a)
			if err != nil {
				t.Fatal(err)
			}
			keys = append(keys, search.Everyone)
			for _, sp := range all {
				reads := slices.ContainsFunc(list, func(s discuss.SpaceSummary) bool { return s.ID == sp.ID })
				finds := slices.ContainsFunc(discuss.PostAudience(sp), func(k string) bool { return slices.Contains(keys, k) })
				if reads != finds {
					t.Errorf("%s reads %s: %v, finds its posts with keys %v: %v", a.Name, sp.Name, reads, keys, finds)
				}
			}
		}
		// The city-wide roles name no open space: one key finds them all.
		keys, err := discuss.SearchKeys(ctx, d.R, c.expert)
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(keys, search.Space(agency.ID)) || !slices.Contains(keys, search.CityWide) {
			t.Errorf("the expert's keys %v, want %s and no open space's", keys, search.CityWide)
		}
	})
}

func TestOnlyThoseWhoAdministerALevelCreateSpacesThere(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newCity(t, d)
		for _, tc := range []struct {
			who  string
			a    *policy.Actor
			in   discuss.SpaceInput
			code errs.Code
		}{
			{"an employee, a city space", c.nur, discuss.SpaceInput{Name: "X", Level: policy.SpaceCity}, errs.Forbidden},
			{"an admin, another agency's space", c.admin, discuss.SpaceInput{Name: "X", Level: policy.SpaceAgency, AgencyID: c.disdik}, errs.Forbidden},
			{"an agent who leads no team… of another team", c.nur, discuss.SpaceInput{Name: "X", Level: policy.SpaceTeam, TeamID: c.team}, errs.Forbidden},
			{"no name", c.expert, discuss.SpaceInput{Level: policy.SpaceCity}, errs.Invalid},
			{"an unknown level", c.expert, discuss.SpaceInput{Name: "X", Level: "planet"}, errs.Invalid},
			{"an agency space without its agency", c.expert, discuss.SpaceInput{Name: "X", Level: policy.SpaceAgency}, errs.Invalid},
			{"an unknown application", c.expert, discuss.SpaceInput{Name: "X", Level: policy.SpaceApp, AppID: 999999}, errs.Invalid},
		} {
			if _, err := c.svc.CreateSpace(ctx, tc.a, tc.in); errs.CodeOf(err) != tc.code {
				t.Errorf("%s: %v, want %s", tc.who, err, tc.code)
			}
		}
		if n := c.count(t, `SELECT COUNT(*) FROM spaces`); n != 0 {
			t.Errorf("%d spaces written by refused requests", n)
		}
		s := c.space(t, discuss.SpaceInput{Name: "Ruang Dottoro'ta Ä", Level: policy.SpaceAgency, AgencyID: c.diskes}, c.admin)
		got, err := discuss.SpaceByID(ctx, d.R, s.ID)
		if err != nil || got.Name != "Ruang Dottoro'ta Ä" {
			t.Errorf("name round trip: %q, %v", got.Name, err)
		}
		if ok, _ := discuss.CanModerate(ctx, d.R, c.admin, s); !ok {
			t.Error("the creator does not moderate the space")
		}
		if n := c.count(t, `SELECT COUNT(*) FROM audit_log WHERE entity = 'space'`); n != 1 {
			t.Errorf("%d audit records of the space", n)
		}
	})
}

func TestAdministratorsEditASpaceAndItsReadersFollow(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newCity(t, d)
		room := c.space(t, discuss.SpaceInput{Name: "Ruang Diskes", Level: policy.SpaceAgency, AgencyID: c.diskes}, c.admin)
		if _, err := c.svc.UpdateSpace(ctx, c.nur, room.ID, discuss.SpaceInput{Name: "Punyaku"}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("a reader edits the space: %v", err)
		}
		if _, err := c.svc.UpdateSpace(ctx, c.admin, room.ID, discuss.SpaceInput{Name: " "}); !errs.Is(err, errs.Invalid) {
			t.Errorf("a blank name: %v", err)
		}
		sp, err := c.svc.UpdateSpace(ctx, c.admin, room.ID, discuss.SpaceInput{Name: "Pimpinan Diskes", MembersOnly: true, Formal: true})
		if err != nil || sp.Name != "Pimpinan Diskes" || !sp.MembersOnly || !sp.Formal || sp.Level != policy.SpaceAgency || *sp.AgencyID != c.diskes {
			t.Fatalf("edited: %+v, %v", sp, err)
		}
		if ok, _ := discuss.CanRead(ctx, d.R, c.nur, sp); ok {
			t.Error("staff still read the space made members-only")
		}
		if n := c.count(t, `SELECT COUNT(*) FROM audit_log WHERE entity = 'space' AND action = 'update'`); n != 1 {
			t.Errorf("%d audit records of the edit", n)
		}
	})
}

// Who finds a space's posts follows its openness: the city-wide roles find
// an agency's open room by their one key, lose it when the room becomes
// members-only, and find it again when it opens; a member finds it
// throughout, and staff of another agency never. The posts' rows change
// in place (search.SetAudience), a hidden post stays out, and SQLite's
// full-text table follows.
func TestSearchFollowsASpaceClosingAndOpening(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := newCity(t, d)
		room := c.space(t, discuss.SpaceInput{Name: "Ruang Diskes", Level: policy.SpaceAgency, AgencyID: c.diskes}, c.admin)
		th := c.thread(t, c.nur, room.ID, "Ekspor laporan SIKDA", "Bagaimana mengekspor laporan?", true)
		hidden := c.reply(t, c.nur, th.ID, "Laporan saya berisi data pasien")
		if err := c.svc.Hide(ctx, c.admin, hidden.ID, "data pribadi"); err != nil {
			t.Fatal(err)
		}
		if err := c.svc.SetMember(ctx, c.admin, room.ID, "@nur.aini", discuss.RoleMember); err != nil {
			t.Fatal(err)
		}
		rows := func() string {
			t.Helper()
			ids, err := db.IDs(ctx, d.R, `SELECT id FROM search_docs WHERE kind = 'post' ORDER BY id`)
			if err != nil {
				t.Fatal(err)
			}
			return fmt.Sprint(ids)
		}
		before := rows()
		s := search.NewService(d, discuss.SearchKeys)
		check := func(when string, want map[*policy.Actor]int) {
			t.Helper()
			for a, n := range want {
				ans, err := s.Search(ctx, a, search.Request{Text: "laporan"})
				if err != nil || len(ans.Items) != n {
					t.Errorf("%s: %s finds %d threads (%v), want %d", when, a.Name, len(ans.Items), err, n)
				}
			}
		}
		check("open", map[*policy.Actor]int{c.agent: 1, c.nur: 1, c.budi: 0})
		for _, closed := range []bool{true, false} {
			if _, err := c.svc.UpdateSpace(ctx, c.admin, room.ID, discuss.SpaceInput{Name: room.Name, MembersOnly: closed}); err != nil {
				t.Fatal(err)
			}
			agent := 1
			if closed {
				agent = 0
			}
			check(map[bool]string{true: "members-only", false: "open again"}[closed],
				map[*policy.Actor]int{c.agent: agent, c.nur: 1, c.budi: 0})
			if ans, err := s.Search(ctx, c.nur, search.Request{Text: "pasien"}); err != nil || len(ans.Items) != 0 {
				t.Errorf("the hidden post is found: %d results (%v)", len(ans.Items), err)
			}
		}
		if after := rows(); after != before {
			t.Errorf("the posts' index rows went from %s to %s, want them changed in place", before, after)
		}
		dbtest.Integrity(t, d)
	})
}
