package discuss

import (
	"context"
	"database/sql"
	"fmt"
	"html/template"
	"regexp"
	"slices"
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

// maxMentions bounds the handles looked up for one post.
const maxMentions = 30

// handlesIn returns the distinct handles mentioned in body (outside code),
// lowercased: its first maxMentions.
func handlesIn(body string) []string {
	seen := map[string]bool{}
	var list []string
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

// renderAll renders posts' bodies with one lookup of their mentions,
// each post's first maxMentions handles linked (a post with many does not
// take the links of the posts after it).
func renderAll(ctx context.Context, q db.Querier, posts []Post) error {
	handles := make([][]string, len(posts))
	var all []string
	for i, p := range posts {
		handles[i] = handlesIn(p.Body)
		for _, h := range handles[i] {
			if !slices.Contains(all, h) {
				all = append(all, h)
			}
		}
	}
	people, err := resolveHandles(ctx, q, all)
	if err != nil {
		return err
	}
	for i := range posts {
		if posts[i].Body == "" {
			continue
		}
		mine := map[string]Author{}
		for _, h := range handles[i] {
			if a, ok := people[h]; ok {
				mine[h] = a
			}
		}
		posts[i].HTML = markdown.Render(linkMentions(posts[i].Body, mine))
	}
	return nil
}

// ActorLoader returns the actors accounts are, by account id, read in q
// (auth.ActorsIn): an account no longer active is missing. It reads in the
// acting transaction: on PostgreSQL a transaction waiting for a second
// connection of a busy pool would wait for itself.
type ActorLoader func(ctx context.Context, q db.Querier, accountIDs []int64) (map[int64]*policy.Actor, error)

// MayRead reports whether an account may read sp now, in q: an account no
// longer active may not.
func MayRead(ctx context.Context, q db.Querier, actors ActorLoader, accountID int64, sp Space) (bool, error) {
	readers, err := Readers(ctx, q, actors, []int64{accountID}, sp)
	return readers[accountID], err
}

// Readers returns those of accounts who may read sp now, with a query for
// their actors and one for their places in the space (its members and,
// for a team space, the team's): many people are told in one transaction.
func Readers(ctx context.Context, q db.Querier, load ActorLoader, accounts []int64, sp Space) (map[int64]bool, error) {
	ok := map[int64]bool{}
	if len(accounts) == 0 {
		return ok, nil
	}
	actors, err := load(ctx, q, accounts)
	if err != nil {
		return nil, err
	}
	places, err := placesIn(ctx, q, sp)
	if err != nil {
		return nil, err
	}
	for _, id := range accounts {
		if a := actors[id]; a != nil && policy.Can(a, policy.SpaceRead, targetOf(sp, places[id])) {
			ok[id] = true
		}
	}
	return ok, nil
}

// tell notifies, in the transaction of the post p: the people p mentions
// (discuss.mention) and the followers given (kind), each once, never the
// writer, and only those who may read the space.
func (s *Service) tell(ctx context.Context, tx *sql.Tx, actor *policy.Actor, sp Space, t Thread, p Post, followers []int64, kind string) error {
	people, err := resolveHandles(ctx, tx, handlesIn(p.Body))
	if err != nil {
		return err
	}
	type message struct {
		account int64
		kind    string
		args    []string
	}
	told := map[int64]bool{actor.AccountID: true}
	var pending []message
	var accounts []int64
	add := func(account int64, kind string, args ...string) {
		if !told[account] {
			told[account] = true
			pending = append(pending, message{account, kind, args})
			accounts = append(accounts, account)
		}
	}
	for _, h := range handlesIn(p.Body) {
		if a, ok := people[h]; ok {
			add(a.ID, "discuss.mention", p.Author.Name, t.Title)
		}
	}
	for _, id := range followers {
		add(id, kind, p.Author.Name, t.Title, sp.Name)
	}
	readers, err := Readers(ctx, tx, s.actors, accounts, sp)
	if err != nil {
		return err
	}
	var msgs []notify.Message
	for _, m := range pending {
		if readers[m.account] {
			msgs = append(msgs, notify.Message{AccountID: m.account, Kind: m.kind, Args: m.args, Link: ThreadLink(t.ID, p.ID)})
		}
	}
	return notify.Send(ctx, tx, msgs...)
}

// tellOne notifies one person of a change in sp, if they may still read
// it (one who left a members-only room is not told of its talk).
func (s *Service) tellOne(ctx context.Context, tx *sql.Tx, sp Space, m notify.Message) error {
	ok, err := MayRead(ctx, tx, s.actors, m.AccountID, sp)
	if err != nil || !ok {
		return err
	}
	return notify.Send(ctx, tx, m)
}
