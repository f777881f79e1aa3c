package mail

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// addMails seeds a fuzz target with the mails of testdata/mail: a
// Latin-1 quoted-printable mail, a base64 reply that names its ticket,
// an HTML-only mail, a multipart with an attachment, a bounce and an
// auto-reply.
func addMails(f *testing.F) {
	paths, err := filepath.Glob("testdata/mail/*.eml")
	if err != nil || len(paths) == 0 {
		f.Fatalf("no seed mails: %v", err)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// FuzzParseMail reads any mail and checks what the help desk would keep
// of it: a mail is refused only as the sender's fault (ErrNoFrom,
// ErrUnreadable); what is kept is text both databases store (valid UTF-8
// without NUL), a one-line subject, a sender with an address, an id that
// is the same each time the mail comes, at most maxParts+1 files holding
// no more than the mail did; and a report, a mail from our own address or
// from the null sender is never answered (no auto-responder loop).
func FuzzParseMail(f *testing.F) {
	addMails(f)
	f.Add([]byte("From: a@example.test\r\nSubject: x\r\n\r\nbody\r\n"))
	f.Add([]byte("From: <>\r\n\r\nx\r\n"))
	f.Add([]byte("From: a@example.test\r\nSubject: x\r\n\r\nteks\x00\xff\r\n"))
	f.Add([]byte("From: =?utf-8?b?TgB1cg==?= <a@example.test>\r\nSubject: =?utf-8?b?YQBi?=\r\n\r\nx\r\n"))
	f.Add([]byte("From: a@example.test\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\n" +
		"Content-Disposition: attachment; filename=\"=?utf-8?b?YQAudHh0?=\"\r\n\r\nx\r\n--B--\r\n"))
	f.Add([]byte("From: \"N\x00ur\" <a@example.test>\r\nSubject: a\x00b =?utf-8?b?AA==?=\r\nMessage-ID: <\x00\xff@x>\r\n" +
		"Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\n\r\nteks\x00\xff\r\n--B\r\n" +
		"Content-Disposition: attachment; filename=\"a\x00\xff.txt\"\r\n\r\nx\r\n--B--\r\n"))
	// Unpadded base64 shorter than a quantum: once decoded into a buffer
	// sized for the padded form.
	f.Add([]byte("From: a@example.test\r\nContent-Transfer-Encoding: base64\r\n\r\nQUI\r\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		p, err := Parse(raw)
		if err != nil {
			if !errors.Is(err, ErrNoFrom) && !errors.Is(err, ErrUnreadable) {
				t.Fatalf("refused with %v, not as the mail's fault", err)
			}
			return
		}
		for what, s := range map[string]string{"address": p.From.Address, "name": p.From.Name, "subject": p.Subject,
			"text": p.Text, "id": p.ID} {
			if !storable(s) {
				t.Fatalf("the %s %q cannot be stored", what, s)
			}
		}
		if !strings.Contains(p.From.Address, "@") || len(p.From.Address) > maxAddrLen ||
			p.From.Address != strings.ToLower(p.From.Address) {
			t.Fatalf("From %q", p.From.Address)
		}
		if strings.ContainsAny(p.Subject, "\r\n\t") {
			t.Fatalf("subject %q spans lines", p.Subject)
		}
		if p.ID == "" || len(p.ID) > maxIDLen {
			t.Fatalf("id %q", p.ID)
		}
		if again, err := Parse(raw); err != nil || again.ID != p.ID {
			t.Fatalf("parsed again: id %q, %v; first %q", again.ID, err, p.ID)
		}
		checkFiles(t, p, len(raw))
		x := &Inbox{from: "bantuan@makassarkota.go.id", domain: "makassarkota.go.id"}
		if x.automatic("", p) == "" || p.Report && x.automatic("a@example.test", p) == "" {
			t.Fatalf("a report or a mail from <> would be answered")
		}
		p.From.Address = x.from
		if x.automatic("a@example.test", p) == "" {
			t.Fatalf("a mail from our own address would be answered")
		}
	})
}

// checkFiles fails unless p's attachments are bounded as Parse promises.
func checkFiles(t *testing.T, p *Parsed, rawLen int) {
	t.Helper()
	if len(p.Files) > maxParts+1 {
		t.Fatalf("%d files", len(p.Files))
	}
	total := 0
	for _, f := range p.Files {
		if f.Name == "" || !storable(f.Name) {
			t.Fatalf("file name %q cannot be stored", f.Name)
		}
		total += len(f.Data)
	}
	if total > rawLen {
		t.Fatalf("files of %d bytes from a mail of %d", total, rawLen)
	}
}

// storable reports whether s is text both databases keep as it is.
func storable(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }
