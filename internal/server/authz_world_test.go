package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/discuss"
	"github.com/lontara-id/lontara/internal/outbox"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// The world of the authorization matrix: two agencies, the own one (where
// every actor works and holds their role) and the other, each with the
// same objects, so that a case differs between the sides only in whose
// object it names.

// authzActor is one signed-in role: a person of the own agency holding
// role there (or city-wide), with an API token.
type authzActor struct {
	role              policy.Role
	email, token      string
	account, employee int64
}

func (a *authzActor) name() string {
	if a == nil {
		return "anonymous"
	}
	return string(a.role)
}

// authzSide is one agency and its objects. A colleague is a plain employee
// with an account, the person most objects are about.
type authzSide struct {
	name, code              string
	agency                  int64
	colleague, colleagueAcc int64
	colleagueToken          string
	trainerAcc              int64 // a trainer placed there, mentoring the colleague
	app                     int64
	ticket                  string
	attachment              int64
	activity, event         int64 // an agency event with the colleague enrolled
	enrolment, session      int64
	cert                    string // the colleague's certificate of a finished event
	finished                int64  // that event
	external                int64  // a record of the colleague's outside learning
	announcement            int64
	regulation, review      int64
	followUp, idea, lesson  int64
	target, path, mentoring int64
	requirement, space      int64
	thread, meeting         int64
	selfStudy               int64 // a self-study activity open to the agency
	notification            int64 // the colleague's notification
}

// authzWorld is everything the cases name.
type authzWorld struct {
	t      *testing.T
	h      *servertest.Harness
	sides  []*authzSide // own, other
	actors map[policy.Role]*authzActor
	super  *authzActor
	seq    atomic.Int64
	// City-wide objects.
	team, problem, competency, framework, campaign, instrument, outbox, shift, rule int64
	canned, article                                                                 int64
}

// next returns a number no other call returned, for unique names.
func (w *authzWorld) next() int64 { return w.seq.Add(1) }

func buildAuthzWorld(t *testing.T, h *servertest.Harness) *authzWorld {
	t.Helper()
	w := &authzWorld{t: t, h: h, actors: map[policy.Role]*authzActor{}}
	own := &authzSide{name: "own", code: "DISKES"}
	other := &authzSide{name: "other", code: "DISDIK"}
	w.sides = []*authzSide{own, other}
	own.agency = h.Agency(t, own.code, "Dinas Kesehatan", "dinas").ID
	other.agency = h.Agency(t, other.code, "Dinas Pendidikan", "dinas").ID
	for _, role := range policy.Roles {
		email := string(role) + "@diskes.test"
		h.User(t, email, "Pegawai "+string(role), role, own.code)
		a := &authzActor{role: role, email: email, token: h.Token(t, email), account: h.AccountID(t, email)}
		w.employeeOf(a)
		w.actors[role] = a
	}
	w.super = w.actors[policy.Superadmin]
	for _, s := range w.sides {
		w.furnish(s)
	}
	w.city()
	return w
}

func (w *authzWorld) employeeOf(a *authzActor) {
	if err := w.h.DB.W.QueryRow(`SELECT employee_id FROM accounts WHERE id = $1`, a.account).Scan(&a.employee); err != nil {
		w.t.Fatal(err)
	}
}

// as sends a request as the superadmin and fails the test unless it
// succeeds; it returns the decoded answer.
func (w *authzWorld) as(method, path string, body any) map[string]any {
	w.t.Helper()
	ct, header := "", http.Header(nil)
	if method == "PATCH" {
		ct, header = "application/merge-patch+json", ifMatchAny
	}
	r := w.h.DoWith(w.t, header, method, path, w.super.token, body, ct)
	if r.Status >= 300 {
		w.t.Fatalf("authz world: %s %s: %d %s", method, path, r.Status, r.Body)
	}
	var v map[string]any
	if len(r.Body) > 0 && strings.Contains(r.Header.Get("Content-Type"), "json") {
		_ = json.Unmarshal(r.Body, &v)
	}
	return v
}

