package helpdesk_test

import (
	"bytes"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// multipartOf encodes fields and files (each in the part "file") as a
// browser sends a form with enctype="multipart/form-data".
func multipartOf(t testing.TB, fields url.Values, files ...helpdesk.Upload) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	for _, f := range files {
		w, err := mw.CreateFormFile("file", f.Name)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write(f.Data)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), mw.FormDataContentType()
}

// postFiles opens the form page at page and posts fields and files to
// action with its token, as a person choosing files in the form would.
func postFiles(t testing.TB, b *servertest.Client, base, page, action string, fields url.Values,
	files ...helpdesk.Upload) servertest.Page {
	t.Helper()
	form := b.Get(page)
	token := servertest.CSRF(form.Body)
	if form.Status != 200 || token == "" || !strings.Contains(form.Body, `enctype="multipart/form-data"`) {
		t.Fatalf("GET %s: %d, no form for files", page, form.Status)
	}
	fields.Set("csrf", token)
	body, ct := multipartOf(t, fields, files...)
	req, err := http.NewRequest("POST", base+action, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", ct)
	return b.Do(req)
}

var fileLink = regexp.MustCompile(`href="(/lampiran/\d+/[^"]*)"`)

func TestReporterAndAgentSendFilesThroughTheForms(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newAttachDesk(t, d)
		emp := c.h.SignIn(t, empEmail, c.pw[empEmail])
		fields := func() url.Values {
			return url.Values{"subject": {"SIMPEG galat 502"}, "body": {"Lihat tangkapan layar."},
				"category": {"application"}, "priority": {"normal"}}
		}
		before := counts(t, d)
		bad := postFiles(t, emp, c.h.URL, "/bantuan/baru", "/bantuan/baru", fields(),
			helpdesk.Upload{Name: "layar.png", Data: svgFile})
		bad.Want(t, 422, "an SVG named .png", `id="e-f-file"`, `aria-invalid="true"`, "berkas layar.png berjenis image/svg&#43;xml",
			"SIMPEG galat 502")
		if after := counts(t, d); after != before {
			t.Errorf("the refused form wrote rows: %v became %v", before, after)
		}

		p := postFiles(t, emp, c.h.URL, "/bantuan/baru", "/bantuan/baru", fields(),
			helpdesk.Upload{Name: "Layar galat — Dottoro'ta.png", Data: pngFile(t)}, helpdesk.Upload{Name: "surat.pdf", Data: pdfFile})
		if p.Status != 303 || !strings.HasPrefix(p.Location, "/bantuan/T-") {
			t.Fatalf("the form with files: %d to %q: %.400s", p.Status, p.Location, p.Body)
		}
		number := strings.TrimPrefix(p.Location, "/bantuan/")
		page := emp.Get(p.Location)
		page.Want(t, 200, "the ticket with its files", "Layar galat — Dottoro&#39;ta.png", "gambar PNG", "surat.pdf", "PDF")
		links := fileLink.FindAllStringSubmatch(page.Body, -1)
		if len(links) != 2 {
			t.Fatalf("the page links %d files, want 2", len(links))
		}

		agent := c.h.SignIn(t, agentEmail, c.pw[agentEmail])
		agent.Get("/layanan/"+number).Want(t, 200, "the agent's page", "surat.pdf", `id="note-file"`, `id="reply-file"`)
		postFiles(t, agent, c.h.URL, "/layanan/"+number, "/layanan/"+number+"/balas",
			url.Values{"body": {"Log server, jangan diteruskan"}, "internal": {"1"}},
			helpdesk.Upload{Name: "rahasia-server.log", Data: []byte("sandi=lama\n")}).
			Redirects(t, "a note with a file", "/layanan/"+number)
		tooBig := postFiles(t, agent, c.h.URL, "/layanan/"+number, "/layanan/"+number+"/balas",
			url.Values{"body": {"Terlampir"}, "internal": {"0"}},
			helpdesk.Upload{Name: "besar.txt", Data: bytes.Repeat([]byte("x"), 1<<20+10)})
		tooBig.Want(t, 422, "a file over the limit", `id="e-reply-file"`, "besar.txt", "1025 KiB", "batas 1 MiB")
		tooBig.Lacks(t, "the note form", `id="e-note-file"`)
		postFiles(t, agent, c.h.URL, "/layanan/"+number, "/layanan/"+number+"/balas",
			url.Values{"body": {"Panduan masuk ulang terlampir"}, "internal": {"0"}},
			helpdesk.Upload{Name: "panduan.txt", Data: []byte("1. Keluar\n2. Masuk lagi\n")}).
			Redirects(t, "a reply with a file", "/layanan/"+number)
		agent.Get("/layanan/"+number).Want(t, 200, "the agent sees every file", "rahasia-server.log", "panduan.txt")

		page = emp.Get("/bantuan/" + number)
		page.Want(t, 200, "the reporter sees the reply's file", "panduan.txt")
		page.Lacks(t, "the reporter's page", "rahasia-server.log", "sandi")
		postFiles(t, emp, c.h.URL, "/bantuan/"+number, "/bantuan/"+number+"/balas", url.Values{"body": {""}},
			helpdesk.Upload{Name: "setelah.png", Data: pngFile(t)}).
			Redirects(t, "the reporter's reply of a file alone", "/bantuan/"+number)
		emp.Get("/bantuan/"+number).Want(t, 200, "the reporter's file", "setelah.png")

		// The note's file is not the reporter's to fetch, nor anyone's
		// signed out.
		tk, err := c.h.Svc.Desk.GetTicket(t.Context(), c.actor(t, c.agent), number)
		if err != nil {
			t.Fatal(err)
		}
		var noteFile, pdf helpdesk.Attachment
		for _, a := range tk.Attachments {
			switch a.Name {
			case "rahasia-server.log":
				noteFile = a
			case "surat.pdf":
				pdf = a
			}
		}
		if r := emp.Get(noteFile.Path()); r.Status != 404 || strings.Contains(r.Body, "sandi") {
			t.Errorf("the reporter fetched the note's file: %d", r.Status)
		}
		if r := agent.Get(noteFile.Path()); r.Status != 200 || r.Body != "sandi=lama\n" {
			t.Errorf("the agent's download of the note's file: %d %q", r.Status, r.Body)
		}
		c.h.Client(t).Get(pdf.Path()).Redirects(t, "a download signed out", "/masuk?next="+url.QueryEscape(pdf.Path()))
		other := c.h.SignIn(t, outsideEmail, c.pw[outsideEmail])
		if r := other.Get(pdf.Path()); r.Status != 404 {
			t.Errorf("another agency's employee fetched the file: %d", r.Status)
		}
	})
}

