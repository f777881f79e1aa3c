package helpdesk

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/knowledge"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/search"
	"github.com/lontara-id/lontara/internal/tabular"
)

// maxSuggestions is how many articles the "Minta bantuan" form offers.
const maxSuggestions = 5

// Suggestion is a published article offered while a ticket is written.
// The form opens it by posting its ID as "artikel" to /bantuan/saran,
// which counts it as self-service and sends the reader to URL.
type Suggestion struct {
	ID      string        `json:"id"`
	Title   string        `json:"title"`
	Snippet template.HTML `json:"snippet"` // escaped, matched words in <mark>
	URL     string        `json:"url"`     // the article's page
}

// Suggest returns the published articles matching what the person has
// written so far on the "Minta bantuan" form (title and description),
// those about the application chosen (appID, 0: none) first.
func (s *Service) Suggest(ctx context.Context, actor *policy.Actor, text string, appID int64) ([]Suggestion, error) {
	if actor == nil {
		return nil, errs.New(errs.Unauthorized, "unauthorized")
	}
	found, err := search.NewService(s.db).Suggest(ctx, text, appID, maxSuggestions)
	if err != nil {
		return nil, err
	}
	out := make([]Suggestion, 0, len(found))
	for _, r := range found {
		out = append(out, Suggestion{ID: r.ID, Title: r.Title, Snippet: r.Snippet, URL: r.URL})
	}
	return out, nil
}

// OpenSuggestion records that the actor opened a published article
// suggested on the form, about application appID (0: none): a view of the
// article (knowledge.RecordView, so the article's own count of tickets
// prevented grows) and a self-service row for the report per application.
// If the person files no ticket within knowledge.Window, the problem
// counts as solved by self-service. A second opening within the window is
// the same need and is not recorded again.
func (s *Service) OpenSuggestion(ctx context.Context, actor *policy.Actor, articleID, appID int64) error {
	if actor == nil {
		return errs.New(errs.Unauthorized, "unauthorized")
	}
	var status string
	err := s.db.R.QueryRowContext(ctx, `SELECT status FROM articles WHERE id = $1`, articleID).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && status != knowledge.StatusPublished) {
		return errs.New(errs.NotFound, "article.not_found")
	}
	if err != nil || actor.AccountID == 0 {
		return err // a script or the CLI has no tickets to prevent
	}
	var app *int64
	if appID != 0 {
		if ok, err := exists(ctx, s.db.R, "apps", appID); err != nil {
			return err
		} else if ok {
			app = &appID
		}
	}
	at := now()
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := knowledge.RecordView(ctx, tx, articleID, actor.AccountID, at); err != nil {
			return err
		}
		var open int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM search_self_service WHERE account_id = $1
			AND article_id = $2 AND window_ends_at > $3`, actor.AccountID, articleID, at).Scan(&open); err != nil {
			return fmt.Errorf("helpdesk: self-service: %w", err)
		}
		if open > 0 {
			return nil
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO search_self_service (article_id, account_id, app_id, viewed_at,
			window_ends_at) VALUES ($1, $2, $3, $4, $5)`, articleID, actor.AccountID, app, at, at.Add(knowledge.Window))
		if err != nil {
			return fmt.Errorf("helpdesk: self-service: %w", err)
		}
		return nil
	})
}

// SelfServiceRow is what the suggestions on the "Minta bantuan" form did
// for one application in a period: articles opened from the form, those
// followed by a ticket from the same person within the window, those
// solved (the window closed without one), and those whose window is still
// open.
type SelfServiceRow struct {
	AppID    *int64 `json:"app_id"`
	App      string `json:"app"`
	Opened   int    `json:"opened"`
	Solved   int    `json:"solved"`
	Ticketed int    `json:"ticketed"`
	Waiting  int    `json:"waiting"`
}

// selfService counts the suggestions opened in f's period (by when they
// were opened), per application, for f's agency (the reader's) and
// application; solved ones first.
func (s *Service) selfService(ctx context.Context, f ReportFilter, at time.Time) ([]SelfServiceRow, error) {
	ticketed := `EXISTS (SELECT 1 FROM tickets t WHERE t.reporter_account_id = v.account_id
		AND t.created_at >= v.viewed_at AND t.created_at < v.window_ends_at)`
	args := []any{f.From, f.To, at}
	where := []string{"v.viewed_at >= $1", "v.viewed_at < $2"}
	if f.AppID != nil {
		args = append(args, *f.AppID)
		where = append(where, fmt.Sprintf("v.app_id = $%d", len(args)))
	}
	if f.AgencyID != nil {
		args = append(args, *f.AgencyID)
		where = append(where, fmt.Sprintf(`v.account_id IN (SELECT ac.id FROM accounts ac
			JOIN employees e ON e.id = ac.employee_id WHERE e.agency_id = $%d)`, len(args)))
	}
	rows, err := s.db.Replica.QueryContext(ctx, `SELECT v.app_id, COALESCE(ap.name, ''), count(*),
		SUM(CASE WHEN `+ticketed+` THEN 1 ELSE 0 END),
		SUM(CASE WHEN v.window_ends_at <= $3 AND NOT `+ticketed+` THEN 1 ELSE 0 END)
		FROM search_self_service v LEFT JOIN apps ap ON ap.id = v.app_id
		WHERE `+strings.Join(where, " AND ")+`
		GROUP BY v.app_id, ap.name ORDER BY 5 DESC, 2`, args...)
	if err != nil {
		return nil, fmt.Errorf("helpdesk: self-service report: %w", err)
	}
	defer rows.Close()
	out := []SelfServiceRow{} // [] in the JSON, never null
	for rows.Next() {
		var r SelfServiceRow
		var app sql.NullInt64
		if err := rows.Scan(&app, &r.App, &r.Opened, &r.Ticketed, &r.Solved); err != nil {
			return nil, fmt.Errorf("helpdesk: self-service report: %w", err)
		}
		r.AppID, r.Waiting = idPtr(app), r.Opened-r.Ticketed-r.Solved
		out = append(out, r)
	}
	return out, rows.Err()
}

// selfService is the report's table of problems solved by self-service.
func (w tableWriter) selfService(rows []SelfServiceRow) tabular.Table {
	t := tabular.Table{ID: "self_service", Title: w.t("selfservice.report.title"), Header: []string{w.t("agent.field.app"),
		w.t("selfservice.report.opened"), w.t("selfservice.report.solved"), w.t("selfservice.report.ticketed"),
		w.t("selfservice.report.waiting")}}
	for _, r := range rows {
		name := r.App
		if r.AppID == nil {
			name = w.t("selfservice.report.no_app")
		}
		t.Rows = append(t.Rows, []tabular.Cell{w.Text(name), w.Int(r.Opened), w.Int(r.Solved), w.Int(r.Ticketed), w.Int(r.Waiting)})
	}
	return t
}