// create posts body to path as the superadmin and returns the new id.
func (w *authzWorld) create(path string, body any) int64 {
	w.t.Helper()
	return memberID(w.t, w.as("POST", path, body), "id")
}

// memberString returns the text member of a decoded answer.
func memberString(t *testing.T, v map[string]any, member string) string {
	t.Helper()
	s, ok := v[member].(string)
	if !ok {
		t.Fatalf("authz world: no %s in %v", member, v)
	}
	return s
}

func memberID(t *testing.T, v map[string]any, member string) int64 {
	t.Helper()
	f, ok := v[member].(float64)
	if !ok {
		t.Fatalf("authz world: no %s in %v", member, v)
	}
	return int64(f)
}

func (w *authzWorld) exec(query string, args ...any) {
	w.t.Helper()
	if _, err := w.h.DB.W.Exec(query, args...); err != nil {
		w.t.Fatalf("authz world: %s: %v", query, err)
	}
}

func (w *authzWorld) insertID(query string, args ...any) int64 {
	w.t.Helper()
	id, err := db.InsertID(context.Background(), w.h.DB.W, query, args...)
	if err != nil {
		w.t.Fatalf("authz world: %s: %v", query, err)
	}
	return id
}

var (
	authzSoon  = time.Now().UTC().Add(72 * time.Hour).Truncate(time.Hour)
	authzToday = time.Now().UTC().Add(30 * time.Minute).Truncate(time.Minute)
	authzYear  = time.Now().Format("2006")
)

func rfc(t time.Time) string { return t.Format(time.RFC3339) }

// furnish gives the side its objects.
func (w *authzWorld) furnish(s *authzSide) {
	t, h := w.t, w.h
	email := "rekan@" + strings.ToLower(s.code) + ".test"
	h.User(t, email, "Rekan "+s.code, policy.Employee, s.code)
	s.colleagueAcc = h.AccountID(t, email)
	colleague := &authzActor{account: s.colleagueAcc}
	w.employeeOf(colleague)
	s.colleague = colleague.employee
	s.colleagueToken = h.Token(t, email)
	s.notification = w.notification(s.colleagueAcc)
	trainer := "pelatih@" + strings.ToLower(s.code) + ".test"
	h.User(t, trainer, "Pelatih "+s.code, policy.Trainer, s.code)
	s.trainerAcc = h.AccountID(t, trainer)

	s.app = w.newApp(s)
	s.ticket, s.attachment = w.newTicket(s)
	w.as("POST", "/api/v1/tickets/"+s.ticket+"/lapor", map[string]any{"tracking_id": fmt.Sprint(3516700 + w.next())})
	s.activity = w.create("/api/v1/activities", map[string]any{"kind": "bimtek", "title": "Bimtek " + s.code, "jp": 8,
		"agency_id": s.agency})
	s.event = w.newEvent(s)
	s.enrolment = w.enrol(s.event, s.colleague)
	s.session = w.newSession(s.event)
	s.cert, s.finished = w.newCertificate(s)
	s.external = w.newExternal(s)
	s.announcement = w.create("/api/v1/announcements", map[string]any{"title": "Pengumuman " + s.code, "body": "Isi",
		"agency_ids": []int64{s.agency}})
	s.regulation = w.newRegulation(s)
	s.review = w.newReview(s)
	s.followUp = w.create(fmt.Sprintf("/api/v1/reviews/%d/follow-ups", s.review), map[string]any{
		"action": "Latih operator", "assignee_id": s.colleague, "due_on": authzYear + "-12-31"})
	s.idea = w.newIdea(s)
	s.lesson = w.newLesson(s)
	s.target = w.newTarget(s)
	s.path = w.newPath(s)
	s.mentoring = w.newMentoring(s)
	s.requirement = w.newRequirement(s)
	s.selfStudy = w.create("/api/v1/activities", map[string]any{"kind": "self_study", "title": "Belajar mandiri " + s.code,
		"jp": 2, "agency_id": s.agency, "link": "https://belajar.example/simpeg"})
	s.space = w.newSpace(s)
	v := w.as("POST", fmt.Sprintf("/api/v1/spaces/%d/threads", s.space), map[string]any{"title": "Tanya " + s.code,
		"body": "Bagaimana?", "question": true})
	s.thread = memberID(t, v, "id")
	s.meeting = w.newMeeting(s)
}

