package meetings_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/meetings"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// city is a small city with a meeting room: the health office's open
// space, its staff (Nur'aini organizes, Daeng is invited), an agent of the
// help desk (who writes articles) and someone of another agency, who
// cannot read the health office's room.
type city struct {
	h                          *servertest.Harness
	pw                         map[string]string
	space, closed, open        int64
	organizer, guest, outsider *policy.Actor
	agent                      *policy.Actor
}

const (
	nur    = "nur.aini@makassarkota.go.id"
	daeng  = "daeng@makassarkota.go.id"
	other  = "andi@makassarkota.go.id"
	writer = "agen@makassarkota.go.id"
)

func newCity(t *testing.T, d *db.DB) *city {
	t.Helper()
	h := servertest.Start(t, d)
	h.Agency(t, "DINKES", "Dinas Kesehatan", "dinas")
	h.Agency(t, "BAPENDA", "Badan Pendapatan Daerah", "badan")
	pw := h.Users(t,
		servertest.Person{Email: nur, Name: "Nur'aini Dottoro'ta", Role: policy.Employee, Agency: "DINKES"},
		servertest.Person{Email: daeng, Name: "Daeng Ngasseng", Role: policy.Employee, Agency: "DINKES"},
		servertest.Person{Email: other, Name: "Andi Bapenda", Role: policy.Employee, Agency: "BAPENDA"},
		servertest.Person{Email: writer, Name: "Agen Satu", Role: policy.Agent, Agency: "DINKES"})
	c := &city{h: h, pw: pw}
	ctx := context.Background()
	for _, p := range []struct {
		email string
		dst   **policy.Actor
	}{{nur, &c.organizer}, {daeng, &c.guest}, {other, &c.outsider}, {writer, &c.agent}} {
		a, err := h.Svc.Auth.LoadActor(ctx, h.AccountID(t, p.email))
		if err != nil {
			t.Fatal(err)
		}
		*p.dst = a
	}
	var dinkes int64
	if err := d.R.QueryRowContext(ctx, `SELECT id FROM agencies WHERE code = 'DINKES'`).Scan(&dinkes); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	var err error
	if c.space, err = db.InsertID(ctx, d.W, `INSERT INTO spaces (name, level, agency_id, created_at, updated_at)
		VALUES ('Forum Dinkes', 'agency', $1, $2, $2) RETURNING id`, dinkes, now); err != nil {
		t.Fatal(err)
	}
	if c.closed, err = db.InsertID(ctx, d.W, `INSERT INTO spaces (name, level, members_only, created_at, updated_at)
		VALUES ('Tim Kecil', 'city', TRUE, $1, $1) RETURNING id`, now); err != nil {
		t.Fatal(err)
	}
	if c.open, err = db.InsertID(ctx, d.W, `INSERT INTO spaces (name, level, created_at, updated_at)
		VALUES ('Forum Kota', 'city', $1, $1) RETURNING id`, now); err != nil {
		t.Fatal(err)
	}
	return c
}

func (c *city) svc() *meetings.Service { return c.h.Svc.Meetings }

func (c *city) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := c.h.DB.R.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func (c *city) notified(t *testing.T, email, kind string) int {
	return c.count(t, `SELECT COUNT(*) FROM notifications WHERE account_id = $1 AND kind = $2`, c.h.AccountID(t, email), kind)
}

func tomorrow() time.Time { return time.Now().UTC().Add(24 * time.Hour).Truncate(time.Minute) }

