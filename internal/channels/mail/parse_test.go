package mail_test

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	netmail "net/mail"
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/channels/mail"
	"github.com/lontara-id/lontara/internal/outbox"
)

func crlf(s string) []byte { return []byte(strings.ReplaceAll(s, "\n", "\r\n")) }

func TestParseReadsCharsetsEncodingsHTMLAndAttachments(t *testing.T) {
	tests := []struct {
		name, raw           string
		from, subject, text string
		notText             string
		files               []string
		report              bool
	}{
		{name: "latin-1 words and quoted-printable body",
			raw: `From: =?ISO-8859-1?Q?J=F6rg_D=E4hn?= <Jorg@Example.TEST>
Subject: =?ISO-8859-1?Q?Caf=E9_tidak_bisa?=
Message-ID: <a1@example.test>
Content-Type: text/plain; charset=ISO-8859-1
Content-Transfer-Encoding: quoted-printable

Caf=E9 Dottoro'ta =
tutup.
`, from: "jorg@example.test", subject: "Café tidak bisa", text: "Café Dottoro'ta tutup."},
		{name: "base64 UTF-8 with quoted history trimmed",
			raw: "From: Nur'aini <nur@example.test>\nSubject: Re: [T-000001] Aplikasi\nMessage-ID: <a2@example.test>\n" +
				"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n" +
				"U3VkYWggYmlzYSwgdGVyaW1hIGthc2loLgoKUGFkYSBTZW4sIDEgSmFuIDIwMjUsIEhlbHAgZGVzayBtZW51bGlzOgo+IEphd2FiYW4gbGFtYQo=\n",
			from: "nur@example.test", subject: "Re: [T-000001] Aplikasi", text: "Sudah bisa, terima kasih.",
			notText: "Jawaban lama"},
		{name: "HTML only becomes text without scripts",
			raw: `From: a@example.test
Subject: html
Content-Type: text/html; charset=utf-8

<html><head><style>p{color:red}</style><script>alert(1)</script></head><body><p>Halo <b>tim</b></p><p>Lihat <a href="https://x.example/y">ini</a></p></body></html>
`, from: "a@example.test", subject: "html", text: "Halo tim\n\nLihat ini (https://x.example/y)", notText: "alert"},
		{name: "multipart with an encoded file name",
			raw: `From: b@example.test
Subject: lampiran
Content-Type: multipart/mixed; boundary="XX"

--XX
Content-Type: multipart/alternative; boundary="YY"

--YY
Content-Type: text/plain; charset=utf-8

Ini tangkapan layarnya.
--YY
Content-Type: text/html; charset=utf-8

<p>Ini tangkapan layarnya.</p>
--YY--
--XX
Content-Type: text/plain; name="=?UTF-8?Q?catatan_=C3=84.txt?="
Content-Disposition: attachment; filename="=?UTF-8?Q?catatan_=C3=84.txt?="
Content-Transfer-Encoding: base64

Y2F0YXRhbgo=
--XX--
`, from: "b@example.test", subject: "lampiran", text: "Ini tangkapan layarnya.", files: []string{"catatan Ä.txt"}},
		{name: "a delivery report",
			raw: `From: MAILER-DAEMON@example.test
Subject: Undelivered Mail
Content-Type: multipart/report; report-type=delivery-status; boundary="R"

--R
Content-Type: text/plain

The mail could not be delivered.
--R
Content-Type: message/delivery-status

Status: 5.1.1
--R--
`, from: "mailer-daemon@example.test", subject: "Undelivered Mail", text: "The mail could not be delivered.", report: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := mail.Parse(crlf(tc.raw))
			if err != nil {
				t.Fatal(err)
			}
			if p.From.Address != tc.from || p.Subject != tc.subject || p.Text != tc.text || p.Report != tc.report {
				t.Errorf("got from %q subject %q text %q report %v", p.From.Address, p.Subject, p.Text, p.Report)
			}
			if tc.notText != "" && strings.Contains(p.Text, tc.notText) {
				t.Errorf("text %q holds %q", p.Text, tc.notText)
			}
			var names []string
			for _, f := range p.Files {
				names = append(names, f.Name)
			}
			if strings.Join(names, ",") != strings.Join(tc.files, ",") {
				t.Errorf("files %v, want %v", names, tc.files)
			}
		})
	}
}

