package dashboard

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/loindex"
	"github.com/lontara-id/lontara/internal/period"
	"github.com/lontara-id/lontara/internal/tabular"
	"github.com/lontara-id/lontara/internal/web"
)

// contributionsPage is what /dasbor/opd/{id}/kontribusi shows: the people
// behind the accepted answers and the articles behind the published ones
// that an agency's index counts, the figures no other page lists by
// agency and period.
type contributionsPage struct {
	page
	Name  string
	Index loindex.Index
	Back  string
}

func (h *Handler) contributions(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	ctx, actor, lang := r.Context(), web.Actor(r), web.Lang(r)
	data := contributionsPage{page: h.page(r, "", "")}
	p, err := h.period(r)
	if err == nil {
		data.Index, err = h.idx.Index(ctx, actor, id, p) // the right to read the agency's figures
	}
	if err != nil {
		if errs.CodeOf(err) == errs.Invalid {
			web.RenderForm(w, r, "dashboard/contributions", "dashboard.title", data, err)
			return
		}
		web.Fail(w, r, err)
		return
	}
	names, err := h.idx.Names(ctx)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	data.page = h.page(r, p.Label, "")
	data.Name, data.Back = names[id], Link(id)+"?period="+p.Label
	answers, err := h.answerers(ctx, lang, id, p)
	if err == nil {
		var articles linked
		if articles, err = h.articles(ctx, lang, id, p); err == nil {
			data.TablesHTML, err = html([]linked{answers, articles})
		}
	}
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "dashboard/contributions", "dashboard.title", data)
}

// answerers are the agency's people whose answers the askers accepted in
// p, with how many: counted as the index counts them (loindex
// loadDiscussion). People, not threads, are listed, since a thread may
// sit in a space the reader does not belong to. Planned for its agency
// and period (db.Planned): from an agency's people the accepted answers are
// few, where a plan made without them starts from every post of the period
// (at ministry scale 17 ms, then 35 ms from the sixth view on).
func (h *Handler) answerers(ctx context.Context, lang string, agency int64, p period.Period) (linked, error) {
	c := cells{tabular.Format{Lang: lang}}
	l := linked{T: tabular.Table{ID: "dashboard_answerers", Title: c.t("dashboard.contrib.answers"),
		Header: []string{c.t("dashboard.col.person"), c.t("dashboard.col.accepted")}}}
	rows, err := h.db.Replica.QueryContext(ctx, `SELECT e.id, e.name, count(*)
		FROM threads t JOIN posts p ON p.id = t.accepted_post_id
		JOIN accounts ac ON ac.id = p.author_account_id JOIN employees e ON e.id = ac.employee_id
		WHERE p.author_account_id <> t.author_account_id AND p.hidden_at IS NULL
		AND p.created_at >= $1 AND p.created_at < $2 AND e.agency_id = $3
		GROUP BY e.id, e.name ORDER BY count(*) DESC, e.name`, h.db.Planned(p.Start.UTC(), p.End.UTC(), agency)...)
	if err != nil {
		return l, fmt.Errorf("dashboard: answerers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		var n int
		if err := rows.Scan(&id, &name, &n); err != nil {
			return l, fmt.Errorf("dashboard: answerers: %w", err)
		}
		l.T.Rows = append(l.T.Rows, []tabular.Cell{c.Text(name), c.Int(n)})
		l.Links = append(l.Links, []string{fmt.Sprintf("/pegawai/%d", id)})
	}
	return l, rows.Err()
}

// articles are the published articles of the agency's people first
// published in p, as the index counts them.
func (h *Handler) articles(ctx context.Context, lang string, agency int64, p period.Period) (linked, error) {
	c := cells{tabular.Format{Lang: lang}}
	l := linked{T: tabular.Table{ID: "dashboard_articles", Title: c.t("dashboard.contrib.articles"),
		Header: []string{c.t("dashboard.col.article"), c.t("dashboard.col.author"), c.t("dashboard.col.published")}}}
	rows, err := h.db.Replica.QueryContext(ctx, `SELECT a.id, a.title, e.id, e.name, ev.created_at
		FROM articles a JOIN accounts ac ON ac.id = a.author_account_id JOIN employees e ON e.id = ac.employee_id
		JOIN article_events ev ON ev.article_id = a.id AND ev.to_status = 'published'
		WHERE a.status = 'published' AND e.agency_id = $3 AND ev.created_at >= $1 AND ev.created_at < $2
		AND NOT EXISTS (SELECT 1 FROM article_events o WHERE o.article_id = a.id AND o.to_status = 'published'
			AND (o.created_at < ev.created_at OR (o.created_at = ev.created_at AND o.id < ev.id)))
		ORDER BY ev.created_at DESC, a.id DESC`, p.Start.UTC(), p.End.UTC(), agency)
	if err != nil {
		return l, fmt.Errorf("dashboard: articles: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, author int64
		var title, name string
		var at time.Time
		if err := rows.Scan(&id, &title, &author, &name, &at); err != nil {
			return l, fmt.Errorf("dashboard: articles: %w", err)
		}
		day := at.In(p.Start.Location()).Format("2006-01-02")
		l.T.Rows = append(l.T.Rows, []tabular.Cell{c.Text(title), c.Text(name), c.Text(day)})
		l.Links = append(l.Links, []string{fmt.Sprintf("/pengetahuan/%d", id), fmt.Sprintf("/pegawai/%d", author)})
	}
	return l, rows.Err()
}
