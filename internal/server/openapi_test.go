package server_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/apps"
	"github.com/lontara-id/lontara/internal/competency"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/discuss"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/ideas"
	"github.com/lontara-id/lontara/internal/knowledge"
	"github.com/lontara-id/lontara/internal/leadership"
	"github.com/lontara-id/lontara/internal/lessons"
	"github.com/lontara-id/lontara/internal/meetings"
	"github.com/lontara-id/lontara/internal/mentoring"
	"github.com/lontara-id/lontara/internal/outbox"
	"github.com/lontara-id/lontara/internal/paths"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
	"github.com/lontara-id/lontara/internal/targets"
	"github.com/lontara-id/lontara/internal/training"
)

// schemaCheck validates a decoded JSON value against the subset of JSON
// Schema the OpenAPI document uses: type (or a list of types), properties,
// required, items, additionalProperties, anyOf and $ref into components.
type schemaCheck struct {
	components map[string]any
}

func (c schemaCheck) check(path string, schema map[string]any, v any) []string {
	if ref, ok := schema["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/components/schemas/")
		sub, ok := c.components[name].(map[string]any)
		if !ok {
			return []string{path + ": dangling $ref " + ref}
		}
		return c.check(path, sub, v)
	}
	if alts, ok := schema["anyOf"].([]any); ok {
		for _, alt := range alts {
			if len(c.check(path, alt.(map[string]any), v)) == 0 {
				return nil
			}
		}
		return []string{path + ": matches no alternative of anyOf"}
	}
	var problems []string
	if t, ok := schema["type"]; ok && !typeMatches(t, v) {
		return []string{fmt.Sprintf("%s: %v is not of type %v", path, v, t)}
	}
	switch val := v.(type) {
	case map[string]any:
		props, _ := schema["properties"].(map[string]any)
		for _, r := range asList(schema["required"]) {
			if _, ok := val[r]; !ok {
				problems = append(problems, path+": missing required member "+r)
			}
		}
		for k, member := range val {
			sub, ok := props[k].(map[string]any)
			if !ok {
				if add, ok := schema["additionalProperties"].(map[string]any); ok {
					problems = append(problems, c.check(path+"."+k, add, member)...)
				} else if props != nil {
					problems = append(problems, path+": undocumented member "+k)
				}
				continue
			}
			problems = append(problems, c.check(path+"."+k, sub, member)...)
		}
	case []any:
		if items, ok := schema["items"].(map[string]any); ok {
			for i, item := range val {
				problems = append(problems, c.check(fmt.Sprintf("%s[%d]", path, i), items, item)...)
			}
		}
	}
	return problems
}

func typeMatches(t any, v any) bool {
	for _, name := range asList(t) {
		switch name {
		case "null":
			if v == nil {
				return true
			}
		case "object":
			if _, ok := v.(map[string]any); ok {
				return true
			}
		case "array":
			if _, ok := v.([]any); ok {
				return true
			}
		case "string":
			if _, ok := v.(string); ok {
				return true
			}
		case "boolean":
			if _, ok := v.(bool); ok {
				return true
			}
		case "number":
			if _, ok := v.(float64); ok {
				return true
			}
		case "integer":
			if f, ok := v.(float64); ok && f == float64(int64(f)) {
				return true
			}
		}
	}
	return false
}

func asList(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		out := make([]string, len(x))
		for i := range x {
			out[i], _ = x[i].(string)
		}
		return out
	}
	return nil
}

// openAPIDoc fetches the served document.
func openAPIDoc(t *testing.T, h *servertest.Harness) (paths map[string]map[string]any, check schemaCheck) {
	t.Helper()
	var doc struct {
		Paths      map[string]map[string]any `json:"paths"`
		Components struct {
			Schemas map[string]any `json:"schemas"`
		} `json:"components"`
	}
	h.Do(t, "GET", "/api/v1/openapi.json", "", nil, "").JSON(t, &doc)
	return doc.Paths, schemaCheck{components: doc.Components.Schemas}
}

// responseSchema returns the schema documented for status of an operation.
func responseSchema(t *testing.T, op map[string]any, status int) map[string]any {
	t.Helper()
	responses, _ := op["responses"].(map[string]any)
	r, ok := responses[fmt.Sprint(status)].(map[string]any)
	if !ok {
		r, _ = responses["default"].(map[string]any)
	}
	content, _ := r["content"].(map[string]any)
	for _, media := range content {
		return media.(map[string]any)["schema"].(map[string]any)
	}
	t.Fatalf("no schema for status %d", status)
	return nil
}

var pathParam = regexp.MustCompile(`\{[a-z_]+\}`)

