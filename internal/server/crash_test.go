package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/config"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/helpdesk"
	"github.com/lontara-id/lontara/internal/period"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/rollup"
	"github.com/lontara-id/lontara/internal/server/servertest"
	"github.com/lontara-id/lontara/internal/survey"
	"github.com/lontara-id/lontara/internal/training"
)

// The crash test's city: 32 people writing at once, each with a token of
// their own, over 4 agencies; a seat at each of 16 events, and 12 survey
// campaigns to answer (more than the clients get to in three rounds, so
// none runs out of work). Seats are fewer than people, so both places on
// an event and on its waitlist are given.
const (
	crashClients   = 32
	crashAgencies  = 4
	crashEvents    = 16
	crashSeats     = 10
	crashCampaigns = 12
	crashRounds    = 3
)

// TestKilledServerKeepsAcknowledgedWrites is crash safety on the real
// binary: 32 clients file tickets, reply to them, enrol in training and
// answer the LO survey through the API of a `lontara serve` process, and
// the process is killed with SIGKILL in the middle of that, at a random
// moment after some hundreds of acknowledged writes; three times, each
// time started again on the same database. After each kill, with the
// server dead, and once more after the last restart: every write the
// server acknowledged (a 2xx with the ticket's number or the new row's id)
// is there with its content; nothing is half-written (every ticket has its
// history, audit record and search document, every reply its history and
// its words in the ticket's search document, every enrolment its audit
// record, seats never over capacity, every answered invitation its held
// or moved answers, the roll-ups equal to a rebuild); and the engine's own
// integrity checks pass. Writes that were in flight at the kill may or may
// not be there, but whole. Survey answers are anonymous, so they are
// checked by counts per campaign and per item and value, never by who.
func TestKilledServerKeepsAcknowledgedWrites(t *testing.T) {
	build := servertest.BuildAsync(t)
	for _, engine := range []db.Engine{db.SQLite, db.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			start := time.Now()
			dsn := dbtest.DSN(t, engine)
			d, err := db.OpenMigrated(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			if engine == db.SQLite {
				walFull(t, d)
			}
			c := newCrashCity(t, d)
			bin := build()
			addr := servertest.FreeAddr(t)
			// --jobs-every: the survey's move of held answers and the
			// roll-ups' refresh run every second, so kills land in them too.
			args := []string{"serve", "--db", dsn, "--addr", addr, "--jobs-every", "1s", "--log-level", "warn"}
			c.base = "http://" + addr
			t.Logf("%s: the city ready and the binary built after %v", engine, time.Since(start).Round(time.Millisecond))
			for round := 1; round <= crashRounds; round++ {
				srv := servertest.StartProcess(t, bin, args, fmt.Sprintf("serve-%d", round))
				servertest.WaitHealthy(t, c.base, time.Minute)
				took, acked, inFlight := c.loadAndKill(t, srv)
				t.Logf("%s round %d: killed after %v of load, %d writes acknowledged so far, %d clients cut off in the middle of a request",
					engine, round, took.Round(time.Millisecond), acked, inFlight)
				c.check(t, d)
			}
			srv := servertest.StartProcess(t, bin, args, "serve-last")
			servertest.WaitHealthy(t, c.base, time.Minute)
			c.readBack(t)
			if err := srv.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			if err := srv.Wait(); err != nil {
				t.Errorf("the last server, stopped by SIGTERM: %v", err)
			}
			c.check(t, d) // stopped, so its jobs do not move answers under the counts
			t.Logf("%s: %s in %v", engine, c.ledger.summary(), time.Since(start).Round(time.Millisecond))
		})
	}
}

// walFull checks that SQLite runs as the README promises, with
// synchronous=FULL: an acknowledged commit is in the WAL file (which a
// killed process cannot lose) and synced (which a power cut cannot). A
// kill cannot tell FULL from NORMAL, so this guards the setting itself.
func walFull(t *testing.T, d *db.DB) {
	t.Helper()
	if w, err := d.DurabilityWarnings(context.Background()); err != nil || len(w) > 0 {
		t.Errorf("SQLite as Lontara opens it: %q, %v", w, err)
	}
}

