package discuss

import (
	"context"
	"database/sql"
	"fmt"
	"html/template"
	"regexp"
	"strconv"
	"strings"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/markdown"
	"github.com/lontara-id/lontara/internal/notify"
	"github.com/lontara-id/lontara/internal/policy"
)

// mentionRE finds @handles: an @ not inside a word or an email address,
// then the handle (letters, digits, dots, hyphens, underscores; not ending
// in a dot, so "@nur.aini." at the end of a sentence is @nur.aini).
var mentionRE = regexp.MustCompile(`(^|[^\p{L}\p{N}_.@/\[])@([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)`)

// maxMentions bounds the handles looked up for one text.
const maxMentions = 30

// handlesIn returns the distinct handles mentioned in the bodies (outside
// code), lowercased.
func handlesIn(bodies ...string) []string {
	seen := map[string]bool{}
	var list []string
	for _, body := range bodies {
		outsideCode(body, func(text string) string {
			for _, m := range mentionRE.FindAllStringSubmatch(text, -1) {
				h := strings.ToLower(m[2])
				if !seen[h] && len(list) < maxMentions {
					seen[h] = true
					list = append(list, h)
				}
			}
			return text
		})
	}
	return list
}

// outsideCode rewrites the parts of Markdown body that are not code (not
// in a fenced block, an indented line or a `span`) with fn: an @ in code
// is code, not a mention.
func outsideCode(body string, fn func(string) string) string {
	lines := strings.SplitAfter(body, "\n")
	fenced := false
	for i, line := range lines {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~") {
			fenced = !fenced
			continue
		}
		if fenced || strings.HasPrefix(line, "    ") || strings.HasPrefix(line, "\t") {
			continue
		}
		parts := strings.Split(line, "`")
		for j := 0; j < len(parts); j += 2 {
			parts[j] = fn(parts[j])
		}
		if n := len(parts); n%2 == 0 {
			parts[n-1] = fn(parts[n-1]) // after an unclosed backtick: plain text
		}
		lines[i] = strings.Join(parts, "`")
	}
	return strings.Join(lines, "")
}

// resolveHandles finds the people behind handles: active accounts whose
// email's local part is the handle. A handle two people share names no one
// (it cannot be told which was meant).
func resolveHandles(ctx context.Context, q db.Querier, handles []string) (map[string]Author, error) {
	found := map[string]Author{}
	if len(handles) == 0 {
		return found, nil
	}
	var ors []string
	var args []any
	for _, h := range handles {
		args = append(args, db.EscapeLike(h)+"@%")
		ors = append(ors, fmt.Sprintf(`LOWER(e.email) LIKE $%d ESCAPE '\'`, len(args)))
	}
	rows, err := q.QueryContext(ctx, `SELECT a.id, e.id, e.name, e.email FROM accounts a
		JOIN employees e ON e.id = a.employee_id
		WHERE a.active = TRUE AND e.active = TRUE AND (`+strings.Join(ors, " OR ")+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("discuss: mentions: %w", err)
	}
	defer rows.Close()
	shared := map[string]bool{}
	for rows.Next() {
		var a Author
		var email string
		if err := rows.Scan(&a.ID, &a.EmployeeID, &a.Name, &email); err != nil {
			return nil, fmt.Errorf("discuss: mentions: %w", err)
		}
		a.Handle = handleOf(email)
		if _, dup := found[a.Handle]; dup {
			shared[a.Handle] = true
		}
		found[a.Handle] = a
	}
	for h := range shared {
		delete(found, h)
	}
	return found, rows.Err()
}

// linkMentions turns the known handles in body into Markdown links to the
// person's page, before the Markdown is rendered.
func linkMentions(body string, people map[string]Author) string {
	if len(people) == 0 {
		return body
	}
	return outsideCode(body, func(text string) string {
		return mentionRE.ReplaceAllStringFunc(text, func(m string) string {
			sub := mentionRE.FindStringSubmatch(m)
			a, ok := people[strings.ToLower(sub[2])]
			if !ok {
				return m
			}
			return sub[1] + "[@" + sub[2] + "](/pegawai/" + strconv.FormatInt(a.EmployeeID, 10) + ")"
		})
	})
}