// checkAgainstDoc validates every GET operation of the document against the
// real handlers, with ids filled in by ids (path parameter name → value).
func checkAgainstDoc(t *testing.T, h *servertest.Harness, token string, ids map[string]string) {
	paths, check := openAPIDoc(t, h)
	var names []string
	for p := range paths {
		names = append(names, p)
	}
	sort.Strings(names)
	if len(names) == 0 {
		t.Fatal("the OpenAPI document has no paths")
	}
	for _, p := range names {
		for method, raw := range paths[p] {
			op := raw.(map[string]any)
			if method != "get" {
				continue
			}
			url := pathParam.ReplaceAllStringFunc(p, func(m string) string { return ids[strings.Trim(m, "{}")] })
			r := h.Do(t, "GET", url, token, nil, "")
			if ct := r.Header.Get("Content-Type"); r.Status == 200 && !strings.Contains(ct, "json") {
				continue // a file's content, which web.Op cannot describe
			}
			var v any
			if err := json.Unmarshal(r.Body, &v); err != nil {
				t.Errorf("GET %s: %d, not JSON", url, r.Status)
				continue
			}
			for _, problem := range check.check("GET "+url, responseSchema(t, op, r.Status), v) {
				t.Error(problem)
			}
			if r.Status >= 400 {
				t.Errorf("GET %s answered %d: %s", url, r.Status, r.Body)
			}
		}
	}
}

