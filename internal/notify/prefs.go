package notify

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/audit"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/outbox"
	"github.com/lontara-id/lontara/internal/policy"
)

// Choice is a person's channels for one topic.
type Choice struct {
	Topic    string `json:"topic"`
	Email    bool   `json:"email"`
	SMS      bool   `json:"sms"`
	WhatsApp bool   `json:"whatsapp"`
}

// On reports whether the choice takes channel.
func (c Choice) On(channel string) bool {
	switch channel {
	case outbox.Email:
		return c.Email
	case outbox.SMS:
		return c.SMS
	case outbox.WhatsApp:
		return c.WhatsApp
	}
	return false
}

func (c *Choice) set(channel string, on bool) {
	switch channel {
	case outbox.Email:
		c.Email = on
	case outbox.SMS:
		c.SMS = on
	case outbox.WhatsApp:
		c.WhatsApp = on
	}
}

// ChannelState says whether a channel can reach the person now: the
// deployment has it configured (Active) and the person has an address for
// it (Reachable). A choice of a channel that cannot is kept, and applies
// once it can.
type ChannelState struct {
	Channel   string `json:"channel"`
	Active    bool   `json:"active"`
	Reachable bool   `json:"reachable"`
}

// Preferences are a person's choices of channels per topic and their
// quiet hours, with where the channels reach them. The in-app inbox always
// receives, whatever the choices.
type Preferences struct {
	Topics []Choice `json:"topics"`
	// QuietHours delay SMS and WhatsApp (never email, never a page) until
	// they end, in the city's time; nil is none.
	QuietHours *Quiet `json:"quiet_hours"`
	// Email and Phone are where the channels go: the person's employee
	// record, which their agency admin keeps. Read only.
	Email    string         `json:"email"`
	Phone    string         `json:"phone"`
	Channels []ChannelState `json:"channels"`
}

// Prefs keeps each person's notification preferences. Like the inbox they
// are their owner's alone: every query is bound to the caller's account.
type Prefs struct{ db *db.DB }

// NewPrefs returns the preferences over d.
func NewPrefs(d *db.DB) *Prefs { return &Prefs{db: d} }

// Get returns the caller's preferences: every topic of Topics, its
// defaults where the person has not chosen.
func (p *Prefs) Get(ctx context.Context, actor *policy.Actor) (Preferences, error) {
	account, err := reader(actor)
	if err != nil {
		return Preferences{}, err
	}
	return load(ctx, p.db.R, account)
}

