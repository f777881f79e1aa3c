package rollup

// The figures kept, as the LO index counts them (internal/loindex,
// inputs.go, is the full recomputation each is proven equal to). Each
// query answers (agency, n, m, k) for the rows whose moment falls in
// [$2, $3): a day of the city's calendar; $1 is the day's label, which
// the caller's INSERT uses. A figure without a moment is a state, kept
// under the day "".
const (
	Tickets  = "tickets"  // n: filed, m: resolved within the resolution SLA, k: SLA decided without the clock
	JP       = "jp"       // n: JP completed by the agency's active people
	Answers  = "answers"  // n: answers accepted by another asker, written by the agency's people
	Articles = "articles" // n: articles published, by their first publication, written by the agency's people
	Self     = "self"     // n: suggested articles opened with no ticket from that person in the window (closed or not)
	People   = "people"   // n: the agency's active people (a state)
)

type figure struct {
	name   string
	table  string // where the moment is: the rows whose first and last day a rebuild spans
	moment string
	query  string
}

var figures = []figure{
	// k counts the tickets whose resolution SLA is decided whatever the
	// time: resolved, or paused (pending) after their due time passed. A
	// ticket running without a pause is decided by the clock, when it is
	// read (loindex adds those past due).
	{Tickets, "tickets", "created_at", `SELECT COALESCE(agency_id, 0) AS agency, count(*) AS n,
		SUM(CASE WHEN resolved_at IS NOT NULL AND resolved_at <= resolution_due THEN 1 ELSE 0 END) AS m,
		SUM(CASE WHEN resolved_at IS NOT NULL OR resolution_due < pending_since THEN 1 ELSE 0 END) AS k
		FROM tickets WHERE created_at >= $2 AND created_at < $3 GROUP BY agency_id`},
	{JP, "learning_records", "completed_at", `SELECT e.agency_id AS agency, SUM(r.jp) AS n, 0 AS m, 0 AS k
		FROM learning_records r JOIN employees e ON e.id = r.employee_id
		WHERE e.active = TRUE AND r.completed_at >= $2 AND r.completed_at < $3 GROUP BY e.agency_id`},
	{Answers, "posts", "created_at", `SELECT e.agency_id AS agency, count(*) AS n, 0 AS m, 0 AS k
		FROM posts p JOIN threads t ON t.accepted_post_id = p.id
		JOIN accounts ac ON ac.id = p.author_account_id JOIN employees e ON e.id = ac.employee_id
		WHERE p.author_account_id <> t.author_account_id AND p.hidden_at IS NULL
		AND p.created_at >= $2 AND p.created_at < $3 GROUP BY e.agency_id`},
	// An article published in the day whose first publication is not
	// before the day was first published in it.
	{Articles, "article_events", "created_at", `SELECT e.agency_id AS agency, count(*) AS n, 0 AS m, 0 AS k
		FROM articles a JOIN accounts ac ON ac.id = a.author_account_id JOIN employees e ON e.id = ac.employee_id
		WHERE a.status = 'published' AND a.id IN (SELECT article_id FROM article_events
			WHERE to_status = 'published' AND created_at >= $2 AND created_at < $3)
		AND (SELECT MIN(ev.created_at) FROM article_events ev
			WHERE ev.article_id = a.id AND ev.to_status = 'published') >= $2
		GROUP BY e.agency_id`},
	// Every view without a ticket in its window so far; the views whose
	// window has not closed when read are taken off by the reader.
	{Self, "search_self_service", "viewed_at", `SELECT e.agency_id AS agency, count(*) AS n, 0 AS m, 0 AS k
		FROM search_self_service v JOIN accounts ac ON ac.id = v.account_id JOIN employees e ON e.id = ac.employee_id
		WHERE v.viewed_at >= $2 AND v.viewed_at < $3
		AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.reporter_account_id = v.account_id
			AND t.created_at >= v.viewed_at AND t.created_at < v.window_ends_at)
		GROUP BY e.agency_id`},
	{People, "employees", "", `SELECT agency_id AS agency, count(*) AS n, 0 AS m, 0 AS k
		FROM employees WHERE active = TRUE GROUP BY agency_id`},
}

var byName = func() map[string]figure {
	m := map[string]figure{}
	for _, f := range figures {
		m[f.name] = f
	}
	return m
}()