func TestAMeetingInvitesPeopleWhoCanReadItsSpaceAndRemindsThemOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newCity(t, d)
		ctx := context.Background()
		start := tomorrow()
		in := meetings.Input{Title: "Evaluasi SIMPUS", StartsAt: start, EndsAt: start.Add(time.Hour),
			Link: "https://meet.jit.si/dinkes-simpus", Agenda: "- capaian\n- kendala", Invite: []string{daeng, other}}

		_, err := c.svc().Schedule(ctx, c.organizer, c.space, in)
		if f := fieldOf(err, "invite"); f == nil || !strings.Contains(fmt.Sprint(f.Args...), other) {
			t.Fatalf("inviting someone of another agency to an agency room: %v", err)
		}
		if n := c.count(t, `SELECT COUNT(*) FROM meetings`); n != 0 {
			t.Fatalf("a refused meeting left %d rows", n)
		}

		in.Invite = []string{" DAENG@makassarkota.go.id ", daeng, nur}
		m, err := c.svc().Schedule(ctx, c.organizer, c.space, in)
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Invitees) != 1 || m.Invitees[0].Name != "Daeng Ngasseng" || m.Invitees[0].Response != meetings.Pending {
			t.Fatalf("invitees (the organizer is not invited to their own meeting, an email twice is one): %+v", m.Invitees)
		}
		if m.Organizer != "Nur'aini Dottoro'ta" || !strings.Contains(string(m.AgendaHTML), "<li>capaian</li>") {
			t.Errorf("meeting as read: %+v", m)
		}
		if n := c.notified(t, daeng, "meeting.invited"); n != 1 {
			t.Errorf("the invitee was told %d times", n)
		}

		if n, err := c.svc().Remind(ctx, start.Add(-2*time.Hour)); err != nil || n != 0 {
			t.Fatalf("two hours before: reminded %d, %v", n, err)
		}
		for range 2 { // a second node running the job reminds no one again
			if _, err := c.svc().Remind(ctx, start.Add(-30*time.Minute)); err != nil {
				t.Fatal(err)
			}
		}
		if c.notified(t, daeng, "meeting.soon") != 1 || c.notified(t, nur, "meeting.soon") != 1 {
			t.Errorf("reminders: invitee %d, organizer %d; want one each",
				c.notified(t, daeng, "meeting.soon"), c.notified(t, nur, "meeting.soon"))
		}
	})
}

func TestMovingAMeetingTellsItsInviteesAndRemindsAgainAndCancellingEndsIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newCity(t, d)
		ctx := context.Background()
		start := tomorrow()
		in := meetings.Input{Title: "Rapat SIPD", StartsAt: start, EndsAt: start.Add(time.Hour),
			Link: "https://zoom.us/j/123", Invite: []string{daeng}}
		m, err := c.svc().Schedule(ctx, c.organizer, c.space, in)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.svc().Remind(ctx, start.Add(-10*time.Minute)); err != nil {
			t.Fatal(err)
		}
		if _, err := c.svc().Update(ctx, c.guest, m.ID, in); !errs.Is(err, errs.Forbidden) {
			t.Errorf("an invitee changing the meeting: %v", err)
		}
		in.Invite = nil
		in.StartsAt, in.EndsAt = start.Add(24*time.Hour), start.Add(25*time.Hour)
		if _, err := c.svc().Update(ctx, c.organizer, m.ID, in); err != nil {
			t.Fatal(err)
		}
		if n := c.notified(t, daeng, "meeting.changed"); n != 1 {
			t.Errorf("the invitee heard of the move %d times", n)
		}
		if n, _ := c.svc().Remind(ctx, in.StartsAt.Add(-10*time.Minute)); n != 1 {
			t.Errorf("the moved meeting was reminded of %d times before its new start", n)
		}

		if err := c.svc().Respond(ctx, c.guest, m.ID, "sure"); fieldOf(err, "response") == nil {
			t.Errorf("an unknown answer: %v", err)
		}
		if err := c.svc().Respond(ctx, c.outsider, m.ID, meetings.Yes); !errs.Is(err, errs.NotFound) {
			t.Errorf("someone who cannot read the room answering: %v", err)
		}
		if err := c.svc().Respond(ctx, c.guest, m.ID, meetings.No); err != nil {
			t.Fatal(err)
		}
		if err := c.svc().Cancel(ctx, c.organizer, m.ID); err != nil {
			t.Fatal(err)
		}
		if n := c.notified(t, daeng, "meeting.cancelled"); n != 1 {
			t.Errorf("the invitee heard of the cancellation %d times", n)
		}
		if err := c.svc().Cancel(ctx, c.organizer, m.ID); !errs.Is(err, errs.Conflict) {
			t.Errorf("cancelling twice: %v", err)
		}
		if err := c.svc().Respond(ctx, c.guest, m.ID, meetings.Yes); !errs.Is(err, errs.Conflict) {
			t.Errorf("answering a cancelled meeting: %v", err)
		}
		if _, err := c.svc().Update(ctx, c.organizer, m.ID, in); !errs.Is(err, errs.Conflict) {
			t.Errorf("changing a cancelled meeting: %v", err)
		}
	})
}