// city makes the objects that belong to no agency.
func (w *authzWorld) city() {
	w.team = w.newTeam()
	w.article = w.create("/api/v1/articles", map[string]any{"title": "Cara masuk SIMPEG", "body": "Buka halaman masuk."})
	w.problem = w.create("/api/v1/problems", map[string]any{"title": "SIMPEG lambat"})
	w.framework = w.create("/api/v1/competency-frameworks", map[string]any{"code": "uji", "name": "Kerangka uji"})
	w.competency = w.newCompetency()
	w.instrument = w.newInstrument()
	w.campaign = dbtest.LOCampaign(w.t, w.h.DB, "2026-Q2", time.Now().Add(-time.Hour),
		map[int64][]int{w.sides[0].agency: {5, 4, 6, 5, 5}, w.sides[1].agency: {3, 4, 2, 5, 5}})
	w.outbox = w.newOutbox()
	w.canned = w.newCanned()
	w.shift = w.newShift()
	w.rule = w.newRule()
}

func (w *authzWorld) newApp(s *authzSide) int64 {
	n := w.next()
	return w.create("/api/v1/apps", map[string]any{"name": fmt.Sprintf("Aplikasi %s %d", s.code, n),
		"slug": fmt.Sprintf("app-%s-%d", strings.ToLower(s.code), n), "owner_agency_id": s.agency, "status": "active"})
}

// newTicket files a ticket for the side's colleague, with an attachment,
// and returns its number and the attachment's id.
func (w *authzWorld) newTicket(s *authzSide) (string, int64) {
	w.t.Helper()
	number := w.fileTicket(s.colleagueToken, s)
	return number, w.attach(s, number)
}

// fileTicket files a ticket about the side's application as the holder of
// token and returns its number.
func (w *authzWorld) fileTicket(token string, s *authzSide) string {
	w.t.Helper()
	r := w.h.Do(w.t, "POST", "/api/v1/tickets", token, map[string]any{
		"subject": fmt.Sprintf("Tidak bisa masuk %d", w.next()), "category": "application", "app_id": s.app,
		"body": "Galat 502"}, "")
	if r.Status != http.StatusCreated {
		w.t.Fatalf("authz world: ticket: %d %s", r.Status, r.Body)
	}
	var v map[string]any
	r.JSON(w.t, &v)
	return memberString(w.t, v, "number")
}

// attach uploads a small file to a ticket as its reporter.
func (w *authzWorld) attach(s *authzSide, number string) int64 {
	w.t.Helper()
	body, ct := multipartFile("file", "catatan.txt", "galat 502\n")
	r := w.h.Do(w.t, "POST", "/api/v1/tickets/"+number+"/attachments", s.colleagueToken, body, ct)
	if r.Status != http.StatusCreated {
		w.t.Fatalf("authz world: attachment: %d %s", r.Status, r.Body)
	}
	var v map[string]any
	r.JSON(w.t, &v)
	return memberID(w.t, v, "id")
}

// newEvent makes an event of the side starting in half an hour, so that
// its sittings take check-ins already.
func (w *authzWorld) newEvent(s *authzSide) int64 {
	return w.create("/api/v1/events", map[string]any{"kind": "bimtek", "title": fmt.Sprintf("Bimtek %s %d", s.code, w.next()),
		"starts_at": rfc(authzToday), "ends_at": rfc(authzToday.Add(8 * time.Hour)), "capacity": 50, "jp": 8,
		"agency_id": s.agency, "activity_id": s.activity})
}

func (w *authzWorld) enrol(event, employee int64) int64 {
	return w.create(fmt.Sprintf("/api/v1/events/%d/enrolments", event), map[string]any{"employee_id": employee})
}