// Set replaces the caller's preferences with in's topics (a topic left out
// goes back to its defaults) and quiet hours, in one transaction with its
// audit record. Only choices that differ from a topic's defaults are
// stored, so a default changed later reaches everyone who did not choose.
func (p *Prefs) Set(ctx context.Context, actor *policy.Actor, in Preferences) (Preferences, error) {
	account, err := reader(actor)
	if err != nil {
		return Preferences{}, err
	}
	choices, quiet, err := check(in)
	if err != nil {
		return Preferences{}, err
	}
	var out Preferences
	err = p.db.Tx(ctx, func(tx *sql.Tx) error {
		// Two saves at once (a double-clicked button) take turns on the
		// account's row: on PostgreSQL the second one's DELETE would not
		// see the first one's rows and its INSERT would collide with them.
		if err := db.HoldRow(ctx, tx, "accounts", account); err != nil {
			return fmt.Errorf("notify: %w", err)
		}
		before, err := load(ctx, tx, account)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM notify_prefs WHERE account_id = $1`, account); err != nil {
			return fmt.Errorf("notify: clear choices: %w", err)
		}
		for _, c := range choices {
			for _, ch := range outbox.Channels {
				if c.On(ch) == topicDefault(c.Topic, ch) {
					continue
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO notify_prefs (account_id, topic, channel, enabled)
					VALUES ($1, $2, $3, $4)`, account, c.Topic, ch, c.On(ch)); err != nil {
					return fmt.Errorf("notify: store choice: %w", err)
				}
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM notify_quiet WHERE account_id = $1`, account); err != nil {
			return fmt.Errorf("notify: clear quiet hours: %w", err)
		}
		if quiet != nil {
			if _, err := tx.ExecContext(ctx, `INSERT INTO notify_quiet (account_id, starts, ends) VALUES ($1, $2, $3)`,
				account, quiet.Starts, quiet.Ends); err != nil {
				return fmt.Errorf("notify: store quiet hours: %w", err)
			}
		}
		if out, err = load(ctx, tx, account); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, audit.Entry{Action: "update", Entity: "notify_prefs", EntityID: account,
			AgencyID: actor.AgencyID, Before: auditView(before), After: auditView(out)})
	})
	return out, err
}

// auditView is what the audit log keeps of preferences: the choices and
// quiet hours, not the addresses (they are the employee record's).
func auditView(p Preferences) any {
	return struct {
		Topics     []Choice `json:"topics"`
		QuietHours *Quiet   `json:"quiet_hours"`
	}{p.Topics, p.QuietHours}
}

// check validates in: known topics, each at most once, in Topics' order
// with the missing ones at their defaults; quiet hours as HH:MM (also
// 22.00, as Indonesians write it), both or neither, not equal.
func check(in Preferences) ([]Choice, *Quiet, error) {
	var v errs.Validation
	given := map[string]Choice{}
	for _, c := range in.Topics {
		switch _, dup := given[c.Topic]; {
		case !knownTopic(c.Topic):
			v.Add("topics", "notify.prefs.topic", c.Topic)
		case dup:
			v.Add("topics", "notify.prefs.topic_twice", c.Topic)
		}
		given[c.Topic] = c
	}
	choices := make([]Choice, len(Topics))
	for i, t := range Topics {
		c, ok := given[t.Key]
		if !ok {
			c = defaultChoice(t.Key)
		}
		choices[i] = c
	}
	var quiet *Quiet
	if q := in.QuietHours; q != nil && (strings.TrimSpace(q.Starts) != "" || strings.TrimSpace(q.Ends) != "") {
		starts, okS := hhmm(q.Starts)
		ends, okE := hhmm(q.Ends)
		if !okS {
			v.Add("quiet_starts", "notify.prefs.clock")
		}
		if !okE {
			v.Add("quiet_ends", "notify.prefs.clock")
		}
		if okS && okE && starts == ends {
			v.Add("quiet_ends", "notify.prefs.quiet_same")
		}
		quiet = &Quiet{Starts: starts, Ends: ends}
	}
	if err := v.Err(); err != nil {
		return nil, nil, err
	}
	return choices, quiet, nil
}

// hhmm reads a time of day as "HH:MM", accepting "7:00" and "22.00".
func hhmm(s string) (string, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ".", ":")
	t, err := time.Parse("15:04", s)
	if err != nil {
		return "", false
	}
	return t.Format("15:04"), true
}

func knownTopic(key string) bool {
	for _, t := range Topics {
		if t.Key == key {
			return true
		}
	}
	return false
}

// defaultChoice is a topic's channels by default.
func defaultChoice(topic string) Choice {
	c := Choice{Topic: topic}
	for _, ch := range outbox.Channels {
		c.set(ch, topicDefault(topic, ch))
	}
	return c
}

// load reads account's preferences in q.
func load(ctx context.Context, q db.Querier, account int64) (Preferences, error) {
	var p Preferences
	var starts, ends sql.NullString
	err := q.QueryRowContext(ctx, `SELECT COALESCE(e.email, ''), COALESCE(e.phone, ''), qh.starts, qh.ends
		FROM accounts a LEFT JOIN employees e ON e.id = a.employee_id
		LEFT JOIN notify_quiet qh ON qh.account_id = a.id WHERE a.id = $1`, account).
		Scan(&p.Email, &p.Phone, &starts, &ends)
	if errors.Is(err, sql.ErrNoRows) {
		return p, errs.New(errs.NotFound, "not_found")
	}
	if err != nil {
		return p, fmt.Errorf("notify: preferences: %w", err)
	}
	if starts.Valid && starts.String != ends.String {
		p.QuietHours = &Quiet{Starts: starts.String, Ends: ends.String}
	}
	chosen := map[[2]string]bool{}
	rows, err := q.QueryContext(ctx, `SELECT topic, channel, enabled FROM notify_prefs WHERE account_id = $1`, account)
	if err != nil {
		return p, fmt.Errorf("notify: choices: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var topic, channel string
		var on bool
		if err := rows.Scan(&topic, &channel, &on); err != nil {
			return p, fmt.Errorf("notify: choices: %w", err)
		}
		chosen[[2]string{topic, channel}] = on
	}
	if err := rows.Err(); err != nil {
		return p, fmt.Errorf("notify: choices: %w", err)
	}
	for _, t := range Topics {
		c := defaultChoice(t.Key)
		for _, ch := range outbox.Channels {
			if on, ok := chosen[[2]string{t.Key, ch}]; ok {
				c.set(ch, on)
			}
		}
		p.Topics = append(p.Topics, c)
	}
	for _, ch := range outbox.Channels {
		addr := p.Phone
		if ch == outbox.Email {
			addr = p.Email
		}
		p.Channels = append(p.Channels, ChannelState{Channel: ch, Active: outbox.Active(ch), Reachable: addr != ""})
	}
	return p, nil
}