func TestDownloadsCannotRunInTheBrowser(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newAttachDesk(t, d)
		shot := pngFile(t)
		tk, err := c.h.Svc.Desk.CreateTicket(t.Context(), c.actor(t, c.emp), helpdesk.TicketInput{Subject: "Surat", Category: "request",
			Attachments: []helpdesk.Upload{{Name: "Ärger Dottoro'ta.png", Data: shot}, {Name: "halaman.html", Data: pdfFile},
				{Name: "catatan.txt", Data: []byte("<b>bukan HTML</b> di tengah teks\n")}}})
		if err == nil {
			t.Fatal("text starting with a tag was taken")
		}
		tk, err = c.h.Svc.Desk.CreateTicket(t.Context(), c.actor(t, c.emp), helpdesk.TicketInput{Subject: "Surat", Category: "request",
			Attachments: []helpdesk.Upload{{Name: "Ärger Dottoro'ta.png", Data: shot}, {Name: "halaman.html", Data: pdfFile},
				{Name: "catatan.txt", Data: []byte("di tengah teks <script>alert(1)</script>\n")}}})
		if err != nil {
			t.Fatal(err)
		}
		b := c.h.SignIn(t, empEmail, c.pw[empEmail])
		for i, want := range []struct {
			ctype, disposition string
			body               []byte
		}{
			{"image/png", `inline; filename*=utf-8''%C3%84rger%20Dottoro%27ta.png`, shot},
			{"application/pdf", `attachment; filename=halaman.html.pdf`, pdfFile},
			{"text/plain; charset=utf-8", `attachment; filename=catatan.txt`, []byte("di tengah teks <script>alert(1)</script>\n")},
		} {
			a := tk.Attachments[i]
			for _, r := range []servertest.Page{b.Get(a.Path()), pageOf(c.h.Do(t, "GET",
				"/api/v1/attachments/"+strconv.FormatInt(a.ID, 10)+"/content", c.emp, nil, ""))} {
				if r.Status != 200 || r.Body != string(want.body) {
					t.Fatalf("download %s: %d, %d bytes", a.Name, r.Status, len(r.Body))
				}
				hd := r.Header
				_, params, _ := mime.ParseMediaType(hd.Get("Content-Disposition"))
				if hd.Get("Content-Type") != want.ctype || hd.Get("Content-Disposition") != want.disposition ||
					params["filename"] != a.Name || hd.Get("X-Content-Type-Options") != "nosniff" ||
					!strings.Contains(hd.Get("Content-Security-Policy"), "sandbox") ||
					!strings.Contains(hd.Get("Content-Security-Policy"), "default-src 'none'") ||
					hd.Get("ETag") != `"`+a.SHA256+`"` {
					t.Errorf("download %s: headers %v", a.Name, hd)
				}
			}
		}
	})
}

