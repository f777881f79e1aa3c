package notify

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/outbox"
)

// Topic is a group of notification kinds a person chooses channels for:
// the kind's first word ("ticket" for "ticket.replied"). Defaults are the
// channels on for it until the person says otherwise; the in-app inbox
// always receives.
type Topic struct {
	Key      string
	Defaults []string
}

// Topics are every topic, in the order the preferences page shows them.
// Email is on by default everywhere: it costs nothing and does not ring. SMS
// and WhatsApp cost the city money and wake people, so a person turns them
// on (paging the support team on duty does not ask, see Message.Page).
var Topics = []Topic{
	{Key: "ticket", Defaults: []string{outbox.Email}},
	{Key: "announcement", Defaults: []string{outbox.Email}},
	{Key: "followup", Defaults: []string{outbox.Email}},
	{Key: "survey", Defaults: []string{outbox.Email}},
	{Key: "training", Defaults: []string{outbox.Email}},
	{Key: "meeting", Defaults: []string{outbox.Email}},
	{Key: "competency", Defaults: []string{outbox.Email}},
	{Key: "cert", Defaults: []string{outbox.Email}},
	{Key: "paths", Defaults: []string{outbox.Email}},
	{Key: "mentoring", Defaults: []string{outbox.Email}},
	{Key: "article", Defaults: []string{outbox.Email}},
	{Key: "discuss", Defaults: []string{outbox.Email}},
	{Key: "ideas", Defaults: []string{outbox.Email}},
	{Key: "thanks", Defaults: []string{outbox.Email}},
	{Key: "recognition", Defaults: []string{outbox.Email}},
}

// TopicOf returns the topic of a notification kind.
func TopicOf(kind string) string {
	topic, _, _ := strings.Cut(kind, ".")
	return topic
}

// topicDefault reports whether channel is on for topic by default. A kind
// of a topic not in Topics gets email, as every listed topic does.
func topicDefault(topic, channel string) bool {
	for _, t := range Topics {
		if t.Key == topic {
			for _, c := range t.Defaults {
				if c == channel {
					return true
				}
			}
			return false
		}
	}
	return channel == outbox.Email
}

// recipient is what sending to an account needs: where it reads, where it
// is reached, and what it chose.
type recipient struct {
	lang         string
	email, phone string
	quiet        Quiet
	prefs        map[[2]string]bool // {topic, channel} → on
}

// Quiet is a person's quiet hours in the city's time ("22:00"–"06:00");
// Starts equal to Ends is none.
type Quiet struct {
	Starts string `json:"starts"`
	Ends   string `json:"ends"`
}

// wants reports whether the recipient takes topic by channel.
func (r recipient) wants(topic, channel string) bool {
	if on, ok := r.prefs[[2]string{topic, channel}]; ok {
		return on
	}
	return topicDefault(topic, channel)
}

// recipientChunk is the size of one lookup of recipients. Lists are padded
// to it (or to 8 for the few recipients of most changes) so that the same
// two statements serve every call and the group committer prepares them
// once.
const recipientChunk = 256