func (w *authzWorld) newSession(event int64) int64 {
	return w.create(fmt.Sprintf("/api/v1/events/%d/sessions", event), map[string]any{
		"starts_at": rfc(authzToday), "ends_at": rfc(authzToday.Add(4 * time.Hour)), "place": "Aula"})
}

// newCertificate finishes an event of the side that the colleague
// completed and returns the code of their certificate and the event.
func (w *authzWorld) newCertificate(s *authzSide) (string, int64) {
	w.t.Helper()
	event := dbtest.Event(w.t, w.h.DB, fmt.Sprintf("Bimtek selesai %s %d", s.code, w.next()), 20, 8)
	w.exec(`UPDATE events SET agency_id = $1, finished_at = $2 WHERE id = $3`, s.agency, time.Now().UTC(), event)
	dbtest.Enrolment(w.t, w.h.DB, event, s.colleague, "completed")
	w.as("POST", fmt.Sprintf("/api/v1/events/%d/certificates", event), nil)
	var code string
	if err := w.h.DB.W.QueryRow(`SELECT code FROM certificates WHERE event_id = $1`, event).Scan(&code); err != nil {
		w.t.Fatal(err)
	}
	return code, event
}

func (w *authzWorld) newExternal(s *authzSide) int64 {
	return w.create(fmt.Sprintf("/api/v1/employees/%d/jp", s.colleague), externalBody(w.next()))
}

func externalBody(n int64) map[string]any {
	return map[string]any{"kind": "course", "title": fmt.Sprintf("Kursus daring %d", n), "provider": "BPSDM", "jp": 4,
		"completed_on": time.Now().AddDate(0, 0, -3).Format("2006-01-02"), "evidence": "sertifikat no. 12"}
}

func (w *authzWorld) newRegulation(s *authzSide) int64 {
	return w.create("/api/v1/regulations", regulationBody(s.agency, w.next()))
}

func regulationBody(agency, n int64) map[string]any {
	return map[string]any{"agency_id": agency, "kind": "sk", "number": fmt.Sprintf("%d/2026", n), "title": "Tim belajar",
		"signed_on": "2026-01-05", "in_force_from": "2026-01-05"}
}

func (w *authzWorld) newReview(s *authzSide) int64 {
	return w.create("/api/v1/reviews", map[string]any{"agency_id": s.agency, "period": fmt.Sprintf("%s-Q%d", authzYear, 1+w.next()%4),
		"title": fmt.Sprintf("Monev %d", w.next())})
}

func (w *authzWorld) newIdea(s *authzSide) int64 { return w.newIdeaBy(s.colleagueToken, s) }

// newIdeaBy sends an idea about a procedure of the side as the holder of
// token.
func (w *authzWorld) newIdeaBy(token string, s *authzSide) int64 {
	w.t.Helper()
	r := w.h.Do(w.t, "POST", "/api/v1/ideas", token, map[string]any{"title": fmt.Sprintf("Ekspor Excel %d", w.next()),
		"body": "Tolong", "agency_id": s.agency, "procedure": "Cuti daring"}, "")
	if r.Status != http.StatusCreated {
		w.t.Fatalf("authz world: idea: %d %s", r.Status, r.Body)
	}
	var v map[string]any
	r.JSON(w.t, &v)
	return memberID(w.t, v, "id")
}

func (w *authzWorld) newLesson(s *authzSide) int64 {
	return w.create("/api/v1/lessons", lessonBody(s.agency, w.next()))
}

func lessonBody(agency, n int64) map[string]any {
	return map[string]any{"kind": "incident", "title": fmt.Sprintf("Server padam %d", n), "agency_id": agency,
		"happened": "Sertifikat kedaluwarsa.", "expected": "Tetap jalan.", "learned": "Pantau.", "changes": "Alarm."}
}

func (w *authzWorld) newTarget(s *authzSide) int64 {
	return w.create("/api/v1/targets", targetBody(s.agency, w.next()))
}

func targetBody(agency, n int64) map[string]any {
	return map[string]any{"agency_id": agency, "period": fmt.Sprintf("%d-Q%d", 2027+n/4%60, 1+n%4), "metric": "jp_per_employee",
		"goal": 20, "note": "Target"}
}