func TestBadMeetingInputNamesTheFieldAndWritesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newCity(t, d)
		start := tomorrow()
		good := meetings.Input{Title: "Rapat", StartsAt: start, EndsAt: start.Add(time.Hour), Link: "https://meet.google.com/abc-defg-hij"}
		for _, tc := range []struct {
			name, field string
			edit        func(*meetings.Input)
		}{
			{"no title", "title", func(in *meetings.Input) { in.Title = "  " }},
			{"a title with a bidi override", "title", func(in *meetings.Input) { in.Title = "Rapat \u202egnitpecca" }},
			{"a script link", "link", func(in *meetings.Input) { in.Link = "javascript:alert(1)" }},
			{"a link without a host", "link", func(in *meetings.Input) { in.Link = "https://" }},
			{"no link", "link", func(in *meetings.Input) { in.Link = "" }},
			{"a start in the past", "starts_at", func(in *meetings.Input) {
				in.StartsAt, in.EndsAt = start.Add(-48*time.Hour), start.Add(-47*time.Hour)
			}},
			{"no start", "starts_at", func(in *meetings.Input) { in.StartsAt = time.Time{} }},
			{"three minutes", "ends_at", func(in *meetings.Input) { in.EndsAt = in.StartsAt.Add(3 * time.Minute) }},
			{"thirteen hours", "ends_at", func(in *meetings.Input) { in.EndsAt = in.StartsAt.Add(13 * time.Hour) }},
			{"an unknown invitee", "invite", func(in *meetings.Input) { in.Invite = []string{"siapa@contoh.id"} }},
		} {
			in := good
			tc.edit(&in)
			_, err := c.svc().Schedule(context.Background(), c.organizer, c.space, in)
			if fieldOf(err, tc.field) == nil {
				t.Errorf("%s: want a %s error, got %v", tc.name, tc.field, err)
			}
		}
		if _, err := c.svc().Schedule(context.Background(), c.outsider, c.closed, good); !errs.Is(err, errs.NotFound) {
			t.Errorf("scheduling in a closed room one is not in: %v", err)
		}
		if n := c.count(t, `SELECT COUNT(*) FROM meetings`); n != 0 {
			t.Errorf("refused meetings left %d rows", n)
		}
	})
}

