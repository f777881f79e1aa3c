package helpdesk

import (
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/upload"
	"github.com/lontara-id/lontara/internal/web"
)

// attachRoutes mounts the downloads of attachments for pages and the API's
// attachment endpoints. The forms that send files are the ticket and reply
// forms themselves, mounted with uploadLimit.
func (h *Handler) attachRoutes(rt *web.Router) {
	rt.Page("GET /lampiran/{id}/{name}", h.download)
	rt.Page("GET /lampiran/{id}", h.download)
	rt.Public("GET /status/{number}/lampiran/{id}/{name}", h.statusDownload)
	rt.API(web.Op{Method: "POST", Path: "/api/v1/tickets/{number}/attachments", ID: "attachTicket", Tag: "helpdesk",
		Summary: "Send files as a reply (or, with internal=true, a note): a multipart/form-data body with one " +
			"to attachment-max-files parts named file (the type is sniffed from the bytes: images, PDF, text/CSV, " +
			"Office and ODF documents), an optional body text and internal and time_spent_minutes fields; " +
			"answers the reply with its attachments. A file over the limit or of a forbidden type is a 422 " +
			"naming it, and nothing is stored. (The request body is multipart, which this document's " +
			"generator cannot describe.)",
		Response: Message{}, Status: http.StatusCreated}, h.apiAttach)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/attachments/{attachment_id}", ID: "getAttachment", Tag: "helpdesk",
		Summary:  "An attachment's name, size, sniffed type and SHA-256; a note's files only for the help desk",
		Response: Attachment{}}, h.apiAttachment)
	rt.API(web.Op{Method: "GET", Path: "/api/v1/attachments/{attachment_id}/content", ID: "getAttachmentContent",
		Tag: "helpdesk",
		Summary: "An attachment's bytes, with its sniffed Content-Type, Content-Disposition: attachment and its " +
			"SHA-256 as ETag (the answer is the file, not JSON)"}, h.apiAttachmentContent)
}

// uploadLimit is the body limit of a form that may carry files.
func (h *Handler) uploadLimit() int64 { return h.desk.FileLimits().Request() }

// formFiles reads the files sent in the member "file" of a multipart
// form; a form without files (or not multipart) has none.
func formFiles(r *http.Request) ([]Upload, error) { return upload.FormFiles(r, "file") }

// download serves a file to a signed-in person who may see it.
func (h *Handler) download(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	a, data, err := h.desk.AttachmentContent(r.Context(), web.Actor(r), id)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	serveFile(w, r, a, data)
}

// statusDownload serves a public file of a ticket to the holder of its
// status link.
func (h *Handler) statusDownload(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	a, data, err := h.desk.AttachmentByStatusLink(r.Context(), r.PathValue("number"), r.URL.Query().Get("token"), id)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	serveFile(w, r, a, data)
}

// serveFile sends a file so that no browser runs it (upload.Serve).
func serveFile(w http.ResponseWriter, r *http.Request, a Attachment, data []byte) {
	upload.Serve(w, r, a.Name, a.ContentType, a.SHA256, a.CreatedAt, data)
}

// apiAttach adds a reply carrying the files of a multipart request.
func (h *Handler) apiAttach(w http.ResponseWriter, r *http.Request) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
		web.WriteProblem(w, r, errs.FieldErr("file", "attach.multipart"))
		return
	}
	limit := h.uploadLimit()
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			web.WriteProblem(w, r, errs.FieldErr("file", "attach.request_too_big", upload.SizeText(limit)))
			return
		}
		web.WriteProblem(w, r, errs.New(errs.Invalid, "form"))
		return
	}
	files, err := formFiles(r)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	in, err := attachInput(r, files)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	number := strings.ToUpper(r.PathValue("number"))
	m, err := h.desk.AddReply(r.Context(), web.Actor(r), number, in)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteCreated(w, "/api/v1/tickets/"+number, m)
}

// attachInput reads the text fields of an API request sending files.
func attachInput(r *http.Request, files []Upload) (ReplyInput, error) {
	var v errs.Validation
	in := ReplyInput{Body: r.PostFormValue("body"), Attachments: files}
	if !utf8.ValidString(in.Body) || strings.ContainsRune(in.Body, 0) {
		v.Add("body", "text")
	}
	if len(files) == 0 {
		v.Add("file", "required")
	}
	switch s := r.PostFormValue("internal"); s {
	case "", "false", "0":
	case "true", "1":
		in.Internal = true
	default:
		v.Add("internal", "json_type")
	}
	if s := strings.TrimSpace(r.PostFormValue("time_spent_minutes")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			v.Add("time_spent_minutes", "number")
		}
		in.TimeSpentMinutes = n
	}
	return in, v.Err()
}

func (h *Handler) apiAttachment(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "attachment_id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	a, err := h.desk.Attachment(r.Context(), web.Actor(r), id)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, a)
}

func (h *Handler) apiAttachmentContent(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "attachment_id")
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	a, data, err := h.desk.AttachmentContent(r.Context(), web.Actor(r), id)
	if err != nil {
		web.WriteProblem(w, r, err)
		return
	}
	serveFile(w, r, a, data)
}

// FileList is what the partial "helpdesk/attach_files" shows: the files
// of one message, in the page's language.
type FileList struct {
	V     *web.View
	Files []Attachment
	Token string // the status link's, for a reporter without an account
}

// Files returns the files of one message (0: those that came with the
// ticket) for the partial.
func (t Ticket) Files(v *web.View, messageID int64) FileList {
	return FileList{V: v, Files: t.FilesOf(messageID)}
}

// StatusFiles is Files for the page of a status link, whose downloads go
// through the link.
func (t Ticket) StatusFiles(v *web.View, messageID int64, token string) FileList {
	return FileList{V: v, Files: t.FilesOf(messageID), Token: token}
}

// Link is where the page's reader downloads a file.
func (l FileList) Link(a Attachment) string {
	if l.Token == "" {
		return a.Path()
	}
	return "/status/" + a.Ticket + a.Path() + "?token=" + url.QueryEscape(l.Token)
}

// Size words a file's size: 12 KB, 3 MB.
func (l FileList) Size(n int64) string {
	return strings.Replace(upload.SizeText(n), "iB", "B", 1)
}

// Kind names a file's type for people: PDF, PNG, Word…
func (l FileList) Kind(ctype string) string {
	return l.V.Label("attach.kind.", upload.MediaType(ctype))
}

// FileInput is what the partial "helpdesk/attach_input" shows: a file
// field with its id, the limits in its hint and its error, if the form it
// is in is the one refused.
type FileInput struct {
	V                *web.View
	ID, Err          string
	MaxFiles, MaxMiB int
	Accept           string
}

// Input returns the file field of a form for the partial; active says
// whether the form's errors are this form's (a page may have two forms).
func (l FileLimits) Input(v *web.View, id string, active bool) FileInput {
	in := FileInput{V: v, ID: id, MaxFiles: l.MaxFiles, MaxMiB: int(l.MaxBytes >> 20),
		Accept: "image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain,text/csv," +
			".png,.jpg,.jpeg,.gif,.webp,.pdf,.txt,.csv,.log,.docx,.xlsx,.pptx,.odt,.ods,.odp"}
	if active {
		in.Err = v.Err("file")
	}
	return in
}
