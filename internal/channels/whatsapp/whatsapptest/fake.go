// Package whatsapptest is a local stand-in for the WhatsApp Business Cloud
// API that speaks its JSON shapes: a server taking text messages at
// /{version}/{phone-id}/messages as Meta does (and refusing, as Meta does,
// what Meta would refuse), and the signed webhook posts Meta makes to a
// business's server. Tests send through it and post from it without
// reaching Meta.
package whatsapptest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"
	"unicode/utf16"
)

// Version is the Graph API version the fake answers under.
const Version = "v21.0"

// Fake is the Cloud API of one business phone number.
type Fake struct {
	// APIURL is what --whatsapp-api-url names: the server and the version.
	APIURL string
	// PhoneID is the phone number's id; Display the number as people see it.
	PhoneID, Display string
	// Token is the access token the fake takes.
	Token string

	mu    sync.Mutex
	sent  []Sent
	fails []Failure
	seq   int
}

// Sent is one message the fake took.
type Sent struct {
	ID   string // the wamid it answered
	To   string
	Body string
	At   time.Time
}

// Failure is an error the fake answers in place of taking a message, in
// Meta's shape {"error":{"message","type","code","fbtrace_id"}}.
type Failure struct {
	Status  int
	Code    int
	Type    string
	Message string
	Details string
}

// New starts a fake for the test; it stops when the test ends.
func New(t testing.TB) *Fake {
	t.Helper()
	f := &Fake{PhoneID: "106540352242922", Display: "6281100015000", Token: "EAAG-test-token"}
	srv := httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(srv.Close)
	f.APIURL = srv.URL + "/" + Version
	return f
}

// Fail makes the next messages fail with fs, one message each, in order.
func (f *Fake) Fail(fs ...Failure) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fails = append(f.fails, fs...)
}

// Sent returns the messages taken so far.
func (f *Fake) Sent() []Sent {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Sent(nil), f.sent...)
}

// WaitFor waits up to five seconds for a message to to that match takes,
// and returns it, failing the test if none comes.
func (f *Fake) WaitFor(t testing.TB, to string, match func(Sent) bool) Sent {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		for _, s := range f.Sent() {
			if s.To == to && match(s) {
				return s
			}
		}
	}
	t.Fatalf("whatsapptest: no message to %s as wanted; got %+v", to, f.Sent())
	return Sent{}
}

// message is the request body the Cloud API takes for a text message; the
// fake refuses members it does not know.
type message struct {
	MessagingProduct string `json:"messaging_product"`
	RecipientType    string `json:"recipient_type"`
	To               string `json:"to"`
	Type             string `json:"type"`
	Text             *struct {
		PreviewURL *bool  `json:"preview_url"`
		Body       string `json:"body"`
	} `json:"text"`
}

var waID = regexp.MustCompile(`^[1-9][0-9]{7,14}$`)

func (f *Fake) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/"+Version+"/"+f.PhoneID+"/messages" {
		f.refuse(w, Failure{Status: 400, Code: 100, Type: "GraphMethodException",
			Message: fmt.Sprintf("Unsupported %s request. Object with ID '%s' does not exist", r.Method, r.URL.Path)})
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+f.Token {
		f.refuse(w, Failure{Status: 401, Code: 190, Type: "OAuthException",
			Message: "Invalid OAuth access token - Cannot parse access token"})
		return
	}
	if r.Header.Get("Content-Type") != "application/json" {
		f.refuse(w, Failure{Status: 400, Code: 100, Type: "OAuthException", Message: "(#100) Invalid parameter",
			Details: "Content-Type must be application/json"})
		return
	}
	var m message
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		f.refuse(w, Failure{Status: 400, Code: 100, Type: "OAuthException", Message: "(#100) Invalid parameter",
			Details: err.Error()})
		return
	}
	if problem := check(m); problem != "" {
		f.refuse(w, Failure{Status: 400, Code: 100, Type: "OAuthException", Message: "(#100) Invalid parameter",
			Details: problem})
		return
	}
	f.mu.Lock()
	if len(f.fails) > 0 {
		fail := f.fails[0]
		f.fails = f.fails[1:]
		f.mu.Unlock()
		f.refuse(w, fail)
		return
	}
	f.seq++
	id := "wamid." + base64.StdEncoding.EncodeToString([]byte(fmt.Sprintf("HBgN%s%08dFAKE", m.To, f.seq)))
	f.sent = append(f.sent, Sent{ID: id, To: m.To, Body: m.Text.Body, At: time.Now()})
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"messaging_product": "whatsapp",
		"contacts":          []map[string]string{{"input": m.To, "wa_id": m.To}},
		"messages":          []map[string]string{{"id": id}},
	})
}