// crashCity is the test's city, its clients and what the server
// acknowledged to them.
type crashCity struct {
	base      string
	zone      *time.Location
	clients   []*crashClient
	events    []int64
	campaigns []int64
	items     []int64 // the LO instrument's, in order
	http      *http.Client
	killed    atomic.Bool // set just before each kill: a request failing after it is expected
	ledger    *ledger
	rng       *rand.Rand
}

func newCrashCity(t *testing.T, d *db.DB) *crashCity {
	t.Helper()
	ctx, sys := context.Background(), policy.SystemActor("test")
	zone, err := time.LoadLocation(config.Default().TimeZone)
	if err != nil {
		t.Fatal(err)
	}
	h := servertest.At(t, "", d)
	c := &crashCity{zone: zone, ledger: newLedger(), rng: rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 9)),
		http: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: crashClients}}}
	var agencies []int64
	for i := range crashAgencies {
		agencies = append(agencies, dbtest.Agency(t, d, fmt.Sprintf("OPD%d", i), fmt.Sprintf("Dinas %d", i), "dinas"))
	}
	for i := range crashClients {
		agency := agencies[i%crashAgencies]
		employee, account := dbtest.Person(t, d, agency, fmt.Sprintf("Pegawai %02d", i), fmt.Sprintf("pegawai%02d@makassarkota.go.id", i))
		dbtest.Grant(t, d, account, string(policy.Employee), agency)
		token, _, err := h.Svc.Auth.CreateToken(ctx, sys, account, "crash", nil)
		if err != nil {
			t.Fatal(err)
		}
		c.clients = append(c.clients, &crashClient{city: c, n: i, token: token, employee: employee, account: account,
			rng: rand.New(rand.NewPCG(c.rng.Uint64(), uint64(i)))})
	}
	for i := range crashEvents {
		c.events = append(c.events, dbtest.Event(t, d, fmt.Sprintf("Bimtek keamanan aplikasi %d", i), crashSeats, 8))
	}
	if _, err := d.W.Exec(`UPDATE events SET self_enrol = TRUE`); err != nil {
		t.Fatal(err)
	}
	instrument, err := survey.EnsureLO(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	if c.items, err = db.IDs(ctx, d.R, `SELECT id FROM survey_items WHERE instrument_id = $1 ORDER BY position`, instrument); err != nil {
		t.Fatal(err)
	}
	today := time.Now().In(zone)
	for i := range crashCampaigns {
		cp, err := h.Svc.Survey.CreateCampaign(ctx, sys, survey.CampaignInput{Title: fmt.Sprintf("Survei OP putaran %d", i),
			Period: period.Of(today, period.Quarter).String(), OpensOn: today.Format(time.DateOnly),
			ClosesOn: today.AddDate(0, 1, 0).Format(time.DateOnly)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.Svc.Survey.OpenCampaign(ctx, sys, cp.ID); err != nil {
			t.Fatal(err)
		}
		c.campaigns = append(c.campaigns, cp.ID)
	}
	// Built before the load, so the marks the writes leave are what
	// keeps the roll-ups right (an unbuilt roll-up is rebuilt whole).
	if err := rollup.New(d, zone).Rebuild(ctx, time.Now()); err != nil {
		t.Fatal(err)
	}
	return c
}

// loadAndKill runs the clients until a random number (150 to 400) more
// writes are acknowledged, kills the server with SIGKILL, and waits for
// the clients to stop. It returns how long the load ran, the writes
// acknowledged in all, and the requests this round left unanswered.
func (c *crashCity) loadAndKill(t *testing.T, srv *servertest.Process) (time.Duration, int, int) {
	t.Helper()
	c.killed.Store(false)
	if t.Failed() { // a check failed after the last kill: its findings are enough
		t.FailNow()
	}
	target := c.ledger.acked() + 150 + c.rng.IntN(250)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	var unanswered atomic.Int64
	start := time.Now()
	for _, cl := range c.clients {
		wg.Go(func() { unanswered.Add(int64(cl.run(ctx, t))) })
	}
	for deadline := time.Now().Add(time.Minute); c.ledger.acked() < target; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			cancel()
			wg.Wait()
			t.Fatalf("%d writes acknowledged, not %d, after %v", c.ledger.acked(), target, time.Since(start))
		}
	}
	took := time.Since(start)
	c.killed.Store(true)
	if err := srv.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = srv.Wait()
	cancel()
	wg.Wait()
	return took, c.ledger.acked(), int(unanswered.Load())
}

