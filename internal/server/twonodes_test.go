package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
	"github.com/lontara-id/lontara/internal/testenv"
)

// jobsEvery is the nodes' --jobs-every: every job ticks each second, so
// the escalation job runs within the test's patience.
const jobsEvery = time.Second

// TestTwoNodesBehindNginx runs Lontara as a deployment of two nodes: two
// `lontara serve` processes of the real binary on one PostgreSQL schema,
// behind nginx balancing them round-robin. Through nginx a session, a
// ticket and a scheduled escalation must behave as on one node, and go on
// doing so after one node is killed with SIGKILL.
//
// PostgreSQL only: several nodes share a database server. Two processes on
// one SQLite file are one machine, not a deployment of nodes (the jobs
// package's tests cover that case for the job leases).
func TestTwoNodesBehindNginx(t *testing.T) {
	nginx := testenv.Nginx(t)
	dsn := dbtest.DSN(t, db.Postgres)
	start := time.Now()
	build := servertest.BuildAsync(t)
	ctx := context.Background()
	d, err := db.OpenMigrated(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	front := "http://" + servertest.FreeAddr(t)
	h := servertest.At(t, front, d)
	// The people exist before the nodes start, as in a running city.
	h.Agency(t, "KOMINFO", "Dinas Komunikasi dan Informatika", "dinas")
	h.Agency(t, "DISKES", "Dinas Kesehatan", "dinas")
	pw := h.Users(t,
		servertest.Person{Email: "pegawai@makassarkota.go.id", Name: "Andi Pegawai", Role: policy.Employee, Agency: "DISKES"},
		servertest.Person{Email: "agen@makassarkota.go.id", Name: "Agen Bantuan", Role: policy.Agent, Agency: "KOMINFO"},
		servertest.Person{Email: "admin@makassarkota.go.id", Name: "Super Admin", Role: policy.Superadmin},
	)

	ready := time.Since(start)
	bin := build()
	built := time.Since(start)
	nodes := [2]*node{startNode(t, bin, dsn, front, "node-a"), startNode(t, bin, dsn, front, "node-b")}
	for _, n := range nodes {
		servertest.WaitHealthy(t, "http://"+n.addr, 30*time.Second)
	}
	startNginx(t, nginx, front, nodes[0].addr, nodes[1].addr)
	t.Logf("the database and its people ready after %v, the binary built after %v, two nodes and nginx up after %v",
		ready.Round(time.Millisecond), built.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))

	// A session made through one node holds on both.
	emp := h.SignIn(t, "pegawai@makassarkota.go.id", pw["pegawai@makassarkota.go.id"])
	probe(t, emp, front, nodes[:], "session", 20)

	// A ticket filed through one request (the form's page and its post
	// reach different nodes, so the CSRF token holds across them), read,
	// answered and listed through the others.
	number := fileTicket(t, emp, "Jaringan kantor terputus")
	emp.Get("/bantuan/"+number).Want(t, 200, "the reporter's ticket", "Jaringan kantor terputus")
	agent := h.SignIn(t, "agen@makassarkota.go.id", pw["agen@makassarkota.go.id"])
	agent.Get("/layanan").Want(t, 200, "the queue", number)
	agent.Get("/layanan/" + number)
	agent.PostForm("/layanan/"+number+"/balas", url.Values{"body": {"Kami periksa jaringannya sekarang."}}).
		Want(t, 303, "the agent's reply")
	for range 2 { // one read on each node
		emp.Get("/bantuan/"+number).Want(t, 200, "the answered ticket", "Kami periksa jaringannya sekarang.")
	}
	emp.Get("/bantuan").Want(t, 200, "the reporter's list", number)

	// The escalation job runs on both nodes; the clock about to run out
	// is escalated once.
	superadmin := h.AccountID(t, "admin@makassarkota.go.id")
	dueSoon(t, d, number)
	waitEscalated(t, d, number, superadmin, "both nodes")

	// One node dies. nginx sends its requests to the other; the session
	// holds, a ticket can be filed, and the jobs run on the survivor.
	if err := nodes[0].Cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = nodes[0].Wait()
	killed := time.Now()
	for i := range 10 {
		emp.Get("/bantuan").Want(t, 200, fmt.Sprintf("the list after the kill (%d)", i), number)
	}
	second := fileTicket(t, emp, "Printer bersama tidak terdeteksi")
	emp.Get("/bantuan/"+second).Want(t, 200, "the ticket filed after the kill", "Printer bersama tidak terdeteksi")
	dueSoon(t, d, second)
	waitEscalated(t, d, second, superadmin, "the survivor")
	var holder string
	if err := d.R.QueryRow(`SELECT holder FROM job_runs WHERE name = 'helpdesk.escalate'`).Scan(&holder); err != nil {
		t.Fatal(err)
	}
	if holder != nodes[1].id(t) {
		t.Errorf("the escalation job's last tick was taken by %q, not by the survivor %q", holder, nodes[1].id(t))
	}
	t.Logf("after the kill: the session held, %s was filed and escalated, all within %v; %v in all",
		second, time.Since(killed).Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
}

// node is one `lontara serve` process of the test.
type node struct {
	*servertest.Process
	name, addr string
}

// startNode starts a node on a free loopback port, trusting nginx on
// loopback for X-Forwarded-For and X-Request-ID.
func startNode(t *testing.T, bin, dsn, front, name string) *node {
	t.Helper()
	addr := servertest.FreeAddr(t)
	p := servertest.StartProcess(t, bin, []string{"serve", "--db", dsn, "--addr", addr, "--base-url", front,
		"--trusted-proxies", "127.0.0.1", "--jobs-every", jobsEvery.String(), "--log-level", "info"}, name)
	return &node{Process: p, name: name, addr: addr}
}

var nodeID = regexp.MustCompile(`"jobs started" node=(\S+)`)

// id is the node id the process logged when its jobs started.
func (n *node) id(t *testing.T) string {
	t.Helper()
	m := nodeID.FindStringSubmatch(n.Log(t))
	if m == nil {
		t.Fatalf("%s logged no node id", n.name)
	}
	return m[1]
}

// startNginx runs nginx in front of the nodes with a configuration of its
// own in the test's directory: round-robin, a node that refuses or times
// out is passed over (POSTs too: nothing was sent to it), the client's
// address in X-Forwarded-For. One process, so it runs as the test's user.
func startNginx(t *testing.T, bin, front, a, b string) {
	t.Helper()
	dir := t.TempDir()
	conf := fmt.Sprintf(`daemon off;
master_process off;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log warn;
events { worker_connections 256; }
http {
	access_log %[1]s/access.log;
	client_body_temp_path %[1]s/client_body;
	proxy_temp_path %[1]s/proxy;
	fastcgi_temp_path %[1]s/fastcgi;
	uwsgi_temp_path %[1]s/uwsgi;
	scgi_temp_path %[1]s/scgi;
	upstream lontara {
		server %[2]s max_fails=1 fail_timeout=30s;
		server %[3]s max_fails=1 fail_timeout=30s;
	}
	server {
		listen %[4]s;
		location / {
			proxy_pass http://lontara;
			proxy_set_header Host $http_host;
			proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
			proxy_set_header X-Forwarded-Proto $scheme;
			proxy_next_upstream error timeout;
			proxy_connect_timeout 2s;
		}
	}
}
`, dir, a, b, strings.TrimPrefix(front, "http://"))
	path := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	servertest.StartProcess(t, bin, []string{"-p", dir, "-c", path, "-e", filepath.Join(dir, "error.log")}, "nginx")
	servertest.WaitHealthy(t, front, 10*time.Second)
}

// clientIP is the address the probes' client says it has behind nginx.
const clientIP = "203.0.113.9"

// probe sends n requests for a signed-in page through nginx, each with a
// request id of its own (the nodes take it from a trusted proxy and log
// it), and checks that every one was answered signed in, that both nodes
// served some, and that they saw the client's address in X-Forwarded-For.
func probe(t *testing.T, c *servertest.Client, front string, nodes []*node, what string, n int) {
	t.Helper()
	for i := range n {
		req, err := http.NewRequest("GET", front+"/bantuan", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("X-Request-ID", fmt.Sprintf("%s-probe-%d", what, i))
		req.Header.Set("X-Forwarded-For", clientIP) // nginx adds its own hop
		c.Do(req).Want(t, 200, fmt.Sprintf("%s probe %d", what, i), "Andi Pegawai")
	}
	total := 0
	for _, nd := range nodes {
		served := 0
		for line := range strings.Lines(nd.Log(t)) {
			if !strings.Contains(line, "id="+what+"-probe-") {
				continue
			}
			served++
			if !strings.Contains(line, "ip="+clientIP) {
				t.Errorf("%s: %s did not see the client's address through nginx: %s", what, nd.name, line)
			}
		}
		t.Logf("%s: %s served %d of %d", what, nd.name, served, n)
		if served == 0 {
			t.Errorf("%s: %s served none of the %d requests: nginx did not balance", what, nd.name, n)
		}
		total += served
	}
	if total != n {
		t.Errorf("%s: the nodes logged %d of the %d requests", what, total, n)
	}
}

// fileTicket files a ticket through the "Minta bantuan" form and returns
// its number.
func fileTicket(t *testing.T, c *servertest.Client, subject string) string {
	t.Helper()
	p := c.Submit("/bantuan/baru", url.Values{"subject": {subject}, "body": {"Sejak pagi tidak bisa."},
		"category": {"network"}, "priority": {"normal"}})
	if p.Status != 303 || !strings.HasPrefix(p.Location, "/bantuan/T-") {
		t.Fatalf("file %q: %d to %q: %.400s", subject, p.Status, p.Location, p.Body)
	}
	return strings.TrimPrefix(p.Location, "/bantuan/")
}

// dueSoon brings the ticket's resolution due to two minutes from now:
// inside the escalation's warning window, so the next run warns. (The
// first response's clock may have stopped: an agent's answer stops it.)
func dueSoon(t *testing.T, d *db.DB, number string) {
	t.Helper()
	res, err := d.W.Exec(`UPDATE tickets SET resolution_due = $1 WHERE id = $2`,
		time.Now().UTC().Add(2*time.Minute), ticketID(t, number))
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("no ticket %s", number)
	}
}

func ticketID(t *testing.T, number string) int64 {
	t.Helper()
	var id int64
	if _, err := fmt.Sscanf(number, "T-%d", &id); err != nil {
		t.Fatalf("ticket number %q: %v", number, err)
	}
	return id
}

// waitEscalated waits for the warning of the ticket's resolution, lets
// the job tick a few more times on the nodes (who: which), and checks that
// it ticked once a second between them and that the warning was recorded
// once and told once to the one person to tell (the superadmin: the city
// has no team).
func waitEscalated(t *testing.T, d *db.DB, number string, to int64, who string) {
	t.Helper()
	id := ticketID(t, number)
	count := func(q string, args ...any) int {
		var n int
		if err := d.R.QueryRow(q, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	const escalations = `SELECT COUNT(*) FROM ticket_escalations WHERE ticket_id = $1`
	for deadline := time.Now().Add(15 * time.Second); count(escalations, id) == 0; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s was not escalated in 15 s", number)
		}
	}
	ticksOnce(t, d, who)
	if n := count(escalations+` AND clock = 'resolution' AND level = 'warning'`, id); n != 1 || count(escalations, id) != 1 {
		t.Errorf("%s: %d warnings of its resolution, %d escalations in all; want 1 and 1", number, n, count(escalations, id))
	}
	if n := count(`SELECT COUNT(*) FROM notifications WHERE kind = 'ticket.breach_soon.resolution' AND link = $1`, "/layanan/"+number); n != 1 {
		t.Errorf("%s: %d breach warnings sent, want 1", number, n)
	}
	if n := count(`SELECT COUNT(*) FROM notifications WHERE kind = 'ticket.breach_soon.resolution' AND link = $1
		AND account_id = $2`, "/layanan/"+number, to); n != 1 {
		t.Errorf("%s: the superadmin got %d warnings, want 1", number, n)
	}
}

// ticksOnce checks over a few seconds that the escalation job ticks once
// a second between the nodes, not once a second on each.
func ticksOnce(t *testing.T, d *db.DB, who string) {
	t.Helper()
	runs := func() int {
		var n int
		if err := d.R.QueryRow(`SELECT runs FROM job_runs WHERE name = 'helpdesk.escalate'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before, from := runs(), time.Now()
	time.Sleep(4 * jobsEvery)
	ticks, elapsed := runs()-before, time.Since(from)
	t.Logf("%s: the escalation job ticked %d times in %v", who, ticks, elapsed.Round(time.Millisecond))
	if most := int(elapsed/jobsEvery) + 1; ticks < 1 || ticks > most {
		t.Errorf("%s: the escalation job ticked %d times in %v; want 1 to %d", who, ticks, elapsed, most)
	}
}
