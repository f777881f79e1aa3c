package mail

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/htmlindex"

	"github.com/lontara-id/lontara/internal/inbound"
	"github.com/lontara-id/lontara/internal/upload"
)

// ErrNoFrom is a mail without a From, or with one that is not an address:
// there is no one to file it for or answer, so it is refused.
var ErrNoFrom = errors.New("mail: no valid From address")

// ErrUnreadable is a mail whose header cannot be read at all.
var ErrUnreadable = errors.New("mail: message header cannot be read")

// Parsed is a mail as the help desk reads it.
type Parsed struct {
	// ID is the Message-ID without its brackets, or, for a mail without
	// one, "sha256:" and a hash of its content: the same mail delivered
	// twice has the same ID either way.
	ID      string
	From    mail.Address
	Subject string
	// Text is the body as plain text: the text part, else the HTML part
	// turned into text.
	Text string
	// Refs are the Message-IDs it answers (In-Reply-To and References),
	// with brackets.
	Refs   []string
	Header mail.Header
	Files  []upload.File
	// Report is a report (multipart/report: a bounce, a delay warning, a
	// read receipt) and ReportType its kind ("delivery-status"); Raw is
	// the whole mail, where a bounce names the message that bounced.
	Report     bool
	ReportType string
	Raw        []byte
	// Unread counts the parts past maxParts, read no further: they are
	// named in the ticket's note, not silently lost.
	Unread int
	parts  int
}

// maxParts bounds the parts read of one mail: a mail of thousands of
// tiny parts would otherwise make as many files and note lines.
const maxParts = 100

// maxIDLen is the longest Message-ID kept as it came; a longer one is
// kept as "sha256:" and its hash (a database index cannot take it).
const maxIDLen = 250

// maxAddrLen is the longest address (RFC 5321: 254); a longer From is no
// valid From.
const maxAddrLen = 254

// decoder reads RFC 2047 words in any charset golang.org/x/text knows.
var decoder = &mime.WordDecoder{CharsetReader: charsetReader}

func charsetReader(charset string, r io.Reader) (io.Reader, error) {
	switch strings.ToLower(charset) {
	case "", "utf-8", "utf8", "us-ascii", "ascii":
		return r, nil
	}
	enc, err := htmlindex.Get(charset)
	if err != nil {
		// An unknown charset (unknown-8bit): the bytes as they are,
		// made valid UTF-8 where they are used, rather than refusing
		// the mail.
		return r, nil
	}
	return enc.NewDecoder().Reader(r), nil
}

// Parse reads a mail. A mail without a usable From answers ErrNoFrom; one
// whose header cannot be read, ErrUnreadable. A body part that cannot be
// decoded is skipped rather than refusing the mail: the person's words
// in the other parts still reach the help desk. The text it keeps (names,
// subject, body, file names) is made storable on both engines
// (inbound.Clean): a NUL in a mail failed on PostgreSQL, and the sending
// server tried again forever.
func Parse(raw []byte) (*Parsed, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnreadable, err)
	}
	p := &Parsed{Header: msg.Header, Raw: raw}
	parser := mail.AddressParser{WordDecoder: decoder}
	from, err := parser.ParseList(msg.Header.Get("From"))
	if err != nil || len(from) == 0 || !strings.Contains(from[0].Address, "@") || len(from[0].Address) > maxAddrLen {
		return nil, ErrNoFrom
	}
	p.From = *from[0]
	p.From.Address = inbound.Clean(strings.ToLower(p.From.Address))
	p.From.Name = inbound.Clean(p.From.Name)
	if s, err := decoder.DecodeHeader(msg.Header.Get("Subject")); err == nil {
		p.Subject = strings.Join(strings.Fields(s), " ")
	} else {
		p.Subject = strings.Join(strings.Fields(msg.Header.Get("Subject")), " ")
	}
	p.Subject = inbound.Clean(p.Subject)
	p.Refs = msgIDs.FindAllString(msg.Header.Get("In-Reply-To")+" "+msg.Header.Get("References"), -1)
	body, err := io.ReadAll(msg.Body)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnreadable, err)
	}
	var text, html string
	ctype := msg.Header.Get("Content-Type")
	mt, params, _ := mime.ParseMediaType(ctype)
	p.Report, p.ReportType = mt == "multipart/report", strings.ToLower(params["report-type"])
	walk(p, msg.Header, body, &text, &html, 0)
	if text == "" && html != "" {
		text = htmlText(html)
	}
	p.Text = inbound.Clean(trimQuoted(text))
	// An id kept as it came must be storable text: one that is not (a NUL,
	// bytes that are not UTF-8) is kept by its hash, as a long one is,
	// still the same each time the mail comes.
	if id := msgIDs.FindString(msg.Header.Get("Message-ID")); id != "" && len(id) <= maxIDLen+2 && inbound.Clean(id) == id {
		p.ID = strings.Trim(id, "<>")
	} else if id != "" {
		sum := sha256.Sum256([]byte(id))
		p.ID = "sha256:" + hex.EncodeToString(sum[:])
	} else {
		sum := sha256.New()
		for _, k := range []string{"From", "To", "Date", "Subject"} {
			sum.Write([]byte(msg.Header.Get(k) + "\n"))
		}
		sum.Write(body)
		p.ID = "sha256:" + hex.EncodeToString(sum.Sum(nil))
	}
	return p, nil
}