// crashClient is one person writing as fast as the server answers.
type crashClient struct {
	city              *crashCity
	n                 int
	token             string
	employee, account int64
	rng               *rand.Rand
	tickets           []string // acknowledged, to reply to
	seq               int      // writes tried
	event, campaign   int      // the next to enrol in and to answer
}

// run writes until the server stops answering or ctx ends, and returns
// how many requests got no answer (0 or 1).
func (cl *crashClient) run(ctx context.Context, t *testing.T) int {
	for ctx.Err() == nil {
		cl.seq++
		var err error
		switch {
		case cl.seq%4 == 1 && len(cl.tickets) > 0:
			err = cl.reply(ctx, t)
		case cl.seq%4 == 2 && cl.event < len(cl.city.events):
			err = cl.enrol(ctx, t)
		case cl.seq%4 == 3 && cl.campaign < len(cl.city.campaigns):
			err = cl.answer(ctx, t)
		default:
			err = cl.file(ctx, t)
		}
		if err != nil {
			if !cl.city.killed.Load() && ctx.Err() == nil {
				t.Errorf("client %d: a request failed while the server ran: %v", cl.n, err)
			}
			return 1
		}
	}
	return 0
}

func (cl *crashClient) file(ctx context.Context, t *testing.T) error {
	in := helpdesk.TicketInput{Subject: fmt.Sprintf("Aplikasi kepegawaian lambat (pegawai %d, laporan %d)", cl.n, cl.seq),
		Body: fmt.Sprintf("Sejak pagi halaman cuti tidak terbuka; laporan %d dari pegawai %d.", cl.seq, cl.n), Category: "application"}
	var out helpdesk.Ticket
	if err := cl.post(ctx, t, "/api/v1/tickets", in, &out); err != nil {
		return err
	}
	cl.tickets = append(cl.tickets, out.Number)
	cl.city.ledger.ticket(out.Number, ticketAck{subject: in.Subject, body: in.Body, reporter: cl.account})
	return nil
}

func (cl *crashClient) reply(ctx context.Context, t *testing.T) error {
	number := cl.tickets[cl.rng.IntN(len(cl.tickets))]
	body := fmt.Sprintf("Tambahan %d: masih gagal, kode galat %s.", cl.seq, strconv.FormatUint(cl.rng.Uint64()%1e6, 36))
	var out helpdesk.Message
	if err := cl.post(ctx, t, "/api/v1/tickets/"+number+"/replies", helpdesk.ReplyInput{Body: body}, &out); err != nil {
		return err
	}
	cl.city.ledger.reply(out.ID, replyAck{number: number, body: body})
	return nil
}

func (cl *crashClient) enrol(ctx context.Context, t *testing.T) error {
	event := cl.city.events[cl.event]
	cl.event++ // tried once: a place asked for in flight at the kill may be there
	var out training.Enrolment
	if err := cl.post(ctx, t, fmt.Sprintf("/api/v1/events/%d/enrolments", event), training.EnrolInput{EmployeeID: cl.employee}, &out); err != nil {
		return err
	}
	cl.city.ledger.enrolment(out)
	return nil
}

