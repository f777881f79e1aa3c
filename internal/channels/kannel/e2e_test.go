package kannel_test

import (
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/lontara-id/lontara/internal/config"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/outbox"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server"
	"github.com/lontara-id/lontara/internal/server/servertest"
	"github.com/lontara-id/lontara/internal/testenv"
)

// moPort guards 127.0.0.1:18081, where Kannel's sms-service and delivery
// reports call: one test at a time listens there.
var moPort sync.Mutex

// gateway is Lontara wired to the real Kannel: the server listening where
// Kannel calls, the harness for people and the API, the outbox worker
// with the Kannel sender, and the fake SMSC's log read from where this
// test began.
type gateway struct {
	k      testenv.Kannel
	d      *db.DB
	h      *servertest.Harness
	base   string // http://127.0.0.1:18081
	worker *outbox.Worker
	from   int64 // offset in fakesmsc.log
}

func startGateway(t *testing.T, k testenv.Kannel, d *db.DB) *gateway {
	t.Helper()
	edit := func(c *config.Config) {
		c.KannelSendSMSURL, c.SMSSecret, c.SMSSender, c.BaseURL = k.SendSMSURL, k.Secret, "1500", "http://"+k.MOAddr
	}
	h := servertest.StartWith(t, d, edit)
	cfg := config.Default()
	cfg.DB = d.DSN
	edit(&cfg)
	srv, _, err := server.New(cfg, d)
	if err != nil {
		t.Fatal(err)
	}
	handler, err := srv.Handler()
	if err != nil {
		t.Fatal(err)
	}
	moPort.Lock()
	ln, err := net.Listen("tcp", k.MOAddr)
	if err != nil {
		moPort.Unlock()
		t.Fatalf("listen where Kannel calls: %v", err)
	}
	hs := &http.Server{Handler: handler}
	go func() { _ = hs.Serve(ln) }()
	t.Cleanup(func() { _ = hs.Close(); moPort.Unlock() })
	senders, err := server.Senders(cfg)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(k.Dir, "fakesmsc.log"))
	if err != nil {
		t.Fatal(err)
	}
	return &gateway{k: k, d: d, h: h, base: "http://" + k.MOAddr, worker: outbox.NewWorker(d, senders), from: st.Size()}
}