func TestAMeetingsNotesBecomeOneDraftArticle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newCity(t, d)
		ctx := context.Background()
		start := tomorrow()
		m, err := c.svc().Schedule(ctx, c.agent, c.open, meetings.Input{Title: "Bimtek e-Kinerja", StartsAt: start,
			EndsAt: start.Add(time.Hour), Link: "https://meet.jit.si/ekinerja", Agenda: "Cara mengisi SKP"})
		if err != nil {
			t.Fatal(err)
		}
		// The same in the health office's own room: its talk goes before
		// the city's article writers only by a moderator's decision.
		inAgency, err := c.svc().Schedule(ctx, c.agent, c.space, meetings.Input{Title: "Rapat internal Dinkes",
			StartsAt: start, EndsAt: start.Add(time.Hour), Link: "https://meet.jit.si/dinkes"})
		if err != nil {
			t.Fatal(err)
		}
		if err := c.svc().SaveNotes(ctx, c.agent, m.ID, "Catatan awal"); !errs.Is(err, errs.Conflict) {
			t.Errorf("notes before the meeting: %v", err)
		}
		if _, err := c.svc().ToArticle(ctx, c.agent, m.ID, "id"); !errs.Is(err, errs.Conflict) {
			t.Errorf("an article without notes: %v", err)
		}
		// The meeting took place.
		if _, err := d.W.ExecContext(ctx, `UPDATE meetings SET starts_at = $1, ends_at = $2`,
			start.Add(-48*time.Hour), start.Add(-47*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := c.svc().SaveNotes(ctx, c.agent, inAgency.ID, "Catatan internal"); err != nil {
			t.Fatal(err)
		}
		if _, err := c.svc().ToArticle(ctx, c.agent, inAgency.ID, "id"); !errs.Is(err, errs.Forbidden) {
			t.Errorf("an article of an agency room's meeting, by its organizer who does not moderate it: %v", err)
		}
		notes := "## Keputusan\n\n- SKP diisi paling lambat tanggal 5\n\n<script>alert(1)</script>"
		if err := c.svc().SaveNotes(ctx, c.guest, m.ID, notes); !errs.Is(err, errs.Forbidden) {
			t.Errorf("a reader writing the notes: %v", err)
		}
		if err := c.svc().SaveNotes(ctx, c.agent, m.ID, notes); err != nil {
			t.Fatal(err)
		}
		first, err := c.svc().ToArticle(ctx, c.agent, m.ID, "id")
		if err != nil {
			t.Fatal(err)
		}
		again, err := c.svc().ToArticle(ctx, c.agent, m.ID, "id")
		if err != nil || again != first {
			t.Fatalf("a second request made %d (%v), want the first article %d", again, err, first)
		}
		var title, body, kind string
		if err := d.R.QueryRowContext(ctx, `SELECT title, body, origin_kind FROM articles WHERE id = $1`, first).
			Scan(&title, &body, &kind); err != nil {
			t.Fatal(err)
		}
		if title != "Catatan rapat: Bimtek e-Kinerja" || kind != "meeting" || !strings.Contains(body, "SKP diisi paling lambat") ||
			!strings.Contains(body, "Cara mengisi SKP") {
			t.Errorf("the article: %q %q %q", title, kind, body)
		}
		c.h.SignIn(t, writer, c.pw[writer]).Get(fmt.Sprintf("/pengetahuan/%d", first)).Want(t, 200,
			"the article links back to its meeting", fmt.Sprintf(`<a href="/rapat/%d">Catatan rapat #%d</a>`, m.ID, m.ID))
		got, err := c.svc().Get(ctx, c.guest, m.ID)
		if err != nil || got.ArticleID == nil || *got.ArticleID != first {
			t.Fatalf("the meeting does not link its article: %+v %v", got.ArticleID, err)
		}
		if strings.Contains(string(got.NotesHTML), "<script") {
			t.Errorf("notes render a script: %s", got.NotesHTML)
		}
	})
}

func fieldOf(err error, name string) *errs.Field {
	var e *errs.Error
	if !errors.As(err, &e) {
		return nil
	}
	for i := range e.Fields {
		if e.Fields[i].Name == name {
			return &e.Fields[i]
		}
	}
	return nil
}

func TestSchedulingThroughThePagesAndTheAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newCity(t, d)
		nurBrowser := c.h.SignIn(t, nur, c.pw[nur])
		day := time.Now().In(time.FixedZone("WITA", 8*3600)).Add(48 * time.Hour).Format(time.DateOnly)
		form := url.Values{"title": {"Rapat koordinasi Dottoro'ta"}, "date": {day}, "time": {"09:30"}, "duration": {"90"},
			"link": {"javascript:alert(1)"}, "agenda": {"**Penting**"}, "invite": {daeng}}
		path := fmt.Sprintf("/rapat/baru?ruang=%d", c.space)
		nurBrowser.Submit(path, form).Want(t, 422, "a script link", "https://")
		form.Set("link", "https://meet.jit.si/koordinasi")
		page := nurBrowser.PostForm(path, form)
		if page.Status != 303 {
			t.Fatalf("scheduling: %d %s", page.Status, page.Body)
		}
		loc := page.Header.Get("Location")
		nurBrowser.Get(loc).Want(t, 200, "the meeting's page", "Rapat koordinasi Dottoro&#39;ta", "09:30–11:00 WITA",
			"<strong>Penting</strong>", "Daeng Ngasseng", "kalender.ics")

		daengBrowser := c.h.SignIn(t, daeng, c.pw[daeng])
		daengBrowser.Get("/rapat").Want(t, 200, "the invitee's meetings", "Rapat koordinasi Dottoro&#39;ta")
		daengBrowser.Get(loc).Want(t, 200, "the invitee's view", "Apakah Anda hadir?")
		daengBrowser.PostForm(loc+"/jawab", url.Values{"response": {"yes"}}).Redirects(t, "answering", loc)
		daengBrowser.Get(loc).Want(t, 200, "after answering", "Hadir")
		cal := daengBrowser.Get(loc + "/kalender.ics")
		if cal.Status != 200 || !strings.HasPrefix(cal.Header.Get("Content-Type"), "text/calendar") ||
			!strings.Contains(cal.Body, "SUMMARY:Rapat koordinasi Dottoro'ta") || !strings.Contains(cal.Body, "DTSTART:"+strings.ReplaceAll(day, "-", "")+"T013000Z") {
			t.Errorf("calendar file: %d %s\n%s", cal.Status, cal.Header.Get("Content-Type"), cal.Body)
		}
		c.h.SignIn(t, other, c.pw[other]).Get(loc).Want(t, 404, "someone of another agency")

		token := c.h.Token(t, daeng)
		start := tomorrow()
		r := c.h.Do(t, "POST", fmt.Sprintf("/api/v1/spaces/%d/meetings", c.space), token, map[string]any{
			"title": "Via API", "starts_at": start, "ends_at": start.Add(time.Hour), "link": "https://meet.google.com/x",
			"invite": []string{nur}}, "application/json")
		var m meetings.Meeting
		r.JSON(t, &m)
		if r.Status != 201 || r.Header.Get("Location") != fmt.Sprintf("/api/v1/meetings/%d", m.ID) || len(m.Invitees) != 1 {
			t.Fatalf("POST meeting: %d %s", r.Status, r.Body)
		}
		r = c.h.Do(t, "POST", fmt.Sprintf("/api/v1/spaces/%d/meetings", c.space), token, map[string]any{
			"title": "", "starts_at": start, "ends_at": start, "link": "ftp://x"}, "application/json")
		servertest.ProblemFields(t, r, 422, "title", "link", "ends_at")
		var list struct {
			Items []meetings.Meeting `json:"items"`
			Next  *string            `json:"next"`
		}
		r = c.h.Do(t, "GET", fmt.Sprintf("/api/v1/spaces/%d/meetings?limit=1", c.space), token, nil, "")
		r.JSON(t, &list)
		if r.Status != 200 || len(list.Items) != 1 || list.Items[0].Title != "Via API" || list.Next == nil {
			t.Fatalf("GET meetings (the soonest first, paged): %d %s", r.Status, r.Body)
		}
		r = c.h.Do(t, "GET", fmt.Sprintf("/api/v1/meetings/%d", m.ID), c.h.Token(t, other), nil, "")
		servertest.Problem(t, r, 404)
	})
}