func (w *authzWorld) newPath(s *authzSide) int64 {
	return w.create("/api/v1/paths", map[string]any{"title": fmt.Sprintf("Jalur %s %d", s.code, w.next()),
		"agency_id": s.agency, "open": true, "activity_ids": []int64{s.activity}})
}

func (w *authzWorld) newMentoring(s *authzSide) int64 {
	return w.create("/api/v1/mentoring", map[string]any{"agency_id": s.agency, "mentor_account_id": s.trainerAcc,
		"employee_id": s.colleague, "goal": "Mahir SIMPEG"})
}

func (w *authzWorld) newRequirement(s *authzSide) int64 {
	w.t.Helper()
	var comp int64
	if err := w.h.DB.W.QueryRow(`SELECT coalesce(min(id), 0) FROM competencies`).Scan(&comp); err != nil {
		w.t.Fatal(err)
	}
	if comp == 0 {
		comp = dbtest.Competency(w.t, w.h.DB, "simpeg", "SIMPEG")
	}
	return w.create("/api/v1/requirements", map[string]any{"competency_id": comp, "level": 2, "agency_id": s.agency,
		"app_id": s.app})
}

// newSpace makes the side's agency space (through the service: the API
// has no write for spaces).
func (w *authzWorld) newSpace(s *authzSide) int64 {
	w.t.Helper()
	sp, err := w.h.Svc.Discuss.CreateSpace(context.Background(), policy.SystemActor("test"),
		discuss.SpaceInput{Name: "Ruang " + s.code, Level: policy.SpaceAgency, AgencyID: s.agency})
	if err != nil {
		w.t.Fatal(err)
	}
	return sp.ID
}

func (w *authzWorld) newMeeting(s *authzSide) int64 {
	return w.create(fmt.Sprintf("/api/v1/spaces/%d/meetings", s.space), meetingBody(w.next()))
}

func meetingBody(n int64) map[string]any {
	return map[string]any{"title": fmt.Sprintf("Rapat %d", n), "starts_at": rfc(authzSoon), "ends_at": rfc(authzSoon.Add(time.Hour)),
		"link": "https://meet.jit.si/rapat", "agenda": "Bahas", "all_members": false, "invite": []int64{}}
}

func (w *authzWorld) newTeam() int64 {
	n := w.next()
	return w.create("/api/v1/teams", map[string]any{"code": fmt.Sprintf("tim%d", n), "name": fmt.Sprintf("Tim %d", n)})
}

func (w *authzWorld) newCompetency() int64 {
	n := w.next()
	return w.create("/api/v1/competencies", map[string]any{"framework_id": w.framework, "code": fmt.Sprintf("komp%d", n),
		"name": fmt.Sprintf("Kompetensi %d", n), "levels": []string{"Mengenal", "Menggunakan", "Mandiri", "Mengajarkan"}})
}

func (w *authzWorld) newInstrument() int64 {
	n := w.next()
	return w.create("/api/v1/survey-instruments", map[string]any{"code": fmt.Sprintf("ins%d", n), "title": "Survei",
		"description": "Uji", "scale_min": 1, "scale_max": 6, "items": []map[string]any{{"text_id": "Saya belajar", "dimension": "continuous"}}})
}

func (w *authzWorld) newOutbox() int64 {
	w.t.Helper()
	if err := outbox.Enqueue(context.Background(), w.h.DB.W, outbox.Message{Channel: outbox.SMS, Address: "+6281234567890",
		Kind: "page", Body: "Tiket mendesak"}); err != nil {
		w.t.Fatal(err)
	}
	var id int64
	if err := w.h.DB.W.QueryRow(`SELECT max(id) FROM outbox`).Scan(&id); err != nil {
		w.t.Fatal(err)
	}
	// Dead, so that retrying it is something to do.
	w.exec(`UPDATE outbox SET status = 'dead' WHERE id = $1`, id)
	return id
}