// inject hands an SMS from phone (without its +) to the fake SMSC, as
// scripts/kannel-mo.sh does: printable ASCII as text, anything else UCS-2.
func (g *gateway) inject(t *testing.T, phone, text string) {
	t.Helper()
	line := phone + " 1500 text " + text
	if strings.ContainsFunc(text, func(r rune) bool { return r < ' ' || r > '~' }) {
		var sb strings.Builder
		for _, u := range utf16.Encode([]rune(text)) {
			fmt.Fprintf(&sb, "%%%02x%%%02x", u>>8, u&0xff)
		}
		line = phone + " 1500 ucs2 " + sb.String()
	}
	f, err := os.OpenFile(filepath.Join(g.k.Dir, "mo-inbox.txt"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(line + "\n"); err != nil {
		t.Fatal(err)
	}
}

// received waits until n texts from phone are logged and returns the
// last one's status and ticket number.
func (g *gateway) received(t *testing.T, phone string, n int) (status, ticket string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		var count int
		if err := g.d.R.QueryRow(`SELECT COUNT(*) FROM inbound_messages WHERE sender = $1`, phone).Scan(&count); err != nil {
			t.Fatal(err)
		}
		if count >= n {
			var id *int64
			if err := g.d.R.QueryRow(`SELECT status, ticket_id FROM inbound_messages WHERE sender = $1
				ORDER BY id DESC LIMIT 1`, phone).Scan(&status, &id); err != nil {
				t.Fatal(err)
			}
			if id != nil {
				ticket = fmt.Sprintf("T-%06d", *id)
			}
			return status, ticket
		}
		if time.Now().After(deadline) {
			t.Fatalf("Kannel did not hand over text %d from %s", n, phone)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// deliver runs the outbox worker until nothing is due.
func (g *gateway) deliver(t *testing.T) {
	t.Helper()
	for {
		n, err := g.worker.RunOnce(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

// arrived waits until the fake SMSC got an SMS to phone that contains
// want, and returns every text it got for phone since the test began.
func (g *gateway) arrived(t *testing.T, phone, want string) []string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		got := g.smsc(t, phone)
		for _, s := range got {
			if strings.Contains(s, want) {
				return got
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no SMS to %s with %q at the fake SMSC; got %q", phone, want, got)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// smsc reads the SMS the fake SMSC logged for phone since the test began:
// "Got message N: <from to type payload>", payload text, or url-encoded
// bytes (data) or UTF-16BE (ucs-2).
func (g *gateway) smsc(t *testing.T, phone string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join(g.k.Dir, "fakesmsc.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Seek(g.from, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, line := range strings.Split(string(raw), "\n") {
		_, msg, ok := strings.Cut(line, "Got message ")
		if !ok {
			continue
		}
		_, msg, _ = strings.Cut(msg, "<")
		msg = strings.TrimSuffix(msg, ">")
		parts := strings.SplitN(msg, " ", 4)
		if len(parts) < 4 || parts[1] != phone {
			continue
		}
		text := parts[3]
		if parts[2] != "text" {
			b, err := url.QueryUnescape(text)
			if err != nil {
				t.Fatalf("fake SMSC line %q: %v", line, err)
			}
			text = b
			if parts[2] == "ucs-2" || parts[2] == "ucs2" {
				u := make([]uint16, len(b)/2)
				for i := range u {
					u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
				}
				text = string(utf16.Decode(u))
			}
		}
		out = append(out, text)
	}
	return out
}

// get calls the handler as Kannel would.
func (g *gateway) get(t *testing.T, path string, q url.Values) int {
	t.Helper()
	resp, err := http.Get(g.base + path + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == http.StatusOK && len(body) != 0 {
		t.Errorf("%s answered a body Kannel would send as an SMS: %q", path, body)
	}
	return resp.StatusCode
}

func (g *gateway) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := g.d.R.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// uniquePhones are two mobile numbers no other test uses at the shared
// fake SMSC: the employee's and an unknown caller's.
func uniquePhones() (employee, unknown string) {
	n := time.Now().UnixNano() % 10_000_000
	return fmt.Sprintf("62812%07d", n), fmt.Sprintf("62857%07d", (n+1)%10_000_000)
}

func TestSMSThroughKannelOpensTicketsAndAnswersThem(t *testing.T) {
	k := testenv.KannelGateway(t)
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		g := startGateway(t, k, d)
		g.h.Agency(t, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
		g.h.Agency(t, "DISKES", "Dinas Kesehatan", "dinas")
		g.h.Users(t,
			servertest.Person{Email: "nuraini@makassarkota.go.id", Name: "Nur'aini Dottoro'ta", Role: policy.Employee, Agency: "DISKES"},
			servertest.Person{Email: "agen@makassarkota.go.id", Name: "Agen Help Desk", Role: policy.Agent, Agency: "KOMINFO"})
		agent := g.h.Token(t, "agen@makassarkota.go.id")
		emp, stranger := uniquePhones()
		empPhone, strangerPhone := "+"+emp, "+"+stranger
		if _, err := d.W.Exec(`UPDATE employees SET phone = $1 WHERE email = 'nuraini@makassarkota.go.id'`, empPhone); err != nil {
			t.Fatal(err)
		}

		// A known employee's SMS opens her ticket, answered with its number.
		g.inject(t, emp, "Aplikasi e-Kinerja tidak bisa login sejak pagi")
		status, number := g.received(t, empPhone, 1)
		if status != "ticket" || number == "" {
			t.Fatalf("first SMS: %s %s", status, number)
		}
		var tk struct {
			Channel      string `json:"channel"`
			ReporterName string `json:"reporter_name"`
		}
		r := g.h.Do(t, "GET", "/api/v1/tickets/"+number, agent, nil, "")
		r.JSON(t, &tk)
		if r.Status != http.StatusOK || tk.Channel != "sms" || tk.ReporterName != "Nur'aini Dottoro'ta" {
			t.Fatalf("ticket %d %+v", r.Status, tk)
		}
		g.deliver(t)
		g.arrived(t, empPhone, "tiket "+number)

		// An unknown phone's SMS in UCS-2 opens an outside contact's ticket,
		// its text kept exactly.
		text := "Lampu jalan padam di depan rumah Daeng Ä — sudah 3 malam"
		g.inject(t, stranger, text)
		_, other := g.received(t, strangerPhone, 1)
		var body, contact string
		if err := d.R.QueryRow(`SELECT body, contact_phone FROM tickets WHERE id = $1`,
			strings.TrimLeft(strings.TrimPrefix(other, "T-"), "0")).Scan(&body, &contact); err != nil {
			t.Fatal(err)
		}
		if body != text || contact != strangerPhone {
			t.Errorf("outside contact's ticket: %q from %q", body, contact)
		}
		g.deliver(t)
		g.arrived(t, strangerPhone, "tiket "+other)

		// The agent answers on the web's API: the answer goes back by SMS.
		r = g.h.Do(t, "POST", "/api/v1/tickets/"+number+"/replies", agent,
			map[string]any{"body": "Akun Ibu sudah kami buka kembali, silakan coba lagi."}, "")
		if r.Status != http.StatusCreated {
			t.Fatalf("agent's answer: %d %s", r.Status, r.Body)
		}
		g.deliver(t)
		g.arrived(t, empPhone, number+": Akun Ibu sudah kami buka kembali")

		// STATUS, BANTUAN and NILAI round trips.
		g.inject(t, emp, "STATUS "+number)
		g.received(t, empPhone, 2)
		g.deliver(t)
		g.arrived(t, empPhone, "Tiket "+number+" (")
		g.inject(t, stranger, "BANTUAN")
		g.received(t, strangerPhone, 2)
		g.deliver(t)
		g.arrived(t, strangerPhone, "SMS Lontara:")
		etag := g.h.Do(t, "GET", "/api/v1/tickets/"+number, agent, nil, "").Header.Get("ETag")
		r = g.h.DoWith(t, http.Header{"If-Match": {etag}}, "PATCH", "/api/v1/tickets/"+number, agent,
			map[string]any{"status": "resolved"}, "")
		if r.Status != http.StatusOK {
			t.Fatalf("resolve: %d %s", r.Status, r.Body)
		}
		g.inject(t, emp, "nilai "+number+" 5")
		g.received(t, empPhone, 3)
		g.deliver(t)
		g.arrived(t, empPhone, "Nilai 5 untuk tiket "+number)
		if n := g.count(t, `SELECT COUNT(*) FROM ticket_ratings WHERE score = 5`); n != 1 {
			t.Errorf("%d ratings", n)
		}

		// Kannel's delivery reports (the fake SMSC reports 8, then 1)
		// mark what went out delivered.
		deadline := time.Now().Add(20 * time.Second)
		for g.count(t, `SELECT COUNT(*) FROM outbox WHERE status <> 'delivered'`) > 0 {
			if time.Now().After(deadline) {
				t.Fatalf("%d of %d messages without a delivery report",
					g.count(t, `SELECT COUNT(*) FROM outbox WHERE status <> 'delivered'`), g.count(t, `SELECT COUNT(*) FROM outbox`))
			}
			time.Sleep(100 * time.Millisecond)
		}
		g.badInput(t, empPhone, number)
	})
}

// badInput is Kannel's endpoints fed what a broken or hostile caller
// sends, each with its clear answer and nothing stored twice.
func (g *gateway) badInput(t *testing.T, empPhone, number string) {
	t.Helper()
	var seq int
	sms := func(secret, from, text string) url.Values {
		seq++
		q := url.Values{"from": {from}, "to": {"1500"}, "text": {text}, "id": {fmt.Sprintf("bad-%d-%s", seq, hex.EncodeToString([]byte(from)))}}
		if secret != "" {
			q.Set("secret", secret)
		}
		return q
	}
	logged := func() int { return g.count(t, `SELECT COUNT(*) FROM inbound_messages`) }
	tickets := func() int { return g.count(t, `SELECT COUNT(*) FROM tickets`) }
	answers := func() int { return g.count(t, `SELECT COUNT(*) FROM outbox`) }
	long := strings.Repeat("Antrean online puskesmas error terus ", 60)[:2000]
	for _, tc := range []struct {
		name                      string
		q                         url.Values
		status                    int
		logs, newTickets, answers int
	}{
		{"wrong secret", sms("tebakan", empPhone, "halo"), http.StatusForbidden, 0, 0, 0},
		{"no secret", sms("", empPhone, "halo"), http.StatusForbidden, 0, 0, 0},
		{"no id", url.Values{"secret": {g.k.Secret}, "from": {empPhone}, "text": {"halo"}}, http.StatusBadRequest, 0, 0, 0},
		{"unparseable number", sms(g.k.Secret, "TELKOMSEL", "Promo kuota"), http.StatusOK, 1, 0, 0},
		{"empty text", sms(g.k.Secret, empPhone, ""), http.StatusOK, 1, 0, 1},
		{"2,000 characters", sms(g.k.Secret, empPhone, long), http.StatusOK, 1, 1, 1},
		{"unknown command", sms(g.k.Secret, empPhone, "LAPOR"), http.StatusOK, 1, 0, 1},
		{"rating out of range", sms(g.k.Secret, empPhone, "NILAI "+number+" 7"), http.StatusOK, 1, 0, 1},
	} {
		l, tk, a := logged(), tickets(), answers()
		if got := g.get(t, "/channels/sms/kannel", tc.q); got != tc.status {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.status)
		}
		if dl, dt, da := logged()-l, tickets()-tk, answers()-a; dl != tc.logs || dt != tc.newTickets || da != tc.answers {
			t.Errorf("%s: %d logged, %d tickets, %d answers; want %d, %d, %d", tc.name, dl, dt, da, tc.logs, tc.newTickets, tc.answers)
		}
	}
	// The same Kannel id twice: one ticket, one answer.
	q := sms(g.k.Secret, empPhone, "Printer ruang rapat tidak terdeteksi")
	tk, a := tickets(), answers()
	for range 2 {
		if got := g.get(t, "/channels/sms/kannel", q); got != http.StatusOK {
			t.Errorf("same id: %d", got)
		}
	}
	if tickets()-tk != 1 || answers()-a != 1 {
		t.Errorf("the same id twice: %d tickets, %d answers", tickets()-tk, answers()-a)
	}
	// Delivery reports: refused without the secret, an unknown id is
	// answered and logged, a failure marks the message failed, and a
	// later "delivered" of another part does not undo it. The answers
	// above go out first, and the fake SMSC's own reports come in.
	g.deliver(t)
	var id int64
	if err := g.d.R.QueryRow(`SELECT MAX(id) FROM outbox`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for g.count(t, `SELECT COUNT(*) FROM outbox WHERE id = $1 AND status = 'delivered'`, id) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no delivery report from the fake SMSC")
		}
		time.Sleep(100 * time.Millisecond)
	}
	dlr := func(secret string, id int64, status int) int {
		return g.get(t, "/channels/sms/kannel/dlr", url.Values{"secret": {secret}, "id": {fmt.Sprint(id)},
			"status": {fmt.Sprint(status)}})
	}
	if got := dlr("tebakan", id, 2); got != http.StatusForbidden {
		t.Errorf("report with a wrong secret: %d", got)
	}
	if got := dlr(g.k.Secret, id+1000, 1); got != http.StatusOK {
		t.Errorf("report of an unknown message: %d", got)
	}
	for _, s := range []int{8, 2, 1} {
		if got := dlr(g.k.Secret, id, s); got != http.StatusOK {
			t.Errorf("report %d: %d", s, got)
		}
	}
	var st string
	if err := g.d.R.QueryRow(`SELECT status FROM outbox WHERE id = $1`, id).Scan(&st); err != nil {
		t.Fatal(err)
	}
	if st != outbox.Failed {
		t.Errorf("after a failed part: %s", st)
	}
}

// TestTheKannelEndpointsAreOnlyThereWithSMSConfigured: without
// --kannel-sendsms-url nothing answers Kannel's calls.
func TestTheKannelEndpointsAreOnlyThereWithSMSConfigured(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		r := h.Do(t, "GET", "/channels/sms/kannel?secret=x&from=6281&text=a&id=1", "", nil, "")
		if r.Status != http.StatusNotFound {
			t.Errorf("without SMS: %d", r.Status)
		}
	})
}
