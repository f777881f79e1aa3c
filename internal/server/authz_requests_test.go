package server_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// authzProbe is one case being built: who asks (me, nil for no one) and on
// which side (the agency whose objects the request names).
type authzProbe struct {
	t    *testing.T
	h    *servertest.Harness
	w    *authzWorld
	me   *authzActor
	side *authzSide
}

// opposite is the side the probe is not on.
func (p *authzProbe) opposite() *authzSide {
	if p.side == p.w.sides[0] {
		return p.w.sides[1]
	}
	return p.w.sides[0]
}

// mine reports whether the case is about the actor's own things (their
// notifications, their tokens): on the own side, when someone asks.
func (p *authzProbe) mine() bool { return p.me != nil && p.side == p.w.sides[0] }

func at(format string, args ...any) authzCall { return authzCall{path: fmt.Sprintf(format, args...)} }

func with(body any, format string, args ...any) authzCall {
	return authzCall{path: fmt.Sprintf(format, args...), body: body}
}

func patch(body any, format string, args ...any) authzCall {
	return authzCall{path: fmt.Sprintf(format, args...), body: body, contentType: "application/merge-patch+json"}
}

// newEmployee adds a person without an account to the side.
func (p *authzProbe) newEmployee() int64 {
	n := p.w.next()
	return p.w.create("/api/v1/employees", map[string]any{"agency_id": p.side.agency, "name": fmt.Sprintf("Pegawai Baru %d", n),
		"employment_type": "contract", "email": fmt.Sprintf("baru%d@%s.test", n, p.side.code)})
}

// finishedEvent makes a finished event of the side that employee completed.
func (p *authzProbe) finishedEvent(employee int64) int64 {
	event := dbtest.Event(p.t, p.h.DB, fmt.Sprintf("Bimtek lalu %d", p.w.next()), 20, 8)
	past := time.Now().UTC().Add(-48 * time.Hour)
	p.w.exec(`UPDATE events SET agency_id = $1, starts_at = $2, ends_at = $3, finished_at = $4 WHERE id = $5`,
		p.side.agency, past, past.Add(8*time.Hour), time.Now().UTC(), event)
	if employee != 0 {
		dbtest.Enrolment(p.t, p.h.DB, event, employee, "completed")
	}
	return event
}

// resolvedTicket files a ticket that the help desk answered and resolved,
// reported by the asker on the own side, by the side's colleague otherwise.
func (p *authzProbe) resolvedTicket() string {
	reporter := p.side.colleagueToken
	if p.mine() {
		reporter = p.me.token
	}
	return p.resolve(p.w.fileTicket(reporter, p.side))
}

// resolve answers and resolves a ticket as the help desk.
func (p *authzProbe) resolve(number string) string {
	p.w.as("POST", "/api/v1/tickets/"+number+"/replies", map[string]any{"body": "Sudah kami perbaiki."})
	p.w.as("PATCH", "/api/v1/tickets/"+number, map[string]any{"status": "resolved"})
	return number
}

var ifMatchAny = http.Header{"If-Match": {"*"}}