func (w *authzWorld) newCanned() int64 {
	return w.create(fmt.Sprintf("/api/v1/teams/%d/canned-replies", w.team), map[string]any{
		"title": fmt.Sprintf("Salam %d", w.next()), "body": "Terima kasih"})
}

func (w *authzWorld) newShift() int64 {
	agent := w.actors[policy.Agent].account
	w.as("PUT", fmt.Sprintf("/api/v1/teams/%d/members/%d", w.team, agent), map[string]any{"lead": false})
	n := time.Duration(w.next())
	return w.create(fmt.Sprintf("/api/v1/teams/%d/shifts", w.team), map[string]any{"account_id": agent,
		"starts_at": rfc(authzSoon.Add(n * 24 * time.Hour)), "ends_at": rfc(authzSoon.Add(n*24*time.Hour + 8*time.Hour))})
}

func (w *authzWorld) newRule() int64 {
	return w.create("/api/v1/routing-rules", map[string]any{"team_id": w.team, "category": "application",
		"agency_id": w.sides[w.next()%2].agency})
}

// newToken makes an API token for account and returns its id.
func (w *authzWorld) newToken(account int64) int64 {
	w.t.Helper()
	_, tok, err := w.h.Svc.Auth.CreateToken(context.Background(), policy.SystemActor("test"), account, "uji", nil)
	if err != nil {
		w.t.Fatal(err)
	}
	return tok.ID
}

// expertAcc is the account of the expert, whom the team cases add to teams.
func (w *authzWorld) expertAcc() int64 { return w.actors[policy.Expert].account }

// campaignBody is a new draft campaign of the LO instrument over the side.
func (w *authzWorld) campaignBody(s *authzSide) map[string]any {
	w.t.Helper()
	var instrument int64
	if err := w.h.DB.W.QueryRow(`SELECT instrument_id FROM survey_campaigns WHERE id = $1`, w.campaign).Scan(&instrument); err != nil {
		w.t.Fatal(err)
	}
	today := time.Now()
	return map[string]any{"instrument_id": instrument, "title": fmt.Sprintf("Survei %d", w.next()), "period": authzYear,
		"agency_ids": []int64{s.agency}, "opens_on": today.Format("2006-01-02"), "closes_on": today.AddDate(0, 1, 0).Format("2006-01-02")}
}

// surveyToken gives the colleague's invitation to an open campaign a
// token the test knows (the real one went out in a notification) and
// returns it.
func (w *authzWorld) surveyToken(campaign int64, s *authzSide) string {
	token := fmt.Sprintf("token-uji-%d", w.next())
	sum := sha256.Sum256([]byte(token))
	w.exec(`UPDATE survey_invitations SET token_hash = $1 WHERE campaign_id = $2 AND employee_id = $3`,
		hex.EncodeToString(sum[:]), campaign, s.colleague)
	return token
}

// surveyAnswers answers every item of the campaign's instrument with 5.
func (w *authzWorld) surveyAnswers(campaign int64) []map[string]any {
	w.t.Helper()
	rows, err := w.h.DB.W.Query(`SELECT i.id FROM survey_items i JOIN survey_campaigns c ON c.instrument_id = i.instrument_id
		WHERE c.id = $1 ORDER BY i.position`, campaign)
	if err != nil {
		w.t.Fatal(err)
	}
	defer rows.Close()
	var out []map[string]any
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			w.t.Fatal(err)
		}
		out = append(out, map[string]any{"item_id": id, "value": 5})
	}
	return out
}

// notification puts an unread notification in account's inbox.
func (w *authzWorld) notification(account int64) int64 {
	return w.insertID(`INSERT INTO notifications (account_id, kind, args, link, created_at)
		VALUES ($1, 'announcement', '[]', '/', $2) RETURNING id`, account, time.Now().UTC())
}

// multipartFile is a multipart/form-data body with one file in part field.
func multipartFile(field, name, content string) ([]byte, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile(field, name)
	_, _ = fw.Write([]byte(content))
	_ = mw.Close()
	return buf.Bytes(), mw.FormDataContentType()
}
