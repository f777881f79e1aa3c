package outbox_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/channels/kannel"
	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/outbox"
	"github.com/lontara-id/lontara/internal/testenv"
)

// benchSMS is how many SMS one run of BenchmarkSMSToKannel delivers.
const benchSMS = 5000

// BenchmarkSMSToKannel measures the outbox delivering SMS through the real
// Kannel (smsbox's sendsms, bearerbox, the fake SMSC): it enqueues
// benchSMS messages and runs the worker with the Kannel sender until none
// is left, then checks the fake SMSC got each once. In the same run it
// measures Kannel alone (as many requests of the same shape from a tight
// loop, as many at once as the worker sends, half just before the worker
// and half just after) as the ceiling, and reports the ratio.
//
//	go test ./internal/outbox -run '^$' -bench SMSToKannel -benchtime 1x -count 3
func BenchmarkSMSToKannel(b *testing.B) {
	k := testenv.KannelGateway(b)
	// Kannel calls the delivery reports back: a receiver that answers at
	// once stands for the server's endpoint.
	var reports atomic.Int64
	dlr := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { reports.Add(1) }))
	defer dlr.Close()
	cfg := kannel.Config{SendSMSURL: k.SendSMSURL, Sender: "1500", Secret: "bench", BaseURL: dlr.URL}
	for _, engine := range []struct {
		name string
		open func(testing.TB) *db.DB
	}{{"sqlite", dbtest.SQLite}, {"postgres", dbtest.Postgres}} {
		b.Run(engine.name, func(b *testing.B) {
			var elapsed, ceiling time.Duration
			for range b.N {
				d := engine.open(b)
				marker := fmt.Sprintf("bench%d", time.Now().UnixNano())
				enqueueSMS(b, d, marker, benchSMS)
				w := outbox.NewWorker(d, map[string]outbox.Sender{outbox.SMS: kannel.NewSender(cfg)})
				w.Idle = 10 * time.Millisecond
				// Kannel alone is measured just before and just after the
				// worker and the two averaged, so that a machine busier
				// in one than the other skews the ratio less; each part
				// starts with Kannel idle (the delivery reports of the
				// previous part all called back).
				settle(&reports)
				ceiling += kannelAlone(b, cfg, benchSMS/2, w.Concurrency)
				settle(&reports)
				elapsed += drain(b, d, w)
				got, dups := atFakeSMSC(b, k, marker, benchSMS)
				if got != benchSMS || dups != 0 {
					b.Fatalf("the fake SMSC got %d of %d, %d twice", got, benchSMS, dups)
				}
				settle(&reports)
				ceiling += kannelAlone(b, cfg, benchSMS/2, w.Concurrency)
			}
			n := float64(benchSMS * b.N)
			b.ReportMetric(n/elapsed.Seconds(), "msgs/s")
			b.ReportMetric(n/ceiling.Seconds(), "kannel-msgs/s")
			b.ReportMetric(ceiling.Seconds()/elapsed.Seconds(), "ratio")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// settle waits until Kannel has stopped calling delivery reports back for
// half a second.
func settle(reports *atomic.Int64) {
	for last := int64(-1); reports.Load() != last; time.Sleep(500 * time.Millisecond) {
		last = reports.Load()
	}
}

// enqueueSMS writes n SMS to distinct numbers, each text carrying marker
// and its sequence number.
func enqueueSMS(t testing.TB, d *db.DB, marker string, n int) {
	t.Helper()
	msgs := make([]outbox.Message, n)
	for i := range msgs {
		msgs[i] = outbox.Message{Channel: outbox.SMS, Address: fmt.Sprintf("+62812%08d", i), Kind: "bench",
			Body: fmt.Sprintf("%s %d Tiket Anda sudah dijawab.", marker, i)}
	}
	if err := outbox.Enqueue(context.Background(), d.W, msgs...); err != nil {
		t.Fatal(err)
	}
}

// drain runs w until no message is pending or sending and returns how
// long that took.
func drain(t testing.TB, d *db.DB, w *outbox.Worker) time.Duration {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	start := time.Now()
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	for deadline := start.Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		var left int
		if err := d.R.QueryRow(`SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')`).
			Scan(&left); err != nil {
			t.Fatal(err)
		}
		if left == 0 {
			return time.Since(start)
		}
	}
	t.Fatal("the worker did not deliver the outbox in 2 minutes")
	return 0
}

// atFakeSMSC waits until the fake SMSC has logged want distinct messages
// carrying marker ("marker seq …") and returns how many distinct ones and
// how many more than once it saw.
func atFakeSMSC(t testing.TB, k testenv.Kannel, marker string, want int) (distinct, dups int) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		seen := fakeSMSCSeqs(t, k, marker)
		distinct, dups = len(seen), 0
		for _, n := range seen {
			dups += n - 1
		}
		if distinct >= want || time.Now().After(deadline) {
			return distinct, dups
		}
	}
}

// fakeSMSCSeqs counts the MT messages in the fake SMSC's log by the
// sequence number that follows marker in their text.
func fakeSMSCSeqs(t testing.TB, k testenv.Kannel, marker string) map[int]int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(k.Dir, "fakesmsc.log"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]int{}
	key := marker + " "
	for l := range strings.Lines(string(b)) {
		_, rest, ok := strings.Cut(l, key)
		if !ok || !strings.Contains(l, "Got message") {
			continue
		}
		seq, _, _ := strings.Cut(rest, " ")
		if n, err := strconv.Atoi(seq); err == nil {
			seen[n]++
		}
	}
	return seen
}

// kannelAlone hands n SMS to Kannel's sendsms straight from a loop of
// conc requests at once over kept-alive connections, as the worker's
// sender asks them (same parameters, a delivery report each), and returns
// how long Kannel took to accept them all.
func kannelAlone(t testing.TB, cfg kannel.Config, n, conc int) time.Duration {
	t.Helper()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = conc
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	defer tr.CloseIdleConnections()
	marker := fmt.Sprintf("alone%d", time.Now().UnixNano())
	var next, failed atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range conc {
		wg.Go(func() {
			for i := next.Add(1); i <= int64(n); i = next.Add(1) {
				id := strconv.FormatInt(i, 10)
				q := url.Values{"to": {fmt.Sprintf("+62813%08d", i)}, "text": {marker + " " + id + " Tiket Anda sudah dijawab."},
					"from": {cfg.Sender}, "charset": {"UTF-8"}, "dlr-mask": {"27"},
					"dlr-url": {cfg.BaseURL + "/channels/sms/kannel/dlr?secret=bench&id=" + id + "&status=%d"}}
				resp, err := client.Get(cfg.SendSMSURL + "&" + q.Encode())
				if err != nil {
					failed.Add(1)
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusAccepted && resp.StatusCode != http.StatusOK {
					failed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	took := time.Since(start)
	if failed.Load() > 0 {
		t.Fatalf("Kannel refused %d of %d", failed.Load(), n)
	}
	return took
}