// authzRequests builds, for every documented endpoint, the request of one
// case. Reads name the side's standing objects; writes that change or
// remove an object act on a fresh one, so no case disturbs another.
var authzRequests = map[string]func(p *authzProbe) authzCall{
	"GET /api/v1/accounts":   func(p *authzProbe) authzCall { return at("/api/v1/accounts") },
	"GET /api/v1/activities": func(p *authzProbe) authzCall { return at("/api/v1/activities") },
	"POST /api/v1/activities": func(p *authzProbe) authzCall {
		return with(map[string]any{"kind": "bimtek", "title": fmt.Sprintf("Bimtek %d", p.w.next()), "jp": 4,
			"agency_id": p.side.agency}, "/api/v1/activities")
	},
	"GET /api/v1/activities/{id}": func(p *authzProbe) authzCall { return at("/api/v1/activities/%d", p.side.activity) },
	"GET /api/v1/agencies":        func(p *authzProbe) authzCall { return at("/api/v1/agencies") },
	"POST /api/v1/agencies": func(p *authzProbe) authzCall {
		n := p.w.next()
		return with(map[string]any{"code": fmt.Sprintf("KEC%d", n), "name": fmt.Sprintf("Kecamatan %d", n), "type": "kecamatan",
			"parent_id": p.side.agency}, "/api/v1/agencies")
	},
	"GET /api/v1/agencies/{id}": func(p *authzProbe) authzCall { return at("/api/v1/agencies/%d", p.side.agency) },
	"PATCH /api/v1/agencies/{id}": func(p *authzProbe) authzCall {
		return patch(map[string]any{"type": "dinas"}, "/api/v1/agencies/%d", p.side.agency)
	},
	"GET /api/v1/agencies/{id}/gaps":        func(p *authzProbe) authzCall { return at("/api/v1/agencies/%d/gaps", p.side.agency) },
	"GET /api/v1/agencies/{id}/gaps/people": func(p *authzProbe) authzCall { return at("/api/v1/agencies/%d/gaps/people", p.side.agency) },
	"GET /api/v1/agencies/{id}/units":       func(p *authzProbe) authzCall { return at("/api/v1/agencies/%d/units", p.side.agency) },
	"GET /api/v1/announcements":             func(p *authzProbe) authzCall { return at("/api/v1/announcements") },
	"POST /api/v1/announcements": func(p *authzProbe) authzCall {
		return with(map[string]any{"title": "Rapat", "body": "Hadir", "agency_ids": []int64{p.side.agency}}, "/api/v1/announcements")
	},
	"GET /api/v1/announcements/{id}": func(p *authzProbe) authzCall {
		return at("/api/v1/announcements/%d", p.side.announcement)
	},
	"POST /api/v1/announcements/{id}/read": func(p *authzProbe) authzCall {
		return at("/api/v1/announcements/%d/read", p.side.announcement)
	},
	"GET /api/v1/approvals": func(p *authzProbe) authzCall { return at("/api/v1/approvals") },
	"GET /api/v1/apps":      func(p *authzProbe) authzCall { return at("/api/v1/apps") },
	"POST /api/v1/apps": func(p *authzProbe) authzCall {
		n := p.w.next()
		return with(map[string]any{"name": fmt.Sprintf("Aplikasi %d", n), "slug": fmt.Sprintf("aplikasi-%d", n),
			"owner_agency_id": p.side.agency, "status": "active"}, "/api/v1/apps")
	},
	"GET /api/v1/apps/{id}": func(p *authzProbe) authzCall { return at("/api/v1/apps/%d", p.side.app) },
	"PATCH /api/v1/apps/{id}": func(p *authzProbe) authzCall {
		return patch(map[string]any{"description": "Diperbarui"}, "/api/v1/apps/%d", p.side.app)
	},
	"PUT /api/v1/apps/{id}/agencies": func(p *authzProbe) authzCall {
		return with(map[string]any{"agency_ids": []int64{p.side.agency}}, "/api/v1/apps/%d/agencies", p.side.app)
	},
	"POST /api/v1/apps/{id}/operators": func(p *authzProbe) authzCall {
		return with(map[string]any{"account_id": p.side.colleagueAcc, "agency_id": p.side.agency},
			"/api/v1/apps/%d/operators", p.w.newApp(p.side))
	},
	"DELETE /api/v1/apps/{id}/operators/{account_id}": func(p *authzProbe) authzCall {
		app := p.w.newApp(p.side)
		p.w.as("POST", fmt.Sprintf("/api/v1/apps/%d/operators", app), map[string]any{"account_id": p.side.colleagueAcc,
			"agency_id": p.side.agency})
		return at("/api/v1/apps/%d/operators/%d", app, p.side.colleagueAcc)
	},
	"GET /api/v1/article-categories": func(p *authzProbe) authzCall { return at("/api/v1/article-categories") },
	"GET /api/v1/articles":           func(p *authzProbe) authzCall { return at("/api/v1/articles") },
	"POST /api/v1/articles": func(p *authzProbe) authzCall {
		return with(map[string]any{"title": fmt.Sprintf("Cara masuk %d", p.w.next()), "body": "Buka halaman."}, "/api/v1/articles")
	},
	"GET /api/v1/articles/{id}": func(p *authzProbe) authzCall { return at("/api/v1/articles/%d", p.w.article) },
	"PATCH /api/v1/articles/{id}": func(p *authzProbe) authzCall {
		c := patch(map[string]any{"body": fmt.Sprintf("Buka halaman %d.", p.w.next())}, "/api/v1/articles/%d", p.w.article)
		c.header = ifMatchAny
		return c
	},
	"GET /api/v1/articles/{id}/revisions": func(p *authzProbe) authzCall { return at("/api/v1/articles/%d/revisions", p.w.article) },
	"GET /api/v1/attachments/{attachment_id}": func(p *authzProbe) authzCall {
		return at("/api/v1/attachments/%d", p.side.attachment)
	},
	"GET /api/v1/attachments/{attachment_id}/content": func(p *authzProbe) authzCall {
		return at("/api/v1/attachments/%d/content", p.side.attachment)
	},
	"GET /api/v1/audit":   func(p *authzProbe) authzCall { return at("/api/v1/audit") },
	"GET /api/v1/callers": func(p *authzProbe) authzCall { return at("/api/v1/callers?phone=081234567890") },
	"DELETE /api/v1/canned-replies/{id}": func(p *authzProbe) authzCall {
		return at("/api/v1/canned-replies/%d", p.w.newCanned())
	},
	"PUT /api/v1/canned-replies/{id}": func(p *authzProbe) authzCall {
		return with(map[string]any{"title": fmt.Sprintf("Salam %d", p.w.next()), "body": "Terima kasih"}, "/api/v1/canned-replies/%d", p.w.canned)
	},
	"GET /api/v1/certificates":        func(p *authzProbe) authzCall { return at("/api/v1/certificates") },
	"GET /api/v1/certificates/{code}": func(p *authzProbe) authzCall { return at("/api/v1/certificates/%s", p.side.cert) },
	"POST /api/v1/certificates/{code}/revoke": func(p *authzProbe) authzCall {
		return with(map[string]any{"reason": "Salah nama"}, "/api/v1/certificates/%s/revoke", p.newCertificate())
	},
	"POST /api/v1/checkin": func(p *authzProbe) authzCall {
		// A sitting of the side's event starting soon, with the asker
		// enrolled on the own side (the other's events are for its staff).
		event := p.w.newEvent(p.side)
		session := p.w.newSession(event)
		if p.mine() {
			p.w.enrol(event, p.me.employee)
		}
		v := p.w.as("POST", fmt.Sprintf("/api/v1/sessions/%d/codes", session), map[string]any{"minutes": 30})
		return with(map[string]any{"code": v["code"]}, "/api/v1/checkin")
	},
	"GET /api/v1/competencies": func(p *authzProbe) authzCall { return at("/api/v1/competencies") },
	"POST /api/v1/competencies": func(p *authzProbe) authzCall {
		n := p.w.next()
		return with(map[string]any{"framework_id": p.w.framework, "code": fmt.Sprintf("k%d", n), "name": fmt.Sprintf("Kompetensi %d", n),
			"levels": []string{"Mengenal", "Menggunakan", "Mandiri", "Mengajarkan"}}, "/api/v1/competencies")
	},
	"GET /api/v1/competencies/{id}": func(p *authzProbe) authzCall { return at("/api/v1/competencies/%d", p.w.competency) },
	"PATCH /api/v1/competencies/{id}": func(p *authzProbe) authzCall {
		return patch(map[string]any{"description": fmt.Sprintf("Versi %d", p.w.next())}, "/api/v1/competencies/%d", p.w.competency)
	},
	"GET /api/v1/competencies/{id}/revisions": func(p *authzProbe) authzCall {
		return at("/api/v1/competencies/%d/revisions", p.w.competency)
	},
	"GET /api/v1/competencies/{id}/revisions/{version}": func(p *authzProbe) authzCall {
		return at("/api/v1/competencies/%d/revisions/1", p.w.competency)
	},
	"GET /api/v1/competency-frameworks": func(p *authzProbe) authzCall { return at("/api/v1/competency-frameworks") },
	"POST /api/v1/competency-frameworks": func(p *authzProbe) authzCall {
		n := p.w.next()
		return with(map[string]any{"code": fmt.Sprintf("kr%d", n), "name": fmt.Sprintf("Kerangka %d", n)}, "/api/v1/competency-frameworks")
	},
	"PATCH /api/v1/competency-frameworks/{id}": func(p *authzProbe) authzCall {
		return patch(map[string]any{"description": fmt.Sprintf("Versi %d", p.w.next())}, "/api/v1/competency-frameworks/%d", p.w.framework)
	},
	"GET /api/v1/competency-frameworks/{id}/revisions": func(p *authzProbe) authzCall {
		return at("/api/v1/competency-frameworks/%d/revisions", p.w.framework)
	},
	"GET /api/v1/competency-requests": func(p *authzProbe) authzCall { return at("/api/v1/competency-requests") },
	"GET /api/v1/employees":           func(p *authzProbe) authzCall { return at("/api/v1/employees") },
	"POST /api/v1/employees": func(p *authzProbe) authzCall {
		n := p.w.next()
		return with(map[string]any{"agency_id": p.side.agency, "name": fmt.Sprintf("Pegawai %d", n), "employment_type": "contract",
			"email": fmt.Sprintf("pegawai%d@%s.test", n, p.side.code)}, "/api/v1/employees")
	},
	"GET /api/v1/employees/{id}": func(p *authzProbe) authzCall { return at("/api/v1/employees/%d", p.side.colleague) },
	"PATCH /api/v1/employees/{id}": func(p *authzProbe) authzCall {
		return patch(map[string]any{"position_name": "Staf"}, "/api/v1/employees/%d", p.side.colleague)
	},
	"GET /api/v1/employees/{id}/assessments": func(p *authzProbe) authzCall {
		return at("/api/v1/employees/%d/assessments", p.side.colleague)
	},
	"GET /api/v1/employees/{id}/certificates": func(p *authzProbe) authzCall {
		return at("/api/v1/employees/%d/certificates", p.side.colleague)
	},
	"GET /api/v1/employees/{id}/competencies": func(p *authzProbe) authzCall {
		return at("/api/v1/employees/%d/competencies", p.side.colleague)
	},
	"POST /api/v1/employees/{id}/competencies": func(p *authzProbe) authzCall {
		return with(map[string]any{"competency_id": p.w.competency, "level": 2}, "/api/v1/employees/%d/competencies", p.side.colleague)
	},
	"POST /api/v1/employees/{id}/deactivate": func(p *authzProbe) authzCall {
		return with(map[string]any{"reason": "retired"}, "/api/v1/employees/%d/deactivate", p.newEmployee())
	},
	"GET /api/v1/employees/{id}/gaps": func(p *authzProbe) authzCall { return at("/api/v1/employees/%d/gaps", p.side.colleague) },
	"GET /api/v1/employees/{id}/jp":   func(p *authzProbe) authzCall { return at("/api/v1/employees/%d/jp", p.side.colleague) },
	"POST /api/v1/employees/{id}/jp": func(p *authzProbe) authzCall {
		return with(externalBody(p.w.next()), "/api/v1/employees/%d/jp", p.side.colleague)
	},
	"DELETE /api/v1/employees/{id}/jp/{external_id}": func(p *authzProbe) authzCall {
		return at("/api/v1/employees/%d/jp/%d", p.side.colleague, p.w.newExternal(p.side))
	},
	"POST /api/v1/employees/{id}/transfer": func(p *authzProbe) authzCall {
		return with(map[string]any{"to_agency_id": p.opposite().agency}, "/api/v1/employees/%d/transfer", p.newEmployee())
	},
	"GET /api/v1/employees/{id}/transfers": func(p *authzProbe) authzCall {
		return at("/api/v1/employees/%d/transfers", p.side.colleague)
	},
	"GET /api/v1/enrolments/{id}": func(p *authzProbe) authzCall { return at("/api/v1/enrolments/%d", p.side.enrolment) },
	"POST /api/v1/enrolments/{id}/approval": func(p *authzProbe) authzCall {
		e := p.w.enrol(p.side.event, p.newEmployee())
		p.w.exec(`UPDATE enrolments SET approval = 'pending' WHERE id = $1`, e)
		return with(map[string]any{"approve": true}, "/api/v1/enrolments/%d/approval", e)
	},
	"POST /api/v1/enrolments/{id}/cancel": func(p *authzProbe) authzCall {
		return at("/api/v1/enrolments/%d/cancel", p.w.enrol(p.side.event, p.newEmployee()))
	},
	"POST /api/v1/enrolments/{id}/scores": func(p *authzProbe) authzCall {
		return with(map[string]any{"pre_score": 60}, "/api/v1/enrolments/%d/scores", p.side.enrolment)
	},
	"GET /api/v1/events": func(p *authzProbe) authzCall { return at("/api/v1/events") },
	"POST /api/v1/events": func(p *authzProbe) authzCall {
		return with(map[string]any{"kind": "bimtek", "title": fmt.Sprintf("Bimtek %d", p.w.next()), "starts_at": rfc(authzSoon),
			"ends_at": rfc(authzSoon.Add(8 * time.Hour)), "capacity": 20, "jp": 8, "agency_id": p.side.agency}, "/api/v1/events")
	},
	"GET /api/v1/events/{id}": func(p *authzProbe) authzCall { return at("/api/v1/events/%d", p.side.event) },
	"POST /api/v1/events/{id}/cancel": func(p *authzProbe) authzCall {
		return at("/api/v1/events/%d/cancel", p.w.newEvent(p.side))
	},
	"GET /api/v1/events/{id}/certificates": func(p *authzProbe) authzCall {
		return at("/api/v1/events/%d/certificates", p.side.event)
	},
	"POST /api/v1/events/{id}/certificates": func(p *authzProbe) authzCall {
		return at("/api/v1/events/%d/certificates", p.finishedEvent(p.side.colleague))
	},
	"GET /api/v1/events/{id}/enrolments": func(p *authzProbe) authzCall {
		return at("/api/v1/events/%d/enrolments", p.side.event)
	},
	"POST /api/v1/events/{id}/enrolments": func(p *authzProbe) authzCall {
		return with(map[string]any{"employee_id": p.newEmployee()}, "/api/v1/events/%d/enrolments", p.side.event)
	},
	"POST /api/v1/events/{id}/evaluation": func(p *authzProbe) authzCall {
		// Who attended a sitting evaluates: on the own side, the asker did.
		event := p.w.newEvent(p.side)
		session := p.w.newSession(event)
		if p.mine() {
			p.w.enrol(event, p.me.employee)
			p.w.as("POST", fmt.Sprintf("/api/v1/sessions/%d/attendance", session), map[string]any{"employee_id": p.me.employee, "present": true})
		}
		return with(map[string]any{"content": 5, "relevance": 5, "trainer": 4, "usefulness": 5},
			"/api/v1/events/%d/evaluation", event)
	},
	"GET /api/v1/events/{id}/evaluations": func(p *authzProbe) authzCall {
		return at("/api/v1/events/%d/evaluations", p.side.event)
	},
	"POST /api/v1/events/{id}/finish": func(p *authzProbe) authzCall {
		// Held yesterday: finished once its last sitting began.
		event := p.w.newEvent(p.side)
		p.w.newSession(event)
		past := time.Now().UTC().Add(-24 * time.Hour)
		p.w.exec(`UPDATE events SET starts_at = $1, ends_at = $2 WHERE id = $3`, past, past.Add(8*time.Hour), event)
		p.w.exec(`UPDATE event_sessions SET starts_at = $1, ends_at = $2 WHERE event_id = $3`, past, past.Add(4*time.Hour), event)
		return at("/api/v1/events/%d/finish", event)
	},
	"GET /api/v1/events/{id}/impact": func(p *authzProbe) authzCall { return at("/api/v1/events/%d/impact", p.side.finished) },
	"POST /api/v1/events/{id}/sessions": func(p *authzProbe) authzCall {
		return with(map[string]any{"starts_at": rfc(authzToday.Add(4 * time.Hour)), "ends_at": rfc(authzToday.Add(6 * time.Hour)),
			"place": "Aula"}, "/api/v1/events/%d/sessions", p.side.event)
	},
	"GET /api/v1/follow-ups":      func(p *authzProbe) authzCall { return at("/api/v1/follow-ups") },
	"GET /api/v1/follow-ups/{id}": func(p *authzProbe) authzCall { return at("/api/v1/follow-ups/%d", p.side.followUp) },
	"POST /api/v1/follow-ups/{id}/notes": func(p *authzProbe) authzCall {
		return with(map[string]any{"body": "Sudah dijadwalkan"}, "/api/v1/follow-ups/%d/notes", p.side.followUp)
	},
	"GET /api/v1/gaps":          func(p *authzProbe) authzCall { return at("/api/v1/gaps") },
	"GET /api/v1/gaps/agencies": func(p *authzProbe) authzCall { return at("/api/v1/gaps/agencies") },
	"GET /api/v1/gaps/people":   func(p *authzProbe) authzCall { return at("/api/v1/gaps/people") },
	"GET /api/v1/holidays":      func(p *authzProbe) authzCall { return at("/api/v1/holidays") },
	"POST /api/v1/holidays": func(p *authzProbe) authzCall {
		return with(map[string]any{"date": authzHoliday(p.w.next()), "name": "Libur"}, "/api/v1/holidays")
	},
	"DELETE /api/v1/holidays/{date}": func(p *authzProbe) authzCall {
		date := authzHoliday(p.w.next())
		p.w.as("POST", "/api/v1/holidays", map[string]any{"date": date, "name": "Libur"})
		return at("/api/v1/holidays/%s", date)
	},
	"GET /api/v1/idea-waits": func(p *authzProbe) authzCall { return at("/api/v1/idea-waits") },
	"GET /api/v1/ideas":      func(p *authzProbe) authzCall { return at("/api/v1/ideas") },
	"POST /api/v1/ideas": func(p *authzProbe) authzCall {
		return with(map[string]any{"title": fmt.Sprintf("Usul %d", p.w.next()), "body": "Tolong", "agency_id": p.side.agency, "procedure": "Cuti daring"}, "/api/v1/ideas")
	},
	"GET /api/v1/ideas/{id}": func(p *authzProbe) authzCall { return at("/api/v1/ideas/%d", p.side.idea) },
	"PUT /api/v1/ideas/{id}": func(p *authzProbe) authzCall {
		// Its author edits an idea: on the own side, the asker wrote it.
		idea := p.side.idea
		if p.mine() {
			idea = p.w.newIdeaBy(p.me.token, p.side)
		}
		return with(map[string]any{"title": "Ekspor Excel", "body": fmt.Sprintf("Tolong %d", p.w.next())}, "/api/v1/ideas/%d", idea)
	},
	"POST /api/v1/ideas/{id}/answers": func(p *authzProbe) authzCall {
		return with(map[string]any{"answer": "Kami rencanakan.", "status": "planned"}, "/api/v1/ideas/%d/answers", p.w.newIdea(p.side))
	},
	"POST /api/v1/ideas/{id}/comments": func(p *authzProbe) authzCall {
		return with(map[string]any{"body": "Setuju"}, "/api/v1/ideas/%d/comments", p.side.idea)
	},
	"DELETE /api/v1/ideas/{id}/vote": func(p *authzProbe) authzCall { return at("/api/v1/ideas/%d/vote", p.side.idea) },
	"PUT /api/v1/ideas/{id}/vote":    func(p *authzProbe) authzCall { return at("/api/v1/ideas/%d/vote", p.side.idea) },
	"GET /api/v1/inbound-messages":   func(p *authzProbe) authzCall { return at("/api/v1/inbound-messages") },
	"GET /api/v1/jp":                 func(p *authzProbe) authzCall { return at("/api/v1/jp") },
	"GET /api/v1/jp/agencies":        func(p *authzProbe) authzCall { return at("/api/v1/jp/agencies") },
	"GET /api/v1/lessons":            func(p *authzProbe) authzCall { return at("/api/v1/lessons") },
	"POST /api/v1/lessons": func(p *authzProbe) authzCall {
		return with(lessonBody(p.side.agency, p.w.next()), "/api/v1/lessons")
	},
	"GET /api/v1/lessons/{id}": func(p *authzProbe) authzCall { return at("/api/v1/lessons/%d", p.side.lesson) },
	"PUT /api/v1/lessons/{id}": func(p *authzProbe) authzCall {
		return with(lessonBody(p.side.agency, p.w.next()), "/api/v1/lessons/%d", p.side.lesson)
	},
	"POST /api/v1/lessons/{id}/article": func(p *authzProbe) authzCall {
		return at("/api/v1/lessons/%d/article", p.w.newLesson(p.side))
	},
	"GET /api/v1/lo-index":          func(p *authzProbe) authzCall { return at("/api/v1/lo-index") },
	"GET /api/v1/lo-index/agencies": func(p *authzProbe) authzCall { return at("/api/v1/lo-index/agencies") },
	"GET /api/v1/lo-index/trend":    func(p *authzProbe) authzCall { return at("/api/v1/lo-index/trend") },
	"GET /api/v1/me":                func(p *authzProbe) authzCall { return at("/api/v1/me") },
	"GET /api/v1/meetings/{id}":     func(p *authzProbe) authzCall { return at("/api/v1/meetings/%d", p.side.meeting) },
	"GET /api/v1/mentoring":         func(p *authzProbe) authzCall { return at("/api/v1/mentoring") },
	"POST /api/v1/mentoring": func(p *authzProbe) authzCall {
		return with(map[string]any{"agency_id": p.side.agency, "mentor_account_id": p.side.trainerAcc, "employee_id": p.newEmployee(),
			"goal": "Mahir SIPD"}, "/api/v1/mentoring")
	},
	"GET /api/v1/mentoring/{id}": func(p *authzProbe) authzCall { return at("/api/v1/mentoring/%d", p.side.mentoring) },
	"POST /api/v1/mentoring/{id}/end": func(p *authzProbe) authzCall {
		m := p.w.create("/api/v1/mentoring", map[string]any{"agency_id": p.side.agency, "mentor_account_id": p.side.trainerAcc,
			"employee_id": p.newEmployee(), "goal": "Mahir SIPD"})
		return at("/api/v1/mentoring/%d/end", m)
	},
	"POST /api/v1/mentoring/{id}/sessions": func(p *authzProbe) authzCall {
		return with(map[string]any{"held_at": rfc(time.Now().UTC().Add(-time.Duration(p.w.next()) * time.Minute).Truncate(time.Minute)), "jp": 1, "notes": "Latihan", "topic": "SIMPEG"},
			"/api/v1/mentoring/%d/sessions", p.side.mentoring)
	},
	"GET /api/v1/notification-preferences": func(p *authzProbe) authzCall { return at("/api/v1/notification-preferences") },
	"PUT /api/v1/notification-preferences": func(p *authzProbe) authzCall {
		return with(map[string]any{"topics": []any{}, "channels": []any{}, "quiet_hours": nil, "email": "", "phone": ""},
			"/api/v1/notification-preferences")
	},
	"GET /api/v1/notifications":           func(p *authzProbe) authzCall { return at("/api/v1/notifications") },
	"POST /api/v1/notifications/read-all": func(p *authzProbe) authzCall { return at("/api/v1/notifications/read-all") },
	"POST /api/v1/notifications/{id}/read": func(p *authzProbe) authzCall {
		if p.mine() {
			return at("/api/v1/notifications/%d/read", p.w.notification(p.me.account))
		}
		return at("/api/v1/notifications/%d/read", p.side.notification)
	},
	"GET /api/v1/outbox":      func(p *authzProbe) authzCall { return at("/api/v1/outbox") },
	"GET /api/v1/outbox/{id}": func(p *authzProbe) authzCall { return at("/api/v1/outbox/%d", p.w.outbox) },
	"POST /api/v1/outbox/{id}/retry": func(p *authzProbe) authzCall {
		return at("/api/v1/outbox/%d/retry", p.w.newOutbox())
	},
	"GET /api/v1/paths": func(p *authzProbe) authzCall { return at("/api/v1/paths") },
	"POST /api/v1/paths": func(p *authzProbe) authzCall {
		return with(map[string]any{"title": fmt.Sprintf("Jalur %d", p.w.next()), "agency_id": p.side.agency, "open": true,
			"activity_ids": []int64{p.side.activity}}, "/api/v1/paths")
	},
	"GET /api/v1/paths/{id}": func(p *authzProbe) authzCall { return at("/api/v1/paths/%d", p.side.path) },
	"PATCH /api/v1/paths/{id}": func(p *authzProbe) authzCall {
		return patch(map[string]any{"description": fmt.Sprintf("Versi %d", p.w.next())}, "/api/v1/paths/%d", p.side.path)
	},
	"GET /api/v1/paths/{id}/members": func(p *authzProbe) authzCall { return at("/api/v1/paths/%d/members", p.side.path) },
	"POST /api/v1/paths/{id}/members": func(p *authzProbe) authzCall {
		return with(map[string]any{"employee_id": p.newEmployee()}, "/api/v1/paths/%d/members", p.side.path)
	},
	"DELETE /api/v1/paths/{id}/members/{employee_id}": func(p *authzProbe) authzCall {
		e := p.newEmployee()
		p.w.as("POST", fmt.Sprintf("/api/v1/paths/%d/members", p.side.path), map[string]any{"employee_id": e})
		return at("/api/v1/paths/%d/members/%d", p.side.path, e)
	},
	"GET /api/v1/problems": func(p *authzProbe) authzCall { return at("/api/v1/problems") },
	"POST /api/v1/problems": func(p *authzProbe) authzCall {
		return with(map[string]any{"title": fmt.Sprintf("Masalah %d", p.w.next())}, "/api/v1/problems")
	},
	"GET /api/v1/problems/{id}": func(p *authzProbe) authzCall { return at("/api/v1/problems/%d", p.w.problem) },
	"PATCH /api/v1/problems/{id}": func(p *authzProbe) authzCall {
		return patch(map[string]any{"title": fmt.Sprintf("SIMPEG lambat %d", p.w.next())}, "/api/v1/problems/%d", p.w.problem)
	},
	"POST /api/v1/problems/{id}/tickets": func(p *authzProbe) authzCall {
		number, _ := p.w.newTicket(p.side)
		return with(map[string]any{"ticket": number}, "/api/v1/problems/%d/tickets", p.w.problem)
	},
	"DELETE /api/v1/problems/{id}/tickets/{number}": func(p *authzProbe) authzCall {
		number, _ := p.w.newTicket(p.side)
		p.w.as("POST", fmt.Sprintf("/api/v1/problems/%d/tickets", p.w.problem), map[string]any{"ticket": number})
		return at("/api/v1/problems/%d/tickets/%s", p.w.problem, number)
	},
	"GET /api/v1/recognitions": func(p *authzProbe) authzCall { return at("/api/v1/recognitions") },
	"POST /api/v1/recognitions": func(p *authzProbe) authzCall {
		return with(map[string]any{"agency_id": p.side.agency, "member_ids": []int64{p.side.colleague}, "period": authzYear,
			"reason": "Teladan"}, "/api/v1/recognitions")
	},
	"GET /api/v1/regulations": func(p *authzProbe) authzCall { return at("/api/v1/regulations") },
	"POST /api/v1/regulations": func(p *authzProbe) authzCall {
		return with(regulationBody(p.side.agency, p.w.next()), "/api/v1/regulations")
	},
	"GET /api/v1/regulations/{id}": func(p *authzProbe) authzCall { return at("/api/v1/regulations/%d", p.side.regulation) },
	"PUT /api/v1/regulations/{id}": func(p *authzProbe) authzCall {
		return with(regulationBody(p.side.agency, p.w.next()), "/api/v1/regulations/%d", p.side.regulation)
	},
	"POST /api/v1/regulations/{id}/revoke": func(p *authzProbe) authzCall {
		return at("/api/v1/regulations/%d/revoke", p.w.newRegulation(p.side))
	},
	"GET /api/v1/reports/helpdesk": func(p *authzProbe) authzCall { return at("/api/v1/reports/helpdesk") },
	"GET /api/v1/requirements":     func(p *authzProbe) authzCall { return at("/api/v1/requirements") },
	"POST /api/v1/requirements": func(p *authzProbe) authzCall {
		return with(map[string]any{"competency_id": p.w.newCompetency(), "level": 2, "agency_id": p.side.agency, "role": "operator"}, "/api/v1/requirements")
	},
	"DELETE /api/v1/requirements/{id}": func(p *authzProbe) authzCall {
		r := p.w.create("/api/v1/requirements", map[string]any{"competency_id": p.w.newCompetency(), "level": 2, "agency_id": p.side.agency, "role": "operator"})
		return at("/api/v1/requirements/%d", r)
	},
	"GET /api/v1/requirements/{id}": func(p *authzProbe) authzCall { return at("/api/v1/requirements/%d", p.side.requirement) },
	"PATCH /api/v1/requirements/{id}": func(p *authzProbe) authzCall {
		return patch(map[string]any{"level": 2 + p.w.next()%2}, "/api/v1/requirements/%d", p.side.requirement)
	},
	"GET /api/v1/reviews": func(p *authzProbe) authzCall { return at("/api/v1/reviews") },
	"POST /api/v1/reviews": func(p *authzProbe) authzCall {
		return with(map[string]any{"agency_id": p.side.agency, "period": authzYear + "-Q4", "title": fmt.Sprintf("Monev %d", p.w.next())},
			"/api/v1/reviews")
	},
	"GET /api/v1/reviews/{id}": func(p *authzProbe) authzCall { return at("/api/v1/reviews/%d", p.side.review) },
	"POST /api/v1/reviews/{id}/findings": func(p *authzProbe) authzCall {
		return with(map[string]any{"severity": "medium", "text": "Operator kurang"}, "/api/v1/reviews/%d/findings", p.side.review)
	},
	"POST /api/v1/reviews/{id}/follow-ups": func(p *authzProbe) authzCall {
		return with(map[string]any{"action": "Latih", "assignee_id": p.side.colleague, "due_on": authzYear + "-12-31"},
			"/api/v1/reviews/%d/follow-ups", p.side.review)
	},
	"GET /api/v1/routing-rules": func(p *authzProbe) authzCall { return at("/api/v1/routing-rules") },
	"POST /api/v1/routing-rules": func(p *authzProbe) authzCall {
		return with(map[string]any{"team_id": p.w.team, "app_id": p.w.newApp(p.side)}, "/api/v1/routing-rules")
	},
	"GET /api/v1/routing-rules/default": func(p *authzProbe) authzCall { return at("/api/v1/routing-rules/default") },
	"PUT /api/v1/routing-rules/default": func(p *authzProbe) authzCall {
		return with(map[string]any{"team_id": p.w.team}, "/api/v1/routing-rules/default")
	},
	"DELETE /api/v1/routing-rules/{id}": func(p *authzProbe) authzCall {
		r := p.w.create("/api/v1/routing-rules", map[string]any{"team_id": p.w.team, "app_id": p.w.newApp(p.side)})
		return at("/api/v1/routing-rules/%d", r)
	},
	"PUT /api/v1/routing-rules/{id}": func(p *authzProbe) authzCall {
		return with(map[string]any{"team_id": p.w.team, "category": "application", "agency_id": p.side.agency},
			"/api/v1/routing-rules/%d", p.w.rule)
	},
	"GET /api/v1/search":     func(p *authzProbe) authzCall { return at("/api/v1/search?q=simpeg") },
	"GET /api/v1/self-study": func(p *authzProbe) authzCall { return at("/api/v1/self-study") },
	"POST /api/v1/self-study/{id}/completion": func(p *authzProbe) authzCall {
		return with(map[string]any{"reflection": "Saya belajar mengisi formulir."}, "/api/v1/self-study/%d/completion", p.side.selfStudy)
	},
	"GET /api/v1/sessions/{id}/attendance": func(p *authzProbe) authzCall {
		return at("/api/v1/sessions/%d/attendance", p.side.session)
	},
	"POST /api/v1/sessions/{id}/attendance": func(p *authzProbe) authzCall {
		return with(map[string]any{"employee_id": p.side.colleague, "present": true}, "/api/v1/sessions/%d/attendance", p.side.session)
	},
	"POST /api/v1/sessions/{id}/codes": func(p *authzProbe) authzCall {
		return with(map[string]any{"minutes": 30}, "/api/v1/sessions/%d/codes", p.side.session)
	},
	"DELETE /api/v1/shifts/{id}": func(p *authzProbe) authzCall { return at("/api/v1/shifts/%d", p.w.newShift()) },
	"GET /api/v1/sla-policies":   func(p *authzProbe) authzCall { return at("/api/v1/sla-policies") },
	"PUT /api/v1/sla-policies/{priority}": func(p *authzProbe) authzCall {
		return with(map[string]any{"calendar": "working", "first_response_minutes": 240, "resolution_minutes": 2400},
			"/api/v1/sla-policies/low")
	},
	"GET /api/v1/spaces": func(p *authzProbe) authzCall { return at("/api/v1/spaces") },
	"GET /api/v1/spaces/{id}/meetings": func(p *authzProbe) authzCall {
		return at("/api/v1/spaces/%d/meetings", p.side.space)
	},
	"POST /api/v1/spaces/{id}/meetings": func(p *authzProbe) authzCall {
		return with(meetingBody(p.w.next()), "/api/v1/spaces/%d/meetings", p.side.space)
	},
	"GET /api/v1/spaces/{id}/threads": func(p *authzProbe) authzCall { return at("/api/v1/spaces/%d/threads", p.side.space) },
	"POST /api/v1/spaces/{id}/threads": func(p *authzProbe) authzCall {
		return with(map[string]any{"title": fmt.Sprintf("Tanya %d", p.w.next()), "body": "Bagaimana?", "question": true},
			"/api/v1/spaces/%d/threads", p.side.space)
	},
	"GET /api/v1/spbe-evidence":         func(p *authzProbe) authzCall { return at("/api/v1/spbe-evidence") },
	"GET /api/v1/spbe-evidence/archive": func(p *authzProbe) authzCall { return at("/api/v1/spbe-evidence/archive") },
	"GET /api/v1/survey-instruments":    func(p *authzProbe) authzCall { return at("/api/v1/survey-instruments") },
	"POST /api/v1/survey-instruments": func(p *authzProbe) authzCall {
		n := p.w.next()
		return with(map[string]any{"code": fmt.Sprintf("s%d", n), "title": "Survei", "description": "Uji", "scale_min": 1, "scale_max": 6,
			"items": []map[string]any{{"text_id": "Saya belajar", "dimension": "continuous"}}}, "/api/v1/survey-instruments")
	},
	"GET /api/v1/surveys":      func(p *authzProbe) authzCall { return at("/api/v1/surveys") },
	"POST /api/v1/surveys":     func(p *authzProbe) authzCall { return with(p.w.campaignBody(p.side), "/api/v1/surveys") },
	"GET /api/v1/surveys/{id}": func(p *authzProbe) authzCall { return at("/api/v1/surveys/%d", p.w.campaign) },
	"POST /api/v1/surveys/{id}/close": func(p *authzProbe) authzCall {
		c := p.w.create("/api/v1/surveys", p.w.campaignBody(p.side))
		p.w.as("POST", fmt.Sprintf("/api/v1/surveys/%d/open", c), nil)
		return at("/api/v1/surveys/%d/close", c)
	},
	"POST /api/v1/surveys/{id}/open": func(p *authzProbe) authzCall {
		return at("/api/v1/surveys/%d/open", p.w.create("/api/v1/surveys", p.w.campaignBody(p.side)))
	},
	"POST /api/v1/surveys/{id}/responses": func(p *authzProbe) authzCall {
		c := p.w.create("/api/v1/surveys", p.w.campaignBody(p.side))
		p.w.as("POST", fmt.Sprintf("/api/v1/surveys/%d/open", c), nil)
		return with(map[string]any{"token": p.w.surveyToken(c, p.side), "answers": p.w.surveyAnswers(c)}, "/api/v1/surveys/%d/responses", c)
	},
	"GET /api/v1/surveys/{id}/results": func(p *authzProbe) authzCall {
		return at("/api/v1/surveys/%d/results?agency_id=%d", p.w.campaign, p.side.agency)
	},
	"GET /api/v1/targets": func(p *authzProbe) authzCall { return at("/api/v1/targets") },
	"POST /api/v1/targets": func(p *authzProbe) authzCall {
		return with(targetBody(p.side.agency, p.w.next()), "/api/v1/targets")
	},
	"DELETE /api/v1/targets/{id}": func(p *authzProbe) authzCall { return at("/api/v1/targets/%d", p.w.newTarget(p.side)) },
	"GET /api/v1/targets/{id}":    func(p *authzProbe) authzCall { return at("/api/v1/targets/%d", p.side.target) },
	"PATCH /api/v1/targets/{id}": func(p *authzProbe) authzCall {
		return patch(map[string]any{"note": fmt.Sprintf("Catatan %d", p.w.next())}, "/api/v1/targets/%d", p.side.target)
	},
	"GET /api/v1/teams": func(p *authzProbe) authzCall { return at("/api/v1/teams") },
	"POST /api/v1/teams": func(p *authzProbe) authzCall {
		n := p.w.next()
		return with(map[string]any{"code": fmt.Sprintf("t%d", n), "name": fmt.Sprintf("Tim %d", n)}, "/api/v1/teams")
	},
	"GET /api/v1/teams/on-duty": func(p *authzProbe) authzCall { return at("/api/v1/teams/on-duty") },
	"GET /api/v1/teams/{id}/canned-replies": func(p *authzProbe) authzCall {
		return at("/api/v1/teams/%d/canned-replies", p.w.team)
	},
	"POST /api/v1/teams/{id}/canned-replies": func(p *authzProbe) authzCall {
		return with(map[string]any{"title": fmt.Sprintf("Salam %d", p.w.next()), "body": "Terima kasih"}, "/api/v1/teams/%d/canned-replies", p.w.team)
	},
	"DELETE /api/v1/teams/{id}/members/{account_id}": func(p *authzProbe) authzCall {
		team := p.w.newTeam()
		p.w.as("PUT", fmt.Sprintf("/api/v1/teams/%d/members/%d", team, p.w.expertAcc()), map[string]any{"lead": false})
		return at("/api/v1/teams/%d/members/%d", team, p.w.expertAcc())
	},
	"PUT /api/v1/teams/{id}/members/{account_id}": func(p *authzProbe) authzCall {
		return with(map[string]any{"lead": false}, "/api/v1/teams/%d/members/%d", p.w.newTeam(), p.w.expertAcc())
	},
	"GET /api/v1/teams/{id}/shifts": func(p *authzProbe) authzCall { return at("/api/v1/teams/%d/shifts", p.w.team) },
	"POST /api/v1/teams/{id}/shifts": func(p *authzProbe) authzCall {
		n := time.Duration(p.w.next())
		return with(map[string]any{"account_id": p.w.actors[policy.Agent].account, "starts_at": rfc(authzSoon.Add(n * 24 * time.Hour)),
			"ends_at": rfc(authzSoon.Add(n*24*time.Hour + 8*time.Hour))}, "/api/v1/teams/%d/shifts", p.w.team)
	},
	"GET /api/v1/thanks": func(p *authzProbe) authzCall { return at("/api/v1/thanks") },
	"POST /api/v1/thanks": func(p *authzProbe) authzCall {
		return with(map[string]any{"employee_id": p.side.colleague, "reason": fmt.Sprintf("Dibantu %d", p.w.next())}, "/api/v1/thanks")
	},
	"GET /api/v1/threads/{id}": func(p *authzProbe) authzCall { return at("/api/v1/threads/%d", p.side.thread) },
	"POST /api/v1/threads/{id}/posts": func(p *authzProbe) authzCall {
		return with(map[string]any{"body": "Coba ini."}, "/api/v1/threads/%d/posts", p.side.thread)
	},
	"GET /api/v1/tickets": func(p *authzProbe) authzCall { return at("/api/v1/tickets") },
	"POST /api/v1/tickets": func(p *authzProbe) authzCall {
		return with(map[string]any{"subject": fmt.Sprintf("Galat %d", p.w.next()), "category": "application", "app_id": p.side.app,
			"body": "Tidak bisa masuk"}, "/api/v1/tickets")
	},
	"GET /api/v1/tickets/counts":   func(p *authzProbe) authzCall { return at("/api/v1/tickets/counts") },
	"GET /api/v1/tickets/{number}": func(p *authzProbe) authzCall { return at("/api/v1/tickets/%s", p.side.ticket) },
	"PATCH /api/v1/tickets/{number}": func(p *authzProbe) authzCall {
		c := patch(map[string]any{"priority": "high"}, "/api/v1/tickets/%s", p.side.ticket)
		c.header = ifMatchAny
		return c
	},
	"POST /api/v1/tickets/{number}/attachments": func(p *authzProbe) authzCall {
		body, ct := multipartFile("file", "catatan.txt", "galat 502\n")
		return authzCall{path: "/api/v1/tickets/" + p.side.ticket + "/attachments", body: body, contentType: ct}
	},
	"POST /api/v1/tickets/{number}/faq": func(p *authzProbe) authzCall {
		return at("/api/v1/tickets/%s/faq", p.resolve(p.w.fileTicket(p.side.colleagueToken, p.side)))
	},
	"GET /api/v1/tickets/{number}/lapor": func(p *authzProbe) authzCall { return at("/api/v1/tickets/%s/lapor", p.side.ticket) },
	"POST /api/v1/tickets/{number}/lapor": func(p *authzProbe) authzCall {
		number, _ := p.w.newTicket(p.side)
		return with(map[string]any{"tracking_id": fmt.Sprint(3500000 + p.w.next())}, "/api/v1/tickets/%s/lapor", number)
	},
	"GET /api/v1/tickets/{number}/links": func(p *authzProbe) authzCall { return at("/api/v1/tickets/%s/links", p.side.ticket) },
	"POST /api/v1/tickets/{number}/links": func(p *authzProbe) authzCall {
		other, _ := p.w.newTicket(p.side)
		return with(map[string]any{"other": other}, "/api/v1/tickets/%s/links", p.side.ticket)
	},
	"DELETE /api/v1/tickets/{number}/links/{other}": func(p *authzProbe) authzCall {
		other, _ := p.w.newTicket(p.side)
		p.w.as("POST", "/api/v1/tickets/"+p.side.ticket+"/links", map[string]any{"other": other})
		return at("/api/v1/tickets/%s/links/%s", p.side.ticket, other)
	},
	"POST /api/v1/tickets/{number}/merge": func(p *authzProbe) authzCall {
		dup, _ := p.w.newTicket(p.side)
		c := with(map[string]any{"into": p.side.ticket}, "/api/v1/tickets/%s/merge", dup)
		c.header = ifMatchAny
		return c
	},
	"POST /api/v1/tickets/{number}/rating": func(p *authzProbe) authzCall {
		// The reporter rates: on the own side, the asker reported it.
		return with(map[string]any{"score": 5}, "/api/v1/tickets/%s/rating", p.resolvedTicket())
	},
	"POST /api/v1/tickets/{number}/rating-link": func(p *authzProbe) authzCall {
		// A link for a caller from outside, who has no account to rate with.
		number := memberString(p.t, p.w.as("POST", "/api/v1/tickets", map[string]any{"subject": fmt.Sprintf("Telepon %d", p.w.next()),
			"category": "application", "channel": "phone", "contact_name": "Bu Rahma", "contact_phone": "081234567890",
			"agency_id": p.side.agency}), "number")
		return at("/api/v1/tickets/%s/rating-link", p.resolve(number))
	},
	"POST /api/v1/tickets/{number}/replies": func(p *authzProbe) authzCall {
		return with(map[string]any{"body": "Masih galat."}, "/api/v1/tickets/%s/replies", p.side.ticket)
	},
	"POST /api/v1/tickets/{number}/status-link": func(p *authzProbe) authzCall {
		return at("/api/v1/tickets/%s/status-link", p.side.ticket)
	},
	"GET /api/v1/tokens": func(p *authzProbe) authzCall { return at("/api/v1/tokens") },
	"POST /api/v1/tokens": func(p *authzProbe) authzCall {
		return with(map[string]any{"name": fmt.Sprintf("skrip %d", p.w.next())}, "/api/v1/tokens")
	},
	"DELETE /api/v1/tokens/{id}": func(p *authzProbe) authzCall {
		account := p.side.colleagueAcc
		if p.mine() {
			account = p.me.account
		}
		return at("/api/v1/tokens/%d", p.w.newToken(account))
	},
	"GET /api/v1/training-impact": func(p *authzProbe) authzCall { return at("/api/v1/training-impact") },
	"GET /api/v1/verify/{code}":   func(p *authzProbe) authzCall { return at("/api/v1/verify/%s", p.side.cert) },
	"GET /api/v1/visions":         func(p *authzProbe) authzCall { return at("/api/v1/visions") },
	"POST /api/v1/visions": func(p *authzProbe) authzCall {
		return with(map[string]any{"agency_id": p.side.agency, "term": "2026-2030", "vision": "Kota pembelajar",
			"mission": fmt.Sprintf("Belajar bersama %d", p.w.next())}, "/api/v1/visions")
	},
}

// authzHoliday is a date no other case uses.
func authzHoliday(n int64) string {
	return time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(n)).Format("2006-01-02")
}

// newCertificate issues the side's colleague a certificate of a new
// finished event and returns its code.
func (p *authzProbe) newCertificate() string {
	code, _ := p.w.newCertificate(p.side)
	return code
}
