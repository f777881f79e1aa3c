package mail_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/channels/mail"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/policy"
)

func TestParseBoundsIDsAndAddressesAndPassesAnUnknownCharsetThrough(t *testing.T) {
	long := strings.Repeat("a", 4000)
	p, err := mail.Parse(crlf("From: x@warga.example\nMessage-ID: <" + long + "@x>\nSubject: s\n\nisi\n"))
	if err != nil || !strings.HasPrefix(p.ID, "sha256:") || len(p.ID) > 100 {
		t.Errorf("a long Message-ID: %v, id %.80q", err, p.ID)
	}
	q, _ := mail.Parse(crlf("From: x@warga.example\nMessage-ID: <" + long + "@x>\nSubject: lain\n\nlain\n"))
	if q == nil || q.ID != p.ID {
		t.Error("the same long Message-ID is not the same id")
	}
	if _, err := mail.Parse(crlf("From: " + long + "@warga.example\nSubject: s\n\nisi\n")); !errors.Is(err, mail.ErrNoFrom) {
		t.Errorf("a 4,000-character From: %v, want ErrNoFrom", err)
	}
	p, err = mail.Parse(crlf("From: =?unknown-8bit?q?Bu_Ani=E9?= <ani@warga.example>\nSubject: =?x-unknown?q?Halo?=\n\nisi\n"))
	if err != nil {
		t.Fatalf("an unknown charset in From: %v", err)
	}
	if p.From.Address != "ani@warga.example" || !strings.HasPrefix(p.From.Name, "Bu Ani") || p.Subject != "Halo" {
		t.Errorf("from %+v subject %q", p.From, p.Subject)
	}
}

func TestAHostileMailIsAnsweredClearlyAndBoundedOnBothEngines(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		r := newRig(t, d)
		who := "long." + r.uniq + "@warga.example"
		long := strings.Repeat("m", 4000)
		var noise strings.Builder // what PostgreSQL cannot compress under its index's row limit
		for i := 0; noise.Len() < 4000; i++ {
			noise.WriteString(strconv.FormatInt(int64(i)*2654435761%1000003, 36))
		}
		// Past go-smtp's line limit, as another way in (a relay with none)
		// would hand it over.
		in := mail.NewInbox(d, r.h.Svc.Desk, deskFrom)
		ctx := context.Background()
		if _, err := in.Receive(ctx, who, crlf("From: "+who+"\nSubject: panjang\nMessage-ID: <"+
			noise.String()+r.uniq+"@x>\n\nIsi.\n")); err != nil {
			t.Fatalf("a 4,000-character Message-ID: %v", err)
		}
		if n := r.count(t, `SELECT COUNT(*) FROM tickets WHERE contact_email = $1`, who); n != 1 {
			t.Errorf("%d tickets", n)
		}
		if _, err := in.Receive(ctx, who, crlf("From: "+long+"@warga.example\nSubject: x\n\nIsi.\n")); !errors.Is(err, mail.ErrNoFrom) {
			t.Errorf("a 4,000-character From: %v, want ErrNoFrom", err)
		}
		if err := send(r.smtp, who, "bantuan@makassarkota.go.id", "From: "+long[:1900]+"@warga.example\nSubject: x\n\nIsi.\n"); code(err) != 550 {
			t.Errorf("a 1,900-character From: SMTP %v, want 550", err)
		}
		// A mail of 2,000 tiny parts: 100 are read (3 files kept, 96 refused), the
		// note names 8 and counts the rest (88 + 1,901 unread).
		parts := "parts." + r.uniq + "@warga.example"
		var b strings.Builder
		b.WriteString("From: " + parts + "\nSubject: Banyak\nContent-Type: multipart/mixed; boundary=B\n\n--B\nContent-Type: text/plain\n\nIsi.\n")
		for i := range 2000 {
			b.WriteString("--B\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename=f" + strconv.Itoa(i) + ".exe\n\nx\n")
		}
		b.WriteString("--B--\n")
		if err := send(r.smtp, parts, "bantuan@makassarkota.go.id", b.String()); code(err) != 250 {
			t.Fatalf("2,000 parts: SMTP %v", err)
		}
		tk, err := r.h.Svc.Desk.GetTicket(ctx, policy.SystemActor("test"), ticketOf(t, r, parts))
		if err != nil {
			t.Fatal(err)
		}
		if len(tk.Messages) != 1 || !tk.Messages[0].Internal {
			t.Fatalf("notes %d", len(tk.Messages))
		}
		note := tk.Messages[0].Body
		if lines := strings.Count(note, "\n"); lines > 12 || !strings.Contains(note, "1989 lainnya") {
			t.Errorf("a note of %d lines, %d bytes: %.300q…", lines, len(note), note)
		}
	})
}