func TestOpenAPIMatchesHandlers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		h.Agency(t, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		h.User(t, "admin@makassarkota.go.id", "Andi Admin", "superadmin", "KOMINFO")
		token := h.Token(t, "admin@makassarkota.go.id")
		app, err := h.Svc.Apps.CreateApp(context.Background(), policy.SystemActor("test"),
			apps.AppInput{Name: "Dottoro'ta", OwnerAgencyID: 1, Status: "active"})
		if err != nil {
			t.Fatal(err)
		}
		// A team with the same id, for the team paths (its shifts).
		if _, err := h.Svc.Desk.CreateTeam(context.Background(), policy.SystemActor("test"),
			helpdesk.TeamInput{Code: "aplikasi", Name: "Tim Aplikasi"}); err != nil {
			t.Fatal(err)
		}
		ticket, err := h.Svc.Desk.CreateTicket(context.Background(), policy.SystemActor("test"), helpdesk.TicketInput{
			Subject: "SIMPEG tidak bisa dibuka", Category: "application", AppID: &app.ID, ContactPhone: "0811-4455",
			Attachments: []helpdesk.Upload{{Name: "catatan.txt", Data: []byte("galat 502\n")}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.Svc.Desk.RegisterLapor(context.Background(), policy.SystemActor("test"), ticket.Number,
			helpdesk.LaporInput{TrackingID: "3516742"}); err != nil { // so GET …/lapor has one to describe
			t.Fatal(err)
		}
		if err := h.DB.Tx(context.Background(), func(tx *sql.Tx) error { // article 1, as app 1 is {id}
			_, err := knowledge.CreateDraft(context.Background(), tx, policy.SystemActor("test"), knowledge.Draft{Title: "SIMPEG"})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		// Problem 1 answers the help desk's GETs by {id}, as team 1 does.
		if _, err := h.Svc.Desk.CreateProblem(context.Background(), policy.SystemActor("test"),
			helpdesk.ProblemInput{Title: "SIMPEG lambat tiap Senin"}); err != nil {
			t.Fatal(err)
		}
		// Space 1 and thread 1 answer the discussion's GETs by {id}.
		space, err := h.Svc.Discuss.CreateSpace(context.Background(), policy.SystemActor("test"),
			discuss.SpaceInput{Name: "Forum Kota", Level: policy.SpaceCity})
		if err != nil {
			t.Fatal(err)
		}
		admin := &policy.Actor{AccountID: 1, Grants: []policy.Grant{{Role: policy.Superadmin}}}
		if _, _, err := h.Svc.Discuss.CreateThread(context.Background(), admin, space.ID,
			discuss.ThreadInput{Title: "Cara masuk SIMPEG?", Body: "Tolong, @admin.", Question: true}); err != nil {
			t.Fatal(err)
		}
		// Meeting 1, in space 1.
		start := time.Now().Add(24 * time.Hour)
		if _, err := h.Svc.Meetings.Schedule(context.Background(), admin, space.ID, meetings.Input{Title: "Rapat SIMPEG",
			StartsAt: start, EndsAt: start.Add(time.Hour), Link: "https://meet.jit.si/simpeg"}); err != nil {
			t.Fatal(err)
		}
		// Competency 1 (of the default framework) at version 1, requirement 1.
		if _, err := competency.EnsureDefaults(context.Background(), h.DB); err != nil {
			t.Fatal(err)
		}
		if _, err := h.Svc.Competency.AddRequirement(context.Background(), admin, competency.RequirementInput{
			CompetencyID: 1, Level: 2, AppID: &app.ID}); err != nil {
			t.Fatal(err)
		}
		// Event 1, finished, with the admin's certificate for {code}.
		event := dbtest.Event(t, h.DB, "Bimtek SIMPEG", 20, 8)
		var admin1 int64
		if err := h.DB.W.QueryRow(`SELECT id FROM employees WHERE email = 'admin@makassarkota.go.id'`).Scan(&admin1); err != nil {
			t.Fatal(err)
		}
		dbtest.Enrolment(t, h.DB, event, admin1, "completed")
		if _, err := h.DB.W.Exec(`UPDATE events SET finished_at = $1 WHERE id = $2`, time.Now().UTC(), event); err != nil {
			t.Fatal(err)
		}
		issued, err := h.Svc.Certs.Issue(context.Background(), admin, event)
		if err != nil {
			t.Fatal(err)
		}
		// Activity 1 and an event to enrol in: event 1 and enrolment 1 (above)
		// answer the training's GETs by {id}.
		activity, err := h.Svc.Training.CreateActivity(context.Background(), admin, training.ActivityInput{Kind: "bimtek",
			Title: "Bimtek SIMPEG", JP: 8})
		if err != nil {
			t.Fatal(err)
		}
		scheduled, err := h.Svc.Training.CreateEvent(context.Background(), admin, training.EventInput{ActivityID: &activity.ID,
			StartsAt: start, EndsAt: start.Add(8 * time.Hour), Capacity: 20})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.Svc.Training.Enrol(context.Background(), admin, scheduled.ID, 1); err != nil {
			t.Fatal(err)
		}
		// Learning path 1 and mentoring assignment 1 (a trainer of agency 1
		// mentoring person 1).
		if _, err := h.Svc.Paths.Create(context.Background(), policy.SystemActor("test"),
			paths.Input{Title: "Operator SIPD baru", Open: true}); err != nil {
			t.Fatal(err)
		}
		h.User(t, "pelatih@makassarkota.go.id", "Pelatih Kominfo", "trainer", "KOMINFO")
		if _, err := h.Svc.Mentoring.Assign(context.Background(), policy.SystemActor("test"), mentoring.AssignInput{
			AgencyID: 1, MentorAccountID: h.AccountID(t, "pelatih@makassarkota.go.id"), EmployeeID: 1}); err != nil {
			t.Fatal(err)
		}
		// Announcement 1, regulation 1, review 1 with follow-up 1 (leadership).
		if _, err := h.Svc.Leadership.Post(context.Background(), admin, leadership.AnnouncementInput{Title: "Bimtek",
			Body: "Hadir", AgencyIDs: []int64{1}}); err != nil {
			t.Fatal(err)
		}
		if _, err := h.Svc.Leadership.CreateRegulation(context.Background(), admin, leadership.RegulationInput{Kind: "perwali",
			Number: "7/2026", Title: "Manajemen pengetahuan", SignedOn: "2026-01-05", InForceFrom: "2026-01-05"}); err != nil {
			t.Fatal(err)
		}
		review, err := h.Svc.Leadership.CreateReview(context.Background(), admin, leadership.ReviewInput{AgencyID: 1,
			Period: "2026-Q3", Title: "Monev"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.Svc.Leadership.AddFollowUp(context.Background(), admin, review.ID, leadership.FollowUpInput{
			Action: "Latih operator", AssigneeID: admin1, DueOn: "2026-12-31"}); err != nil {
			t.Fatal(err)
		}
		// Idea 1 (for app 1) and lesson 1 (the city's).
		author := &policy.Actor{AccountID: 1, EmployeeID: admin1, Name: "Andi Admin", Grants: admin.Grants}
		if _, err := h.Svc.Ideas.Create(context.Background(), author, ideas.Input{AppID: &app.ID, Title: "Ekspor ke Excel"}); err != nil {
			t.Fatal(err)
		}
		if _, err := h.Svc.Lessons.Create(context.Background(), author, lessons.Input{Kind: lessons.KindIncident,
			Title: "SIMPEG padam", Happened: "Sertifikat kedaluwarsa.", Learned: "Pantau masa berlakunya."}); err != nil {
			t.Fatal(err)
		}
		// Survey campaign 1, closed, for the survey's GETs by {id}.
		dbtest.LOCampaign(t, h.DB, "2026-Q2", time.Now().Add(-time.Hour), map[int64][]int{1: {5, 4, 6, 5, 5}})
		// Learning target 1, the city's.
		if _, err := h.Svc.Targets.Create(context.Background(), policy.SystemActor("test"),
			targets.Input{Period: time.Now().Format("2006"), Metric: targets.MetricSLA}); err != nil {
			t.Fatal(err)
		}
		// Outbox message 1, for the delivery admin's GET by {id}.
		if err := outbox.Enqueue(context.Background(), h.DB.W, outbox.Message{Channel: outbox.SMS, Address: "+6281234567890",
			Kind: "page", Body: "Tiket mendesak"}); err != nil {
			t.Fatal(err)
		}
		checkAgainstDoc(t, h, token, map[string]string{"id": fmt.Sprint(app.ID), "number": ticket.Number,
			"attachment_id": fmt.Sprint(ticket.Attachments[0].ID), "version": "1", "code": issued.Certificates[0].Code})
	})
}