// pageOf reads an API answer as a page, to check it as a download.
func pageOf(r servertest.Response) servertest.Page {
	return servertest.Page{Status: r.Status, Header: r.Header, Body: string(r.Body)}
}

func TestAPISendsFilesAsAReply(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newAttachDesk(t, d)
		var tk helpdesk.Ticket
		c.h.Do(t, "POST", "/api/v1/tickets", c.emp, map[string]any{"subject": "VPN putus", "category": "network"}, "").JSON(t, &tk)
		path := "/api/v1/tickets/" + tk.Number + "/attachments"

		body, ct := multipartOf(t, url.Values{"body": {"Konfigurasi VPN terlampir"}, "internal": {"true"}},
			helpdesk.Upload{Name: "vpn.txt", Data: []byte("remote vpn.makassarkota.go.id\n")})
		r := c.h.Do(t, "POST", path, c.agent, body, ct)
		var note helpdesk.Message
		r.JSON(t, &note)
		if r.Status != 201 || !note.Internal || len(note.Attachments) != 1 || note.Attachments[0].Name != "vpn.txt" ||
			*note.Attachments[0].MessageID != note.ID {
			t.Fatalf("a note with a file: %d %s", r.Status, r.Body)
		}
		body, ct = multipartOf(t, nil, helpdesk.Upload{Name: "layar.png", Data: pngFile(t)})
		var reply helpdesk.Message
		c.h.Do(t, "POST", path, c.emp, body, ct).JSON(t, &reply)

		var seen helpdesk.Ticket
		c.h.Do(t, "GET", "/api/v1/tickets/"+tk.Number, c.agent, nil, "").JSON(t, &seen)
		if len(seen.Attachments) != 2 || *seen.Attachments[1].MessageID != reply.ID || seen.Attachments[1].ContentType != "image/png" {
			t.Errorf("the ticket's attachments: %+v", seen.Attachments)
		}
		c.h.Do(t, "GET", "/api/v1/tickets/"+tk.Number, c.emp, nil, "").JSON(t, &seen)
		if len(seen.Attachments) != 1 || seen.Attachments[0].Name != "layar.png" {
			t.Errorf("the reporter's ticket lists %+v", seen.Attachments)
		}
		noteFile := "/api/v1/attachments/" + strconv.FormatInt(note.Attachments[0].ID, 10)
		servertest.Problem(t, c.h.Do(t, "GET", noteFile, c.emp, nil, ""), 404)
		servertest.Problem(t, c.h.Do(t, "GET", noteFile+"/content", c.emp, nil, ""), 404)
		servertest.Problem(t, c.h.Do(t, "GET", "/api/v1/attachments/"+strconv.FormatInt(reply.Attachments[0].ID, 10),
			c.outside, nil, ""), 404)
		var meta helpdesk.Attachment
		c.h.Do(t, "GET", noteFile, c.agent, nil, "").JSON(t, &meta)
		if meta.Name != "vpn.txt" || !meta.Internal || meta.Ticket != tk.Number || meta.Size != 30 {
			t.Errorf("the note's file for the agent: %+v", meta)
		}

		before := counts(t, d)
		body, ct = multipartOf(t, url.Values{"body": {"Dua berkas"}}, helpdesk.Upload{Name: "a.png", Data: pngFile(t)},
			helpdesk.Upload{Name: "laporan.pdf", Data: exeFile})
		p := servertest.ProblemFields(t, c.h.Do(t, "POST", path, c.emp, body, ct), 422, "file")
		if !strings.Contains(p.Errors[0].Message, "laporan.pdf") || !strings.Contains(p.Errors[0].Message, "application/x-msdownload") {
			t.Errorf("the refusal of an exe: %+v", p)
		}
		body, ct = multipartOf(t, nil, helpdesk.Upload{Name: "a.txt", Data: []byte("a")}, helpdesk.Upload{Name: "b.txt", Data: []byte("b")},
			helpdesk.Upload{Name: "c.txt", Data: []byte("c")}, helpdesk.Upload{Name: "d.txt", Data: []byte("d")})
		servertest.ProblemFields(t, c.h.Do(t, "POST", path, c.emp, body, ct), 422, "file")
		body, ct = multipartOf(t, url.Values{"body": {"tanpa berkas"}})
		servertest.ProblemFields(t, c.h.Do(t, "POST", path, c.emp, body, ct), 422, "file")
		servertest.ProblemFields(t, c.h.Do(t, "POST", path, c.emp, map[string]any{"body": "JSON"}, ""), 422, "file")
		body, ct = multipartOf(t, nil, helpdesk.Upload{Name: "a.txt", Data: bytes.Repeat([]byte("a"), 4<<20)})
		servertest.ProblemFields(t, c.h.Do(t, "POST", path, c.emp, body, ct), 422, "file")
		if after := counts(t, d); after != before {
			t.Errorf("refused requests wrote rows: %v became %v", before, after)
		}
		// The JSON reply is as it was.
		var plain map[string]any
		r = c.h.Do(t, "POST", "/api/v1/tickets/"+tk.Number+"/replies", c.emp, map[string]any{"body": "Terima kasih"}, "")
		r.JSON(t, &plain)
		if _, has := plain["attachments"]; r.Status != 201 || has {
			t.Errorf("a JSON reply: %d %s", r.Status, r.Body)
		}
	})
}