func TestSomeoneRemovedFromAClosedRoomNoLongerSeesOrHearsOfItsMeetings(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newCity(t, d)
		ctx := context.Background()
		for _, p := range []*policy.Actor{c.organizer, c.guest} {
			if _, err := d.W.ExecContext(ctx, `INSERT INTO space_members (space_id, account_id, role, created_at)
				VALUES ($1, $2, 'member', $3)`, c.closed, p.AccountID, time.Now().UTC()); err != nil {
				t.Fatal(err)
			}
		}
		start := tomorrow()
		in := meetings.Input{Title: "Rahasia tim kecil", StartsAt: start, EndsAt: start.Add(time.Hour),
			Link: "https://meet.jit.si/tim", Invite: []string{daeng}}
		m, err := c.svc().Schedule(ctx, c.organizer, c.closed, in)
		if err != nil {
			t.Fatal(err)
		}
		if list, _, err := c.svc().Mine(ctx, c.guest, false, db.Page{}); err != nil || len(list) != 1 {
			t.Fatalf("the invitee's meetings while a member: %d, %v", len(list), err)
		}
		if _, err := d.W.ExecContext(ctx, `DELETE FROM space_members WHERE space_id = $1 AND account_id = $2`,
			c.closed, c.guest.AccountID); err != nil {
			t.Fatal(err)
		}
		if list, _, err := c.svc().Mine(ctx, c.guest, false, db.Page{}); err != nil || len(list) != 0 {
			t.Errorf("the meetings of a room one left: %+v, %v", list, err)
		}
		in.Invite = nil
		in.StartsAt, in.EndsAt = start.Add(2*time.Hour), start.Add(3*time.Hour)
		if _, err := c.svc().Update(ctx, c.organizer, m.ID, in); err != nil {
			t.Fatal(err)
		}
		if _, err := c.svc().Remind(ctx, in.StartsAt.Add(-time.Minute)); err != nil {
			t.Fatal(err)
		}
		if err := c.svc().Cancel(ctx, c.organizer, m.ID); err != nil {
			t.Fatal(err)
		}
		for _, kind := range []string{"meeting.changed", "meeting.soon", "meeting.cancelled"} {
			if n := c.notified(t, daeng, kind); n != 0 {
				t.Errorf("someone who left the room was told %s %d times", kind, n)
			}
		}
		if n := c.notified(t, nur, "meeting.soon"); n != 1 {
			t.Errorf("the organizer, still a member, was reminded %d times", n)
		}
	})
}

func TestTheInviteFormDoesNotTellWhichEmailsHaveAccounts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newCity(t, d)
		start := tomorrow()
		keys := map[string]string{}
		for _, email := range []string{"tidak.ada@makassarkota.go.id", other} {
			_, err := c.svc().Schedule(context.Background(), c.organizer, c.space, meetings.Input{Title: "Rapat",
				StartsAt: start, EndsAt: start.Add(time.Hour), Link: "https://meet.jit.si/x", Invite: []string{email}})
			f := fieldOf(err, "invite")
			if f == nil {
				t.Fatalf("inviting %s: %v", email, err)
			}
			keys[email] = f.Key
		}
		if keys["tidak.ada@makassarkota.go.id"] != keys[other] {
			t.Errorf("an unknown email and someone who cannot read the room get different answers: %v", keys)
		}
	})
}

// TestAMeetingCancelledTwiceAtOnceIsCancelledOnce: changes take turns on a
// meeting, so a cancellation that comes while another is being made waits
// for it and finds the meeting cancelled: the invitee hears of it once and
// calendars see one new sequence.
func TestAMeetingCancelledTwiceAtOnceIsCancelledOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newCity(t, d)
		ctx := context.Background()
		start := tomorrow()
		m, err := c.svc().Schedule(ctx, c.organizer, c.space, meetings.Input{Title: "Rapat SIPD", StartsAt: start,
			EndsAt: start.Add(time.Hour), Link: "https://zoom.us/j/123", Invite: []string{daeng}})
		if err != nil {
			t.Fatal(err)
		}
		// Another cancellation, its row changed and not yet committed.
		err = dbtest.Behind(t, d, []string{"meetings"}, func(tx *sql.Tx) error {
			_, err := tx.Exec(`UPDATE meetings SET cancelled_at = $1, sequence = sequence + 1 WHERE id = $2`, time.Now().UTC(), m.ID)
			return err
		}, func() error { return c.svc().Cancel(ctx, c.organizer, m.ID) })
		if !errs.Is(err, errs.Conflict) {
			t.Errorf("a cancellation behind another: %v, want a conflict", err)
		}
		var seq int
		if err := d.R.QueryRow(`SELECT sequence FROM meetings WHERE id = $1`, m.ID).Scan(&seq); err != nil {
			t.Fatal(err)
		}
		if told := c.notified(t, daeng, "meeting.cancelled"); told != 0 || seq != m.Sequence+1 {
			t.Errorf("the invitee was told %d times by the second, sequence %d after %d; want 0 and one more",
				told, seq, m.Sequence)
		}
	})
}
