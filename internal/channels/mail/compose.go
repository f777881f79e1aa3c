package mail

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/lontara-id/lontara/internal/i18n"
	"github.com/lontara-id/lontara/internal/outbox"
)

//go:embed templates
var templates embed.FS

var (
	textTmpl = texttemplate.Must(texttemplate.ParseFS(templates, "templates/message.txt"))
	htmlTmpl = htmltemplate.Must(htmltemplate.ParseFS(templates, "templates/message.html"))
)

// PrefsPath is where a person changes which notifications reach them by
// which channel; every notification's footer points there.
const PrefsPath = "/notifikasi/pengaturan"

// view is what the templates show, already in the recipient's language.
type view struct {
	Lang, Subject, Greeting, Lead, Body, HowTo string
	Paragraphs                                 []string
	Quote                                      bool // the body is someone's words (an agent's answer)
	URL, Button                                string
	Footer, Auto                               string
}

// render lays m out for its recipient: a greeting, the message (for an
// agent's answer, their words and how to reply by email), a button to
// the page (for someone with an account), and a footer saying why they got it and where to change that.
func render(cfg Config, m outbox.Message, subject string) view {
	lang := i18n.Valid(m.Lang)
	base := strings.TrimRight(cfg.BaseURL, "/")
	v := view{Lang: lang, Subject: subject, Greeting: i18n.T(lang, "mail.greeting"), Body: m.Body,
		Auto: i18n.T(lang, "mail.footer.auto"), Button: i18n.T(lang, "mail.button")}
	if m.Kind == "reply" {
		v.Lead, v.Quote = i18n.T(lang, "mail.reply.lead", m.Ref), true
		v.HowTo = i18n.T(lang, "mail.reply.howto", m.Ref)
	}
	if m.Ref != "" {
		v.Button = i18n.T(lang, "mail.button.ticket", m.Ref)
	}
	// The pages are behind sign-in: a button is for someone with an
	// account; an outside contact answers by mail.
	if m.Link != "" && base != "" && m.AccountID != nil {
		v.URL = base + m.Link
	}
	if m.AccountID != nil && m.Kind != "reply" && m.Kind != KindReceived {
		v.Footer = i18n.T(lang, "mail.footer.account", base+PrefsPath)
	} else {
		v.Footer = i18n.T(lang, "mail.footer.contact")
	}
	for _, p := range strings.Split(strings.ReplaceAll(m.Body, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			v.Paragraphs = append(v.Paragraphs, p)
		}
	}
	return v
}

// Compose writes the message m as mail: a text and an HTML part
// (multipart/alternative) in the recipient's language, marked
// Auto-Submitted so that auto-responders do not answer it, threaded on
// m.Ref, whose number also leads the subject ("[T-000123] …") so that a
// reply names its ticket.
func Compose(cfg Config, m outbox.Message, id string) ([]byte, error) {
	to, err := mail.ParseAddress(m.Address)
	if err != nil {
		return nil, fmt.Errorf("mail: address %q: %w", m.Address, err)
	}
	subject := strings.Join(strings.Fields(m.Subject), " ")
	if m.Ref != "" && !strings.Contains(subject, "["+m.Ref+"]") {
		subject = "[" + m.Ref + "] " + subject
	}
	v := render(cfg, m, subject)
	var text, html bytes.Buffer
	if err := textTmpl.Execute(&text, v); err != nil {
		return nil, fmt.Errorf("mail: text: %w", err)
	}
	if err := htmlTmpl.Execute(&html, v); err != nil {
		return nil, fmt.Errorf("mail: html: %w", err)
	}
	var b bytes.Buffer
	h := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	h("From", cfg.From)
	// The bare address: a display name or comment in the outbox's
	// address (with a CRLF in it) never reaches the header.
	h("To", to.Address)
	h("Subject", foldSubject(subject))
	h("Date", time.Now().Format(time.RFC1123Z))
	h("Message-ID", id)
	if m.Ref != "" {
		t := ThreadID(m.Ref, cfg.From)
		h("In-Reply-To", t)
		h("References", t)
	}
	h("Auto-Submitted", "auto-generated")
	h("MIME-Version", "1.0")
	mw := multipart.NewWriter(&b)
	h("Content-Type", `multipart/alternative; boundary="`+mw.Boundary()+`"`)
	b.WriteString("\r\n")
	for _, part := range []struct {
		ctype string
		body  []byte
	}{{"text/plain", text.Bytes()}, {"text/html", html.Bytes()}} {
		w, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {part.ctype + `; charset="utf-8"`},
			"Content-Transfer-Encoding": {"quoted-printable"}})
		if err != nil {
			return nil, err
		}
		if err := writeQP(w, part.body); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// foldSubject encodes subject (RFC 2047) and folds it so that no header
// line passes 998 characters however long the subject: between encoded
// words (each at most 75 characters; the space between two is no part of
// the text), or for plain ASCII at its spaces.
func foldSubject(subject string) string {
	enc := mime.QEncoding.Encode("utf-8", subject)
	if strings.HasPrefix(enc, "=?") {
		return strings.ReplaceAll(enc, "?= =?", "?=\r\n =?")
	}
	var b strings.Builder
	line := 0
	for i, w := range strings.Split(enc, " ") {
		if i > 0 {
			if line+1+len(w) > 76 {
				b.WriteString("\r\n")
				line = 0
			}
			b.WriteByte(' ')
			line++
		}
		b.WriteString(w)
		line += len(w)
	}
	return b.String()
}

// writeQP writes body quoted-printable with CRLF line ends.
func writeQP(w io.Writer, body []byte) error {
	body = bytes.ReplaceAll(bytes.ReplaceAll(body, []byte("\r\n"), []byte("\n")), []byte("\n"), []byte("\r\n"))
	qp := quotedprintable.NewWriter(w)
	if _, err := qp.Write(body); err != nil {
		return err
	}
	return qp.Close()
}