// check returns what is wrong with a text message, "" when nothing is.
func check(m message) string {
	switch {
	case m.MessagingProduct != "whatsapp":
		return `messaging_product must be "whatsapp"`
	case m.RecipientType != "individual":
		return `recipient_type must be "individual"`
	case !waID.MatchString(m.To):
		return fmt.Sprintf("to %q is not a phone number in digits with its country code", m.To)
	case m.Type != "text":
		return `type must be "text"`
	case m.Text == nil || m.Text.Body == "":
		return "text.body is required"
	case m.Text.PreviewURL == nil:
		return "text.preview_url is missing"
	case len(utf16.Encode([]rune(m.Text.Body))) > 4096:
		return "text.body is longer than 4096 characters"
	}
	return ""
}

func (f *Fake) refuse(w http.ResponseWriter, fail Failure) {
	e := map[string]any{"message": fail.Message, "type": fail.Type, "code": fail.Code,
		"fbtrace_id": "AbCdEf" + strconv.Itoa(fail.Code)}
	if fail.Details != "" {
		e["error_data"] = map[string]string{"messaging_product": "whatsapp", "details": fail.Details}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(fail.Status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": e})
}

// Sign is the X-Hub-Signature-256 header Meta sends with body, signed
// with the app's secret.
func Sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// Post builds Meta's POST of body to the webhook at url, signed with
// secret ("" for no signature).
func Post(t testing.TB, url, secret string, body []byte) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "facebookexternalua")
	if secret != "" {
		req.Header.Set("X-Hub-Signature-256", Sign(secret, body))
	}
	return req
}

// envelope wraps one change's value as Meta delivers it.
func (f *Fake) envelope(value map[string]any) []byte {
	value["messaging_product"] = "whatsapp"
	value["metadata"] = map[string]string{"display_phone_number": f.Display, "phone_number_id": f.PhoneID}
	b, _ := json.Marshal(map[string]any{
		"object": "whatsapp_business_account",
		"entry": []any{map[string]any{
			"id":      "102290129340398",
			"changes": []any{map[string]any{"value": value, "field": "messages"}},
		}},
	})
	return b
}

// Text is the webhook body of a text message from the number from
// (digits, as WhatsApp gives it) with the wamid id.
func (f *Fake) Text(from, name, id, body string) []byte {
	return f.Message(from, name, map[string]any{"id": id, "type": "text", "text": map[string]string{"body": body}})
}

// Media is the webhook body of a message of a type other than text
// (image, audio, sticker, location, …) from the number from.
func (f *Fake) Media(from, id, typ string) []byte {
	var content any = map[string]string{"mime_type": "image/jpeg", "sha256": "abc", "id": "1234567890"}
	if typ == "location" {
		content = map[string]float64{"latitude": -5.1477, "longitude": 119.4327}
	}
	return f.Message(from, "", map[string]any{"id": id, "type": typ, typ: content})
}

// Message is the webhook body of the message msg (its id, type and
// content) from the number from; Text and Media fill it in.
func (f *Fake) Message(from, name string, msg map[string]any) []byte {
	msg["from"] = from
	msg["timestamp"] = strconv.FormatInt(time.Now().Unix(), 10)
	return f.envelope(map[string]any{
		"contacts": []any{map[string]any{"profile": map[string]string{"name": name}, "wa_id": from}},
		"messages": []any{msg},
	})
}

// Status is the webhook body of a status (sent, delivered, read, failed)
// of the message wamid sent to the number to; a failed one carries
// Meta's error code and title.
func (f *Fake) Status(wamid, to, status string, code int, title string) []byte {
	s := map[string]any{"id": wamid, "status": status, "recipient_id": to,
		"timestamp": strconv.FormatInt(time.Now().Unix(), 10)}
	if status == "failed" {
		s["errors"] = []any{map[string]any{"code": code, "title": title, "message": title,
			"error_data": map[string]string{"details": title},
			"href":       "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/"}}
	} else {
		s["conversation"] = map[string]any{"id": "CONVERSATION_ID", "origin": map[string]string{"type": "service"}}
		s["pricing"] = map[string]any{"billable": false, "pricing_model": "PMP", "category": "service"}
	}
	return f.envelope(map[string]any{"statuses": []any{s}})
}