// answer answers the next campaign with a random value for every item:
// as the survey's own form, signed in without a token.
func (cl *crashClient) answer(ctx context.Context, t *testing.T) error {
	campaign := cl.city.campaigns[cl.campaign]
	cl.campaign++
	in := survey.ResponseInput{}
	for _, item := range cl.city.items {
		in.Answers = append(in.Answers, survey.Answer{ItemID: item, Value: 1 + cl.rng.IntN(6)})
	}
	var out survey.Received
	err := cl.post(ctx, t, fmt.Sprintf("/api/v1/surveys/%d/responses", campaign), in, &out)
	if err == nil && (!out.Received || out.CampaignID != campaign) {
		t.Errorf("client %d: answers to campaign %d acknowledged as %+v", cl.n, campaign, out)
	}
	cl.city.ledger.answers(campaign, in.Answers, err == nil)
	return err
}

// post sends body as JSON with the client's token and decodes a 2xx
// answer into out. An error is a request without an answer (the server
// died); any answer but a 2xx fails the test.
func (cl *crashClient) post(ctx context.Context, t *testing.T, path string, body, out any) error {
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequestWithContext(ctx, "POST", cl.city.base+path, bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+cl.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := cl.city.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		return err // cut off in the middle: not acknowledged
	}
	if resp.StatusCode/100 != 2 {
		t.Errorf("client %d: POST %s: %d %s", cl.n, path, resp.StatusCode, got)
		return fmt.Errorf("%d", resp.StatusCode)
	}
	if err := json.Unmarshal(got, out); err != nil {
		t.Errorf("client %d: POST %s: %v: %s", cl.n, path, err, got)
		return err
	}
	return nil
}

// readBack reads acknowledged tickets through the restarted server, as
// their reporters would: one of each client's, with the replies
// acknowledged on it, and found by searching for the code a reply ends
// with.
func (c *crashCity) readBack(t *testing.T) {
	t.Helper()
	h := &servertest.Harness{URL: c.base}
	read, found := 0, 0
	for _, cl := range c.clients {
		if len(cl.tickets) == 0 {
			continue
		}
		number := cl.tickets[len(cl.tickets)-1]
		for _, n := range cl.tickets { // one with replies, where the client has one
			if len(c.ledger.repliesOf(n)) > 0 {
				number = n
			}
		}
		var got helpdesk.Ticket
		h.Do(t, "GET", "/api/v1/tickets/"+number, cl.token, nil, "").JSON(t, &got)
		want := c.ledger.repliesOf(number)
		for _, m := range got.Messages {
			delete(want, m.Body)
		}
		if got.Number != number || len(want) > 0 {
			t.Errorf("%s through the restarted server: %q, missing replies %v", number, got.Number, want)
		}
		read++
		for body := range c.ledger.repliesOf(number) {
			found += c.findByReply(t, h, cl.token, number, body)
			break
		}
	}
	t.Logf("%d tickets read back through the restarted server, %d found by searching for a reply's code", read, found)
}

// findByReply searches, as the reporter, for the code at the end of a
// reply acknowledged on the ticket, which must find it; it returns 1 if
// it did.
func (c *crashCity) findByReply(t *testing.T, h *servertest.Harness, token, number, body string) int {
	t.Helper()
	fields := strings.Fields(strings.TrimSuffix(body, "."))
	code := fields[len(fields)-1]
	r := h.Do(t, "GET", "/api/v1/search?type=ticket&q="+url.QueryEscape(code), token, nil, "")
	var list struct {
		Items []struct{ ID string } `json:"items"`
	}
	r.JSON(t, &list)
	for _, it := range list.Items {
		if it.ID == number {
			return 1
		}
	}
	t.Errorf("searching for %q (a reply on %s) through the restarted server: %d %s", code, number, r.Status, r.Body)
	return 0
}
