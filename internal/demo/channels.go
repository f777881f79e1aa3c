package demo

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/lontara-id/lontara/internal/helpdesk"

	"github.com/lontara-id/lontara/internal/db"
)

// loadChannels gives the delivery admin (/admin/saluran) something to show:
// a few messages sent and delivered, one dead with the gateway's error, and
// the inbound log of an SMS that opened a ticket, a command answered and a
// mail refused. No message is left pending: `serve --demo` with a gateway
// configured would otherwise send them to the demo's made-up people.
func loadChannels(ctx context.Context, d *db.DB) error {
	return d.Tx(ctx, func(tx *sql.Tx) error {
		type person struct {
			account      int64
			email, phone string
		}
		rows, err := tx.QueryContext(ctx, `SELECT a.id, COALESCE(e.email, ''), COALESCE(e.phone, '')
			FROM accounts a JOIN employees e ON e.id = a.employee_id
			WHERE e.email IS NOT NULL AND e.email <> '' AND e.phone IS NOT NULL AND e.phone <> ''
			ORDER BY a.id LIMIT 3`)
		if err != nil {
			return fmt.Errorf("demo: channels: %w", err)
		}
		var people []person
		for rows.Next() {
			var p person
			if err := rows.Scan(&p.account, &p.email, &p.phone); err != nil {
				rows.Close()
				return fmt.Errorf("demo: channels: %w", err)
			}
			people = append(people, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("demo: channels: %w", err)
		}
		var ticket sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT MIN(id) FROM tickets`).Scan(&ticket); err != nil {
			return fmt.Errorf("demo: channels: %w", err)
		}
		if len(people) == 0 || !ticket.Valid {
			return nil
		}
		ref := helpdesk.Number(ticket.Int64)
		now := time.Now().UTC().Truncate(time.Second)
		ago := func(h float64) time.Time { return now.Add(-time.Duration(h * float64(time.Hour))) }
		type msg struct {
			who                     person
			channel, kind, body     string
			status, lastError, prov string
			attempts                int
			created                 time.Time
			sent, delivered         *time.Time
		}
		t := func(v time.Time) *time.Time { return &v }
		p := func(i int) person { return people[i%len(people)] }
		body := "Tiket " + ref + " dijawab oleh petugas layanan. Buka Lontara untuk membaca jawabannya."
		for _, m := range []msg{
			{p(0), "email", "ticket.replied", body, "delivered", "", "demo-1", 1, ago(30), t(ago(30)), t(ago(29.9))},
			{p(0), "sms", "ticket.replied", body, "delivered", "", "demo-2", 1, ago(30), t(ago(30)), t(ago(29.9))},
			{p(1), "email", "announcement.published", "Pengumuman baru dari Wali Kota: apel pagi Senin di Balai Kota.", "sent", "", "demo-3", 1, ago(5), t(ago(5)), nil},
			{p(2), "sms", "ticket.replied", body, "dead", "kannel: 403 Forbidden: Authorization failed for sendsms", "", 8, ago(52), nil, nil},
			{p(1), "sms", "page", "SIAGA: tiket mendesak " + ref + " masuk di luar jam kerja. Mohon segera ditangani.", "failed", "dlr 2: ditolak operator (nomor tidak aktif)", "demo-5", 1, ago(2), t(ago(2)), nil},
		} {
			addr := m.who.phone
			if m.channel == "email" {
				addr = m.who.email
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (channel, account_id, address, kind, lang, ref, subject, body,
					link, status, attempts, next_at, provider_id, last_error, created_at, sent_at, delivered_at)
				VALUES ($1, $2, $3, $4, 'id', $5, $6, $6, $7, $8, $9, $10, $11, $12, $10, $13, $14)`,
				m.channel, m.who.account, addr, m.kind, ref, m.body, "/bantuan/"+ref, m.status, m.attempts, m.created,
				m.prov, m.lastError, m.sent, m.delivered); err != nil {
				return fmt.Errorf("demo: outbox: %w", err)
			}
		}
		for _, in := range []struct {
			channel, id, sender, subject, body, status, reason string
			ticket                                             *int64
			at                                                 time.Time
		}{
			{"sms", "demo-in-1", people[0].phone, "", "Printer di ruang pelayanan tidak bisa mencetak sejak pagi", "ticket", "", &ticket.Int64, ago(31)},
			{"sms", "demo-in-2", people[0].phone, "", "STATUS " + ref, "command", "", &ticket.Int64, ago(20)},
			{"sms", "demo-in-3", "+6281100000000", "", "NILAI " + ref + " 9", "refused", "nilai di luar 1–5", nil, ago(19)},
			{"email", "<demo-in-4@example.com>", "mailer-daemon@example.com", "Undelivered Mail Returned to Sender", "…", "ignored", "pesan otomatis (bounce)", nil, ago(6)},
		} {
			if _, err := tx.ExecContext(ctx, `INSERT INTO inbound_messages (channel, external_id, sender, account_id, subject,
					body, status, reason, ticket_id, received_at) VALUES ($1, $2, $3, NULL, $4, $5, $6, $7, $8, $9)`,
				in.channel, in.id, in.sender, in.subject, in.body, in.status, in.reason, in.ticket, in.at); err != nil {
				return fmt.Errorf("demo: inbound log: %w", err)
			}
		}
		return nil
	})
}