// recipients loads the active accounts among ids with their addresses,
// quiet hours and choices; inactive accounts are left out.
func recipients(ctx context.Context, q db.Querier, ids []int64) (map[int64]*recipient, error) {
	out := make(map[int64]*recipient, len(ids))
	for len(ids) > 0 {
		n := min(len(ids), recipientChunk)
		size := recipientChunk
		if n <= 8 {
			size = 8
		}
		chunk := make([]int64, size)
		for i := range chunk {
			chunk[i] = ids[min(i, n-1)]
		}
		ids = ids[n:]
		in, args := db.InList(chunk)
		rows, err := q.QueryContext(ctx, `SELECT a.id, a.locale, COALESCE(e.email, ''), COALESCE(e.phone, ''),
				COALESCE(qh.starts, ''), COALESCE(qh.ends, '')
			FROM accounts a JOIN employees e ON e.id = a.employee_id
			LEFT JOIN notify_quiet qh ON qh.account_id = a.id
			WHERE a.active = TRUE AND a.id IN (`+in+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("notify: recipients: %w", err)
		}
		for rows.Next() {
			var id int64
			r := &recipient{prefs: map[[2]string]bool{}}
			if err := rows.Scan(&id, &r.lang, &r.email, &r.phone, &r.quiet.Starts, &r.quiet.Ends); err != nil {
				rows.Close()
				return nil, fmt.Errorf("notify: recipients: %w", err)
			}
			out[id] = r
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("notify: recipients: %w", err)
		}
		rows, err = q.QueryContext(ctx, `SELECT account_id, topic, channel, enabled FROM notify_prefs
			WHERE account_id IN (`+in+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("notify: choices: %w", err)
		}
		for rows.Next() {
			var id int64
			var topic, channel string
			var on bool
			if err := rows.Scan(&id, &topic, &channel, &on); err != nil {
				rows.Close()
				return nil, fmt.Errorf("notify: choices: %w", err)
			}
			if r := out[id]; r != nil {
				r.prefs[[2]string{topic, channel}] = on
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("notify: choices: %w", err)
		}
	}
	return out, nil
}

// zone is the city's time zone, for quiet hours.
var zone = cityZone()

func cityZone() *time.Location {
	if loc, err := time.LoadLocation("Asia/Makassar"); err == nil {
		return loc
	}
	return time.FixedZone("WITA", 8*3600)
}

// SetZone sets the city's time zone quiet hours are read in.
func SetZone(loc *time.Location) { zone = loc }

// After returns when a message due at at may ring the person: at itself
// outside quiet hours, else the end of them. Quiet hours may span
// midnight ("22:00"–"06:00").
func (q Quiet) After(at time.Time) time.Time {
	start, okS := clock(q.Starts)
	end, okE := clock(q.Ends)
	if !okS || !okE || start == end {
		return at
	}
	local := at.In(zone)
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, zone)
	now := local.Sub(day)
	switch {
	case start < end && now >= start && now < end:
		return day.Add(end).UTC()
	case start > end && now >= start:
		return day.AddDate(0, 0, 1).Add(end).UTC()
	case start > end && now < end:
		return day.Add(end).UTC()
	}
	return at
}

// clock reads "HH:MM" as the time since midnight.
func clock(s string) (time.Duration, bool) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, false
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, true
}

// fanOut writes the outbox messages of msgs: for each recipient and each
// active channel they take the message's topic by (or SMS, for a page),
// the message's text in their language, to their address, after their
// quiet hours for a channel that rings.
func fanOut(ctx context.Context, q db.Querier, msgs []Message) error {
	if !outbox.Active(outbox.Email) && !outbox.Active(outbox.SMS) && !outbox.Active(outbox.WhatsApp) {
		return nil
	}
	ids := make([]int64, 0, len(msgs))
	seen := map[int64]bool{}
	for _, m := range msgs {
		if !seen[m.AccountID] {
			seen[m.AccountID] = true
			ids = append(ids, m.AccountID)
		}
	}
	who, err := recipients(ctx, q, ids)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	var out []outbox.Message
	for _, m := range msgs {
		r := who[m.AccountID]
		if r == nil {
			continue
		}
		topic := TopicOf(m.Kind)
		n := Notification{Kind: m.Kind, Args: nonNil(m.Args)}
		n.Render(r.lang)
		for _, ch := range outbox.Channels {
			page := m.Page && ch == outbox.SMS
			if !outbox.Active(ch) || ch == m.Except || !(page || r.wants(topic, ch)) {
				continue
			}
			addr := r.phone
			if ch == outbox.Email {
				addr = r.email
			}
			if addr == "" {
				continue
			}
			next := now
			if ch != outbox.Email && !page {
				next = r.quiet.After(now)
			}
			account := m.AccountID
			out = append(out, outbox.Message{Channel: ch, AccountID: &account, Address: addr, Kind: m.Kind,
				Lang: i18n.Valid(r.lang), Ref: m.Ref, Subject: n.Text, Body: n.Text, Link: m.Link, NextAt: next})
		}
	}
	return outbox.Enqueue(ctx, q, out...)
}