// msgIDs finds Message-IDs in a header.
var msgIDs = regexp.MustCompile(`<[^<>\s]+@[^<>\s]+>`)

// header is what walk needs of a part's header.
type header interface{ Get(string) string }

// maxDepth bounds how deep multiparts nest: a mail built to nest forever
// is read no further.
const maxDepth = 10

// walk reads one part: a multipart's parts in turn, the first text/plain
// and text/html as the body, anything else (or a part marked attachment)
// as a file.
func walk(p *Parsed, h header, body []byte, text, html *string, depth int) {
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		mt, params = "text/plain", map[string]string{}
	}
	data := decodeBody(h.Get("Content-Transfer-Encoding"), body)
	if strings.HasPrefix(mt, "multipart/") && depth < maxDepth {
		mr := multipart.NewReader(bytes.NewReader(data), params["boundary"])
		for {
			part, err := mr.NextRawPart()
			if err != nil {
				return
			}
			if p.parts++; p.parts > maxParts {
				p.Unread++
				continue
			}
			b, err := io.ReadAll(part)
			if err != nil {
				return
			}
			walk(p, part.Header, b, text, html, depth+1)
		}
	}
	disp, dparams, _ := mime.ParseMediaType(h.Get("Content-Disposition"))
	name := dparams["filename"]
	if name == "" {
		name = params["name"]
	}
	if n, err := decoder.DecodeHeader(name); err == nil {
		name = n
	}
	attached := disp == "attachment" || name != ""
	switch {
	case !attached && mt == "text/plain" && *text == "":
		*text = toUTF8(data, params["charset"])
	case !attached && mt == "text/html" && *html == "":
		*html = toUTF8(data, params["charset"])
	case !attached && (strings.HasPrefix(mt, "text/") || strings.HasPrefix(mt, "message/")):
		// A further text part, or a report's machine-readable parts: not
		// the person's words, and no file either.
	default:
		if name == "" {
			name = "lampiran"
		}
		p.Files = append(p.Files, upload.File{Name: inbound.Clean(name), Data: data})
	}
}

// decodeBody undoes a part's transfer encoding; what is not valid in it is
// kept as it came.
func decodeBody(cte string, body []byte) []byte {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "base64":
		clean := bytes.Map(func(r rune) rune {
			if r == '\r' || r == '\n' || r == ' ' || r == '\t' {
				return -1
			}
			return r
		}, body)
		// Sized for the unpadded form, the longer of the two tried: "QUI"
		// decodes to two bytes unpadded and to none padded.
		out := make([]byte, base64.RawStdEncoding.DecodedLen(len(clean)))
		n, err := base64.StdEncoding.Decode(out, clean)
		if err != nil {
			n2, err2 := base64.RawStdEncoding.Decode(out, bytes.TrimRight(clean, "="))
			if err2 != nil {
				return out[:n]
			}
			n = n2
		}
		return out[:n]
	case "quoted-printable":
		out, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body)))
		if err != nil && len(out) == 0 {
			return body
		}
		return out
	}
	return body
}

// toUTF8 reads text in its charset; text in an unknown charset is kept
// where it is valid UTF-8.
func toUTF8(data []byte, charset string) string {
	r, err := charsetReader(charset, bytes.NewReader(data))
	if err == nil {
		if b, err := io.ReadAll(r); err == nil {
			data = b
		}
	}
	s := strings.ReplaceAll(string(data), "\r\n", "\n")
	return strings.ToValidUTF8(s, "\uFFFD")
}

// quoteHead is the line a mail program puts above the message answered.
var quoteHead = regexp.MustCompile(`(?m)^\s*(On\s.{1,300}\swrote:|Pada\s.{1,300}\smenulis:|-{2,}\s*Original Message\s*-{2,}|-{2,}\s*Pesan Asli\s*-{2,})\s*$`)

// trimQuoted cuts the quoted history below "On … wrote:" / "Pada …
// menulis:" (and the "> " lines at the end): the ticket already holds it.
// A mail that is nothing but a quote is kept whole.
func trimQuoted(s string) string {
	s = strings.TrimSpace(s)
	if loc := quoteHead.FindStringIndex(s); loc != nil && strings.TrimSpace(s[:loc[0]]) != "" {
		s = strings.TrimSpace(s[:loc[0]])
	}
	lines := strings.Split(s, "\n")
	end := len(lines)
	for end > 0 && (strings.HasPrefix(lines[end-1], ">") || strings.TrimSpace(lines[end-1]) == "") {
		end--
	}
	if end > 0 {
		lines = lines[:end]
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// clip shortens s to at most n characters.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
