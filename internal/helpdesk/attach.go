package helpdesk

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/upload"
)

// Upload is a file as it arrived (see internal/upload): neither its name
// nor the client's content type is believed; the type is sniffed.
type Upload = upload.File

// Attachment is a file on a ticket (MessageID nil: it came with the
// ticket) or on one of its replies or notes. Reporters see the files of
// the ticket and of public replies; a note's files are the help desk's.
type Attachment struct {
	ID          int64     `json:"id"`
	Ticket      string    `json:"ticket"`
	MessageID   *int64    `json:"message_id"`
	Internal    bool      `json:"internal"`
	Name        string    `json:"name"`
	Size        int64     `json:"size"`
	ContentType string    `json:"content_type"`
	SHA256      string    `json:"sha256"`
	CreatedAt   time.Time `json:"created_at"`
}

// Path is where a signed-in person downloads the file.
func (a Attachment) Path() string {
	return "/lampiran/" + strconv.FormatInt(a.ID, 10) + "/" + url.PathEscape(a.Name)
}

// FileLimits bound the files of one message: the size of each and how
// many (internal/upload checks them).
type FileLimits upload.Limits

// DefaultFileLimits are 10 MiB per file and 5 files per message.
var DefaultFileLimits = FileLimits(upload.Default)

// Request is the most a request carrying files may weigh.
func (l FileLimits) Request() int64 { return upload.Limits(l).Request() }

// SetFileLimits sets the limits from the configuration (MiB per file,
// files per message); the default limits hold until it is called.
func (s *Service) SetFileLimits(maxMB, maxFiles int) error {
	lim, err := upload.NewLimits(maxMB, maxFiles)
	if err != nil {
		return err
	}
	s.files = FileLimits(lim)
	return nil
}

// FileLimits returns the limits in force.
func (s *Service) FileLimits() FileLimits {
	if s.files.MaxFiles == 0 {
		return DefaultFileLimits
	}
	return s.files
}

// checked is an upload that passed the checks, ready to store.
type checked struct {
	Attachment
	data []byte
}

// checkFiles checks the uploads of one message against the limits and the
// allowed types (upload.Check), adding a field error "file" naming each
// file refused. It reads no database, so it runs before the transaction.
func (s *Service) checkFiles(v *errs.Validation, uploads []Upload) []checked {
	files := upload.Check(v, "file", uploads, upload.Limits(s.FileLimits()))
	if len(files) == 0 {
		return nil
	}
	out := make([]checked, len(files))
	for i, f := range files {
		out[i] = checked{Attachment: Attachment{Name: f.Name, Size: f.Size, ContentType: f.ContentType,
			SHA256: f.SHA256}, data: f.Data}
	}
	return out
}

// storeFiles stores checked files on a ticket or one of its messages in
// the caller's transaction, and returns them as stored.
func storeFiles(ctx context.Context, tx db.Querier, actor *policy.Actor, t Ticket, m *Message, files []checked,
	at time.Time) ([]Attachment, error) {
	if len(files) == 0 {
		return nil, nil
	}
	out := make([]Attachment, len(files))
	for i, f := range files {
		a := f.Attachment
		a.Ticket, a.CreatedAt = t.Number, at
		if m != nil {
			a.MessageID, a.Internal = &m.ID, m.Internal
		}
		if err := insertAttachment(ctx, tx, t.ID, accountOf(actor), &a, f.data); err != nil {
			return nil, fmt.Errorf("helpdesk: attachment: %w", err)
		}
		out[i] = a
	}
	return out, nil
}

// Attachment returns a file's description if the actor may see it: they
// may see the ticket, and the file is not on a note or they work the help
// desk. Any other file is NotFound, as if it did not exist.
func (s *Service) Attachment(ctx context.Context, actor *policy.Actor, id int64) (Attachment, error) {
	a, ticketID, err := findAttachment(ctx, s.db.R, id)
	if err != nil {
		return Attachment{}, err
	}
	t, err := s.visible(ctx, s.db.R, actor, ticketID)
	switch {
	case errs.CodeOf(err) == errs.NotFound || err == nil && a.Internal && !policy.Can(actor, policy.TicketWork, target(t)):
		return Attachment{}, errs.New(errs.NotFound, "attach.not_found")
	case err != nil:
		return Attachment{}, err
	}
	return a, nil
}

// AttachmentContent returns a file the actor may see with its bytes.
func (s *Service) AttachmentContent(ctx context.Context, actor *policy.Actor, id int64) (Attachment, []byte, error) {
	a, err := s.Attachment(ctx, actor, id)
	if err != nil {
		return Attachment{}, nil, err
	}
	data, err := attachmentData(ctx, s.db.R, id)
	return a, data, err
}

// AttachmentByStatusLink returns a file of the ticket's public side with
// its bytes to the holder of the ticket's status link; any other file, or
// a wrong link, is NotFound.
func (s *Service) AttachmentByStatusLink(ctx context.Context, number, token string, id int64) (Attachment, []byte, error) {
	t, err := s.TicketByStatusLink(ctx, number, token)
	if err != nil {
		return Attachment{}, nil, err
	}
	a, _, err := findAttachment(ctx, s.db.R, id)
	if err != nil {
		return Attachment{}, nil, err
	}
	if a.Ticket != t.Number || a.Internal {
		return Attachment{}, nil, errs.New(errs.NotFound, "attach.not_found")
	}
	data, err := attachmentData(ctx, s.db.R, id)
	return a, data, err
}

// FilesOf returns the files of one message of the ticket (0: those that
// came with the ticket itself), for the conversation's pages.
func (t Ticket) FilesOf(messageID int64) []Attachment {
	var out []Attachment
	for _, a := range t.Attachments {
		if a.MessageID == nil && messageID == 0 || a.MessageID != nil && *a.MessageID == messageID {
			out = append(out, a)
		}
	}
	return out
}