// render turns a post's Markdown into safe HTML with its mentions linked.
func render(ctx context.Context, q db.Querier, body string) template.HTML {
	people, err := resolveHandles(ctx, q, handlesIn(body))
	if err != nil {
		people = nil // the text without links is still the text
	}
	return markdown.Render(linkMentions(body, people))
}

// renderAll renders posts' bodies with one lookup of their mentions.
func renderAll(ctx context.Context, q db.Querier, posts []Post) error {
	bodies := make([]string, len(posts))
	for i, p := range posts {
		bodies[i] = p.Body
	}
	people, err := resolveHandles(ctx, q, handlesIn(bodies...))
	if err != nil {
		return err
	}
	for i := range posts {
		if posts[i].Body != "" {
			posts[i].HTML = markdown.Render(linkMentions(posts[i].Body, people))
		}
	}
	return nil
}

// loadActor builds the actor an account would be, to ask the rules
// whether a person to be told may read a space. Nil for an inactive one.
func loadActor(ctx context.Context, q db.Querier, accountID int64) (*policy.Actor, error) {
	a := &policy.Actor{AccountID: accountID}
	var active bool
	err := q.QueryRowContext(ctx, `SELECT e.id, e.agency_id, a.active AND e.active FROM accounts a
		JOIN employees e ON e.id = a.employee_id WHERE a.id = $1`, accountID).Scan(&a.EmployeeID, &a.AgencyID, &active)
	if err == sql.ErrNoRows || (err == nil && !active) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("discuss: account %d: %w", accountID, err)
	}
	rows, err := q.QueryContext(ctx, `SELECT role, agency_id, app_id FROM role_grants WHERE account_id = $1`, accountID)
	if err != nil {
		return nil, fmt.Errorf("discuss: grants of %d: %w", accountID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var g policy.Grant
		var agency, app sql.NullInt64
		if err := rows.Scan(&g.Role, &agency, &app); err != nil {
			return nil, fmt.Errorf("discuss: grants of %d: %w", accountID, err)
		}
		g.AgencyID, g.AppID = agency.Int64, app.Int64
		a.Grants = append(a.Grants, g)
	}
	return a, rows.Err()
}

// mayRead reports whether account may read sp now.
func mayRead(ctx context.Context, q db.Querier, accountID int64, sp Space) (bool, error) {
	a, err := loadActor(ctx, q, accountID)
	if err != nil || a == nil {
		return false, err
	}
	return CanRead(ctx, q, a, sp)
}

// tell notifies, in the transaction of the post p: the people p mentions
// (discuss.mention) and the followers given (kind), each once, never the
// writer, and only those who may read the space.
func (s *Service) tell(ctx context.Context, tx *sql.Tx, actor *policy.Actor, sp Space, t Thread, p Post, followers []int64, kind string) error {
	people, err := resolveHandles(ctx, tx, handlesIn(p.Body))
	if err != nil {
		return err
	}
	told := map[int64]bool{actor.AccountID: true}
	var msgs []notify.Message
	add := func(account int64, kind string, args ...string) error {
		if told[account] {
			return nil
		}
		told[account] = true
		ok, err := mayRead(ctx, tx, account, sp)
		if err != nil || !ok {
			return err
		}
		msgs = append(msgs, notify.Message{AccountID: account, Kind: kind, Args: args, Link: ThreadLink(t.ID, p.ID)})
		return nil
	}
	for _, h := range handlesIn(p.Body) {
		if a, ok := people[h]; ok {
			if err := add(a.ID, "discuss.mention", p.Author.Name, t.Title); err != nil {
				return err
			}
		}
	}
	for _, id := range followers {
		if err := add(id, kind, p.Author.Name, t.Title, sp.Name); err != nil {
			return err
		}
	}
	return notify.Send(ctx, tx, msgs...)
}