func TestParseRefusesAMailWithoutAFromAndHashesOneWithoutAMessageID(t *testing.T) {
	for _, raw := range []string{"Subject: x\n\nbody\n", "From: not an address\nSubject: x\n\nbody\n", "From: <>\n\nx\n"} {
		if _, err := mail.Parse(crlf(raw)); !errors.Is(err, mail.ErrNoFrom) {
			t.Errorf("%q: %v, want ErrNoFrom", raw, err)
		}
	}
	raw := crlf("From: a@example.test\nSubject: x\n\nbody\n")
	p1, err := mail.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	p2, _ := mail.Parse(raw)
	if !strings.HasPrefix(p1.ID, "sha256:") || p1.ID != p2.ID {
		t.Errorf("ids %q %q", p1.ID, p2.ID)
	}
}

func TestComposeWritesTextAndHTMLInTheRecipientsLanguage(t *testing.T) {
	cfg := mail.Config{From: "Layanan Bantuan <bantuan@makassarkota.go.id>", BaseURL: "https://lontara.example/"}
	account := int64(4)
	tests := []struct {
		name string
		m    outbox.Message
		want []string
		lack []string
	}{
		{name: "an agent's answer in Indonesian",
			m: outbox.Message{ID: 9, Address: "a@example.test", AccountID: &account, Kind: "reply", Lang: "id", Ref: "T-000123",
				Subject: "Printer <rusak>", Body: "Sudah kami perbaiki.\n\nSilakan coba lagi.", Link: "/bantuan/T-000123"},
			want: []string{"Balas email ini untuk menjawab", "Sudah kami perbaiki.", "https://lontara.example/bantuan/T-000123",
				"Lihat tiket T-000123", "menghubungi layanan bantuan"}},
		{name: "an outside contact gets no button to a page behind sign-in",
			m: outbox.Message{ID: 11, Address: "c@example.test", Kind: "mail.received", Lang: "id", Ref: "T-000125",
				Subject: "Tiket diterima", Body: "Terima kasih.", Link: "/bantuan/T-000125"},
			want: []string{"Terima kasih.", "menghubungi layanan bantuan"}, lack: []string{"/bantuan/T-000125", "Lihat tiket"}},
		{name: "a notification in English",
			m: outbox.Message{ID: 10, Address: "b@example.test", AccountID: &account, Kind: "ticket.resolved", Lang: "en",
				Subject: "Ticket resolved", Body: "Your ticket was resolved.", Link: "/bantuan/T-000124"},
			want: []string{"Hello,", "Your ticket was resolved.", "https://lontara.example/notifikasi/pengaturan"},
			lack: []string{"Reply to this email"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			raw, err := mail.Compose(cfg, tc.m, mail.MessageID(tc.m.ID, cfg.From))
			if err != nil {
				t.Fatal(err)
			}
			msg, err := netmail.ReadMessage(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			if msg.Header.Get("Auto-Submitted") != "auto-generated" {
				t.Error("not marked Auto-Submitted")
			}
			subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
			if tc.m.Ref != "" && (subject != "["+tc.m.Ref+"] "+tc.m.Subject ||
				msg.Header.Get("In-Reply-To") != "<"+strings.ToLower(tc.m.Ref)+"@makassarkota.go.id>") {
				t.Errorf("subject %q in-reply-to %q", subject, msg.Header.Get("In-Reply-To"))
			}
			mt, params, _ := mime.ParseMediaType(msg.Header.Get("Content-Type"))
			if mt != "multipart/alternative" {
				t.Fatalf("content type %q", mt)
			}
			mr := multipart.NewReader(msg.Body, params["boundary"])
			var types []string
			for {
				part, err := mr.NextPart() // undoes quoted-printable
				if err != nil {
					break
				}
				b, _ := io.ReadAll(part)
				ct, _, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
				types = append(types, ct)
				for _, w := range tc.want {
					if !strings.Contains(string(b), w) {
						t.Errorf("%s part lacks %q:\n%s", ct, w, b)
					}
				}
				for _, w := range tc.lack {
					if strings.Contains(string(b), w) {
						t.Errorf("%s part holds %q", ct, w)
					}
				}
				if ct == "text/html" && strings.Contains(string(b), "<rusak>") {
					t.Error("HTML part does not escape the subject")
				}
			}
			if strings.Join(types, ",") != "text/plain,text/html" {
				t.Errorf("parts %v", types)
			}
		})
	}
}