func TestStatusLinkHoldersDownloadThePublicFiles(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		c := newAttachDesk(t, d)
		ctx := t.Context()
		agent := c.actor(t, c.agent)
		tk, err := c.h.Svc.Desk.CreateTicket(ctx, agent, helpdesk.TicketInput{Subject: "Telepon: internet kelurahan putus",
			Category: "network", Channel: "phone", ContactName: "Daeng Sikki", ContactPhone: "0811-4455",
			Attachments: []helpdesk.Upload{{Name: "denah.pdf", Data: pdfFile}}})
		if err != nil {
			t.Fatal(err)
		}
		note, err := c.h.Svc.Desk.AddReply(ctx, agent, tk.Number, helpdesk.ReplyInput{Body: "Sandi router", Internal: true,
			Attachments: []helpdesk.Upload{{Name: "router.txt", Data: []byte("admin:admin\n")}}})
		if err != nil {
			t.Fatal(err)
		}
		link, err := c.h.Svc.Desk.IssueStatusLink(ctx, agent, tk.Number)
		if err != nil {
			t.Fatal(err)
		}
		visitor := c.h.Client(t)
		page := visitor.Get(link.URL)
		page.Want(t, 200, "the status page", "denah.pdf")
		page.Lacks(t, "the status page", "router.txt")
		m := regexp.MustCompile(`href="(/status/[^"]+)"`).FindStringSubmatch(page.Body)
		if m == nil {
			t.Fatal("the status page links no file")
		}
		file := strings.ReplaceAll(m[1], "&amp;", "&")
		if r := visitor.Get(file); r.Status != 200 || r.Body != string(pdfFile) ||
			r.Header.Get("Content-Disposition") != "attachment; filename=denah.pdf" {
			t.Errorf("the download through the link: %d %v", r.Status, r.Header)
		}
		noteFile := "/status/" + tk.Number + note.Attachments[0].Path() + "?token=" + url.QueryEscape(link.Token)
		for what, path := range map[string]string{
			"the note's file":  noteFile,
			"a wrong token":    strings.Replace(file, "token=", "token=x", 1),
			"another ticket's": strings.Replace(file, tk.Number, "T-999999", 1),
		} {
			if r := visitor.Get(path); r.Status != 404 || strings.Contains(r.Body, "admin:admin") {
				t.Errorf("%s through the link: %d", what, r.Status)
			}
		}
	})
}
