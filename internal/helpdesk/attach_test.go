package helpdesk_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/png"
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/config"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// attachDesk is a city whose help desk takes files of at most 1 MiB, three
// to a message: an employee of Dinas Kesehatan, an agent of Kominfo and an
// employee of another agency.
type attachDesk struct {
	h                   *servertest.Harness
	pw                  map[string]string
	emp, agent, outside string // API tokens
}

const outsideEmail = "guru@makassarkota.go.id"

func newAttachDesk(t testing.TB, d *db.DB) *attachDesk {
	t.Helper()
	h := servertest.StartWith(t, d, func(c *config.Config) { c.AttachmentMaxMB, c.AttachmentMaxFiles = 1, 3 })
	h.Agency(t, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
	h.Agency(t, "DISKES", "Dinas Kesehatan", "dinas")
	h.Agency(t, "DISDIK", "Dinas Pendidikan", "dinas")
	pw := h.Users(t,
		servertest.Person{Email: empEmail, Name: "Nur'aini Dottoro'ta", Role: policy.Employee, Agency: "DISKES"},
		servertest.Person{Email: agentEmail, Name: "Agen Help Desk", Role: policy.Agent, Agency: "KOMINFO"},
		servertest.Person{Email: outsideEmail, Name: "Guru SD", Role: policy.Employee, Agency: "DISDIK"},
	)
	return &attachDesk{h: h, pw: pw, emp: h.Token(t, empEmail), agent: h.Token(t, agentEmail),
		outside: h.Token(t, outsideEmail)}
}

func (c *attachDesk) actor(t testing.TB, token string) *policy.Actor {
	t.Helper()
	a, err := c.h.Svc.Auth.TokenActor(context.Background(), token)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// Sample files: real images and documents, and the disguises tests send.
func pngFile(t testing.TB) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 3, 3))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var (
	pdfFile  = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	exeFile  = append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00"), make([]byte, 300)...)
	svgFile  = []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"></svg>`)
	htmlFile = []byte("<!doctype html><html><body><script>alert(1)</script></body></html>")
)

// counts are the rows an action may write, to show a refused one wrote none.
func counts(t testing.TB, d *db.DB) [6]int {
	t.Helper()
	var n [6]int
	for i, table := range []string{"tickets", "ticket_messages", "ticket_events", "ticket_attachments",
		"ticket_attachment_data", "audit_log"} {
		if err := d.R.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n[i]); err != nil {
			t.Fatal(err)
		}
	}
	return n
}

func TestAttachmentsAreStoredWithTheirMessage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newAttachDesk(t, d)
		ctx := context.Background()
		emp, agent := c.actor(t, c.emp), c.actor(t, c.agent)
		shot := pngFile(t)
		tk, err := c.h.Svc.Desk.CreateTicket(ctx, emp, helpdesk.TicketInput{Subject: "SIMPEG galat 502", Category: "application",
			Attachments: []helpdesk.Upload{{Name: "Layar galat — Dottoro'ta.png", Data: shot}, {Name: "surat.pdf", Data: pdfFile}}})
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(shot)
		if len(tk.Attachments) != 2 || tk.Attachments[0].Name != "Layar galat — Dottoro'ta.png" ||
			tk.Attachments[0].ContentType != "image/png" || tk.Attachments[0].Size != int64(len(shot)) ||
			tk.Attachments[0].SHA256 != hex.EncodeToString(sum[:]) || tk.Attachments[0].MessageID != nil ||
			tk.Attachments[1].ContentType != "application/pdf" {
			t.Fatalf("the ticket's files: %+v", tk.Attachments)
		}
		note, err := c.h.Svc.Desk.AddReply(ctx, agent, tk.Number, helpdesk.ReplyInput{Body: "Log server terlampir", Internal: true,
			Attachments: []helpdesk.Upload{{Name: "server.log", Data: []byte("502 upstream timed out\n")}}})
		if err != nil {
			t.Fatal(err)
		}
		// A reply of files alone needs no text.
		reply, err := c.h.Svc.Desk.AddReply(ctx, agent, tk.Number, helpdesk.ReplyInput{
			Attachments: []helpdesk.Upload{{Name: "panduan.csv", Data: []byte("langkah,keterangan\n1,Masuk ulang\n")}}})
		if err != nil {
			t.Fatal(err)
		}
		if len(note.Attachments) != 1 || !note.Attachments[0].Internal || *note.Attachments[0].MessageID != note.ID ||
			note.Attachments[0].ContentType != "text/plain; charset=utf-8" ||
			len(reply.Attachments) != 1 || reply.Attachments[0].ContentType != "text/csv; charset=utf-8" || reply.Body != "" {
			t.Fatalf("note %+v, reply %+v", note, reply)
		}
		seen, err := c.h.Svc.Desk.GetTicket(ctx, agent, tk.Number)
		if err != nil {
			t.Fatal(err)
		}
		if len(seen.Attachments) != 4 || seen.Attachments[2].ID != note.Attachments[0].ID {
			t.Errorf("the help desk sees %+v, want the 4 files", seen.Attachments)
		}
		for _, read := range []func() (helpdesk.Ticket, error){
			func() (helpdesk.Ticket, error) { return c.h.Svc.Desk.GetTicket(ctx, emp, tk.Number) },
			func() (helpdesk.Ticket, error) {
				t, _, err := c.h.Svc.Desk.ReporterTicket(ctx, agent, tk.Number)
				return t, err
			},
		} {
			got, err := read()
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range got.Attachments {
				if a.Internal || a.Name == "server.log" {
					t.Errorf("the reporter's side sees the note's file %+v", a)
				}
			}
			if len(got.Attachments) != 3 {
				t.Errorf("the reporter's side sees %d files, want 3", len(got.Attachments))
			}
		}
		a, data, err := c.h.Svc.Desk.AttachmentContent(ctx, emp, tk.Attachments[0].ID)
		if err != nil || !bytes.Equal(data, shot) || a.Ticket != tk.Number {
			t.Errorf("the reporter's download: %+v %d bytes %v", a, len(data), err)
		}
		for who, actor := range map[string]*policy.Actor{"the reporter": emp, "another agency's employee": c.actor(t, c.outside)} {
			id := note.Attachments[0].ID
			if who != "the reporter" {
				id = tk.Attachments[0].ID
			}
			if _, _, err := c.h.Svc.Desk.AttachmentContent(ctx, actor, id); errs.CodeOf(err) != errs.NotFound {
				t.Errorf("%s fetched file %d: %v, want not found", who, id, err)
			}
		}
		var audited int
		if err := d.R.QueryRow(`SELECT count(*) FROM audit_log WHERE entity = 'ticket' AND after_json LIKE '%server.log%'`).
			Scan(&audited); err != nil || audited != 1 {
			t.Errorf("the note's file is in %d audit entries (%v), want 1", audited, err)
		}
	})
}

func TestBadAttachmentsAreRefusedAndWriteNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newAttachDesk(t, d)
		ctx := context.Background()
		emp, agent := c.actor(t, c.emp), c.actor(t, c.agent)
		tk, err := c.h.Svc.Desk.CreateTicket(ctx, emp, helpdesk.TicketInput{Subject: "Printer mati", Category: "network"})
		if err != nil {
			t.Fatal(err)
		}
		good := helpdesk.Upload{Name: "layar.png", Data: pngFile(t)}
		big := helpdesk.Upload{Name: "log besar.txt", Data: bytes.Repeat([]byte("a"), 1<<20+1)}
		for _, c2 := range []struct {
			what  string
			files []helpdesk.Upload
			want  []string // in the refusal
		}{
			{"an exe named .pdf beside a good file", []helpdesk.Upload{good, {Name: "laporan.pdf", Data: exeFile}},
				[]string{"laporan.pdf", "application/x-msdownload"}},
			{"an SVG named .png", []helpdesk.Upload{{Name: "layar.png", Data: svgFile}}, []string{"layar.png", "image/svg+xml"}},
			{"HTML named .png", []helpdesk.Upload{{Name: "foto.png", Data: htmlFile}}, []string{"foto.png", "text/html"}},
			{"a file over the limit", []helpdesk.Upload{good, big}, []string{"log besar.txt", "1025 KiB", "limit of 1 MiB per file"}},
			{"too many files", []helpdesk.Upload{good, good, good, good}, []string{"at most 3 files", "4 were sent"}},
			{"an empty file", []helpdesk.Upload{{Name: "kosong.txt"}}, []string{"kosong.txt", "empty"}},
		} {
			before := counts(t, d)
			_, err := c.h.Svc.Desk.AddReply(ctx, agent, tk.Number, helpdesk.ReplyInput{Body: "Lihat lampiran", Attachments: c2.files})
			e := errs.As(err)
			if e == nil || e.Code != errs.Invalid || len(e.Fields) == 0 || e.Fields[0].Name != "file" {
				t.Fatalf("%s: %v, want a refusal on the field file", c2.what, err)
			}
			msg := e.Message(i18n.EN)
			for _, s := range c2.want {
				if !strings.Contains(msg, s) {
					t.Errorf("%s: the refusal %q does not say %q", c2.what, msg, s)
				}
			}
			if after := counts(t, d); after != before {
				t.Errorf("%s: rows %v became %v: the refused reply was written", c2.what, before, after)
			}
		}
		before := counts(t, d)
		_, err = c.h.Svc.Desk.CreateTicket(ctx, emp, helpdesk.TicketInput{Subject: "Surat", Category: "request",
			Attachments: []helpdesk.Upload{{Name: "surat.docx", Data: exeFile}}})
		if errs.CodeOf(err) != errs.Invalid {
			t.Errorf("a ticket with an exe: %v, want refused", err)
		}
		if after := counts(t, d); after != before {
			t.Errorf("a refused ticket wrote rows: %v became %v", before, after)
		}
		// Without files, a reply still needs its text.
		if _, err := c.h.Svc.Desk.AddReply(ctx, agent, tk.Number, helpdesk.ReplyInput{}); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("an empty reply without files: %v", err)
		}
	})
}
