package paths

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/markdown"
	"github.com/lontara-id/lontara/internal/policy"
)

var errNotFound = errs.New(errs.NotFound, "paths.not_found")

const pathColumns = `p.id, p.title, p.description, p.agency_id, COALESCE(a.name, ''), p.open, p.created_at,
	(SELECT COUNT(*) FROM learning_path_members m WHERE m.path_id = p.id)`

func scanPath(row interface{ Scan(...any) error }) (Path, error) {
	var p Path
	err := row.Scan(&p.ID, &p.Title, &p.Description, &p.AgencyID, &p.AgencyName, &p.Open, &p.CreatedAt, &p.Members)
	p.CreatedAt = p.CreatedAt.UTC()
	return p, err
}

// load reads a path in service (not retired), without its steps.
func load(ctx context.Context, q db.Querier, id int64) (Path, error) {
	p, err := scanPath(q.QueryRowContext(ctx, `SELECT `+pathColumns+` FROM learning_paths p
		LEFT JOIN agencies a ON a.id = p.agency_id WHERE p.id = $1 AND p.retired_at IS NULL`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Path{}, errNotFound
	}
	if err != nil {
		return Path{}, fmt.Errorf("paths: load %d: %w", id, err)
	}
	return p, nil
}

// loadSteps reads the steps of path id in order.
func loadSteps(ctx context.Context, q db.Querier, id int64) ([]Step, error) {
	rows, err := q.QueryContext(ctx, `SELECT a.id, a.kind, a.title, a.jp FROM learning_path_steps s
		JOIN activities a ON a.id = s.activity_id WHERE s.path_id = $1 ORDER BY s.position`, id)
	if err != nil {
		return nil, fmt.Errorf("paths: steps of %d: %w", id, err)
	}
	defer rows.Close()
	steps := []Step{}
	for rows.Next() {
		var st Step
		if err := rows.Scan(&st.ActivityID, &st.Kind, &st.Title, &st.JP); err != nil {
			return nil, fmt.Errorf("paths: steps of %d: %w", id, err)
		}
		steps = append(steps, st)
	}
	return steps, rows.Err()
}

// finished is the activities each person has finished, from the ledger:
// a record names its activity, or its event does. Rows: employee_id,
// activity_id. The caller adds conditions on lr.employee_id.
const finished = `SELECT DISTINCT lr.employee_id AS employee_id, COALESCE(lr.activity_id, ev.activity_id) AS activity_id FROM learning_records lr
	LEFT JOIN events ev ON ev.id = lr.event_id WHERE COALESCE(lr.activity_id, ev.activity_id) IS NOT NULL AND `

// doneBy returns, for each person of people, the activities of path id
// they finished: one query for the lot.
func doneBy(ctx context.Context, q db.Querier, id int64, people []int64) (map[int64]map[int64]bool, error) {
	out := map[int64]map[int64]bool{}
	if len(people) == 0 {
		return out, nil
	}
	args := []any{id}
	marks := make([]string, len(people))
	for i, p := range people {
		args = append(args, p)
		marks[i] = "$" + strconv.Itoa(i+2)
	}
	rows, err := q.QueryContext(ctx, `SELECT f.employee_id, f.activity_id FROM (`+finished+
		`lr.employee_id IN (`+strings.Join(marks, ", ")+`)) f
		JOIN learning_path_steps s ON s.path_id = $1 AND s.activity_id = f.activity_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("paths: progress on %d: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var person, activity int64
		if err := rows.Scan(&person, &activity); err != nil {
			return nil, fmt.Errorf("paths: progress on %d: %w", id, err)
		}
		if out[person] == nil {
			out[person] = map[int64]bool{}
		}
		out[person][activity] = true
	}
	return out, rows.Err()
}

// Get reads path id with its steps, marked done for the reader, and the
// reader's progress when they follow it. Every signed-in person may read
// the catalogue of paths.
func (s *Service) Get(ctx context.Context, actor *policy.Actor, id int64) (Path, error) {
	if actor == nil {
		return Path{}, errs.New(errs.Unauthorized, "unauthorized")
	}
	p, err := load(ctx, s.db.R, id)
	if err != nil {
		return Path{}, err
	}
	if p.Steps, err = loadSteps(ctx, s.db.R, id); err != nil {
		return Path{}, err
	}
	p.HTML = markdown.Render(p.Description)
	p.CanManage = policy.Can(actor, policy.ActivityManage, policy.Target{AgencyID: agencyOf(p.AgencyID)})
	if actor.EmployeeID == 0 {
		return p, nil
	}
	done, err := doneBy(ctx, s.db.R, id, []int64{actor.EmployeeID})
	if err != nil {
		return Path{}, err
	}
	for i := range p.Steps {
		p.Steps[i].Done = done[actor.EmployeeID][p.Steps[i].ActivityID]
	}
	var source string
	err = s.db.R.QueryRowContext(ctx, `SELECT source FROM learning_path_members WHERE path_id = $1 AND employee_id = $2`,
		id, actor.EmployeeID).Scan(&source)
	if err == nil {
		prog := progress(Progress{EmployeeID: actor.EmployeeID, Source: source}, p.Steps, done[actor.EmployeeID])
		p.Mine = &prog
	} else if !errors.Is(err, sql.ErrNoRows) {
		return Path{}, fmt.Errorf("paths: membership: %w", err)
	}
	return p, nil
}

// progress fills in a person's count of done steps.
func progress(pr Progress, steps []Step, done map[int64]bool) Progress {
	pr.Total, pr.DoneIDs = len(steps), []int64{}
	for _, st := range steps {
		if done[st.ActivityID] {
			pr.Done++
			pr.DoneIDs = append(pr.DoneIDs, st.ActivityID)
		}
	}
	if pr.Total > 0 {
		pr.Percent = pr.Done * 100 / pr.Total
	}
	return pr
}

// Summary is a path in the catalogue: its size and the reader's progress.
type Summary struct {
	ID         int64  `json:"id"`
	Title      string `json:"title"`
	AgencyName string `json:"agency_name,omitempty"`
	Open       bool   `json:"open"`
	Steps      int    `json:"steps"`
	JP         int    `json:"jp"`
	Members    int    `json:"members"`
	Following  bool   `json:"following"`
	Done       int    `json:"done"`
}

// List reads the catalogue of paths in service by title, with the reader's
// progress on those they follow; mine keeps only those.
func (s *Service) List(ctx context.Context, actor *policy.Actor, mine bool, page db.Page) ([]Summary, string, error) {
	if actor == nil {
		return nil, "", errs.New(errs.Unauthorized, "unauthorized")
	}
	args := []any{actor.EmployeeID}
	conds := []string{"p.retired_at IS NULL"}
	if mine {
		conds = append(conds, "m.employee_id IS NOT NULL")
	}
	if page.After != "" {
		var title string
		var id int64
		if err := db.ParseCursor(page.After, &title, &id); err != nil {
			return nil, "", err
		}
		args = append(args, title, id)
		conds = append(conds, "(p.title > $2 OR (p.title = $2 AND p.id > $3))")
	}
	size := page.Size()
	args = append(args, size+1)
	rows, err := s.db.R.QueryContext(ctx, `SELECT p.id, p.title, COALESCE(a.name, ''), p.open,
		(SELECT COUNT(*) FROM learning_path_steps s WHERE s.path_id = p.id),
		(SELECT COALESCE(SUM(x.jp), 0) FROM learning_path_steps s JOIN activities x ON x.id = s.activity_id WHERE s.path_id = p.id),
		(SELECT COUNT(*) FROM learning_path_members c WHERE c.path_id = p.id),
		m.employee_id IS NOT NULL
		FROM learning_paths p LEFT JOIN agencies a ON a.id = p.agency_id
		LEFT JOIN learning_path_members m ON m.path_id = p.id AND m.employee_id = $1
		WHERE `+strings.Join(conds, " AND ")+` ORDER BY p.title, p.id LIMIT $`+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, "", fmt.Errorf("paths: list: %w", err)
	}
	defer rows.Close()
	list := []Summary{}
	for rows.Next() {
		var sm Summary
		if err := rows.Scan(&sm.ID, &sm.Title, &sm.AgencyName, &sm.Open, &sm.Steps, &sm.JP, &sm.Members, &sm.Following); err != nil {
			return nil, "", fmt.Errorf("paths: list: %w", err)
		}
		list = append(list, sm)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("paths: list: %w", err)
	}
	next := ""
	if len(list) > size {
		list = list[:size]
		next = db.Cursor(list[size-1].Title, list[size-1].ID)
	}
	return list, next, s.countDone(ctx, actor.EmployeeID, list)
}

// countDone fills in the reader's done steps on the paths they follow, in
// one query.
func (s *Service) countDone(ctx context.Context, person int64, list []Summary) error {
	if person == 0 || len(list) == 0 {
		return nil
	}
	rows, err := s.db.R.QueryContext(ctx, `SELECT s.path_id, COUNT(*) FROM learning_path_steps s
		JOIN (`+finished+`lr.employee_id = $1) f ON f.activity_id = s.activity_id
		JOIN learning_path_members m ON m.path_id = s.path_id AND m.employee_id = $1 GROUP BY s.path_id`, person)
	if err != nil {
		return fmt.Errorf("paths: progress: %w", err)
	}
	defer rows.Close()
	done := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return fmt.Errorf("paths: progress: %w", err)
		}
		done[id] = n
	}
	for i := range list {
		list[i].Done = done[list[i].ID]
	}
	return rows.Err()
}
