package server_test

import (
	"bufio"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
)

// The authorization matrix: every endpoint of the OpenAPI document, asked
// by every role in its own agency and in another, and by no one, with the
// answer testdata/authz.txt expects (the format is described at the top of
// that file and in the README's API section). The requests are real: path
// parameters name real objects of the agency in question, and writes carry
// valid bodies (on fresh objects where the write changes them), so an
// allowed answer proves the action was done.

const matrixFile = "testdata/authz.txt"

// matrixScopes are the two sides a signed-in case is asked on.
var matrixScopes = []string{"own", "other"}

// matrixRow is one endpoint's expected answers: anon, and per role the
// answers on the own and the other side.
type matrixRow struct {
	line  int
	anon  int
	roles map[policy.Role][2]int
}

// readMatrix reads the table: blank lines and # comments aside, each line
// is METHOD PATH ANON and one cell per role in the order of the header
// line (#! followed by the role names); a cell is STATUS (the same on
// both sides) or OWN/OTHER.
func readMatrix(t *testing.T) (map[string]matrixRow, []policy.Role) {
	t.Helper()
	f, err := os.Open(matrixFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows := map[string]matrixRow{}
	var roles []policy.Role
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if header, ok := strings.CutPrefix(line, "#!"); ok {
			fields := strings.Fields(header)
			if len(fields) < 3 || fields[0] != "method" || fields[1] != "path" || fields[2] != "anon" {
				t.Fatalf("%s:%d: the header must start with method path anon", matrixFile, n)
			}
			for _, r := range fields[3:] {
				if !policy.Role(r).Valid() {
					t.Fatalf("%s:%d: unknown role %q", matrixFile, n, r)
				}
				roles = append(roles, policy.Role(r))
			}
			continue
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if roles == nil || len(fields) != 3+len(roles) {
			t.Fatalf("%s:%d: want method, path, anon and %d role cells after the #! header", matrixFile, n, len(roles))
		}
		key := fields[0] + " " + fields[1]
		if _, dup := rows[key]; dup {
			t.Fatalf("%s:%d: %s has two rows", matrixFile, n, key)
		}
		row := matrixRow{line: n, roles: map[policy.Role][2]int{}}
		if row.anon, err = strconv.Atoi(fields[2]); err != nil {
			t.Fatalf("%s:%d: anon %q is not a status", matrixFile, n, fields[2])
		}
		for i, r := range roles {
			cell := fields[3+i]
			own, other, split := strings.Cut(cell, "/")
			if !split {
				other = own
			}
			a, err1 := strconv.Atoi(own)
			b, err2 := strconv.Atoi(other)
			if err1 != nil || err2 != nil {
				t.Fatalf("%s:%d: %s cell %q is not STATUS or OWN/OTHER", matrixFile, n, r, cell)
			}
			row.roles[r] = [2]int{a, b}
		}
		rows[key] = row
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(roles, policy.Roles) {
		t.Fatalf("%s: the header names roles %v, want every role of the product %v", matrixFile, roles, policy.Roles)
	}
	return rows, roles
}

// documentedOps returns "METHOD /path" of every operation of the served
// OpenAPI document, sorted.
// and those that take an agency_id query parameter: the cases of those
// ask about the side's agency by it.
func documentedOps(t *testing.T, h *servertest.Harness) (ops []string, agencyFilter map[string]bool) {
	t.Helper()
	paths, _ := openAPIDoc(t, h)
	agencyFilter = map[string]bool{}
	for p, item := range paths {
		for method, raw := range item {
			key := strings.ToUpper(method) + " " + p
			ops = append(ops, key)
			params, _ := raw.(map[string]any)["parameters"].([]any)
			for _, param := range params {
				if m := param.(map[string]any); m["in"] == "query" && m["name"] == "agency_id" {
					agencyFilter[key] = true
				}
			}
		}
	}
	slices.Sort(ops)
	return ops, agencyFilter
}

// TestAuthorizationMatrix asks every documented endpoint as every role, on
// the own and the other agency's objects and without credentials, and
// holds the answers to the table. A documented endpoint without a row (or
// without a request below), and a row for an endpoint that is gone, fail.
// No answer may be a 5xx, and every refusal is application/problem+json.
func TestAuthorizationMatrix(t *testing.T) {
	table, roles := readMatrix(t)
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h := servertest.Start(t, d)
		w := buildAuthzWorld(t, h)
		ops, agencyFilter := documentedOps(t, h)
		for key, row := range table {
			if !slices.Contains(ops, key) {
				t.Errorf("%s:%d: %s is not in the OpenAPI document: remove the row", matrixFile, row.line, key)
			}
		}
		for key := range authzRequests {
			if !slices.Contains(ops, key) {
				t.Errorf("authzRequests has %s, which the OpenAPI document does not: remove it", key)
			}
		}
		var observed []string // the rows as answered, for LONTARA_AUTHZ_OBSERVED
		for _, key := range ops {
			build, ok := authzRequests[key]
			if !ok {
				t.Errorf("%s: no request in authzRequests (authz_requests_test.go): add one, and a row to %s", key, matrixFile)
				continue
			}
			method := strings.Fields(key)[0]
			ask := func(who *authzActor, side *authzSide) int {
				p := &authzProbe{t: t, h: h, w: w, me: who, side: side}
				c := build(p)
				if agencyFilter[key] && !strings.Contains(c.path, "?") {
					c.path += fmt.Sprintf("?agency_id=%d", side.agency)
				}
				token := ""
				if who != nil {
					token = who.token
				}
				r := h.DoWith(t, c.header, method, c.path, token, c.body, c.contentType)
				if r.Status >= 500 {
					t.Errorf("%s as %s: %d %.300s", key, who.name(), r.Status, r.Body)
				}
				if ct := r.Header.Get("Content-Type"); r.Status >= 400 && ct != "application/problem+json" {
					t.Errorf("%s as %s: %d with content type %q, want application/problem+json", key, who.name(), r.Status, ct)
				}
				return r.Status
			}
			got := matrixRow{anon: ask(nil, w.sides[0]), roles: map[policy.Role][2]int{}}
			for _, role := range roles {
				var cell [2]int
				for i := range matrixScopes {
					cell[i] = ask(w.actors[role], w.sides[i])
				}
				got.roles[role] = cell
			}
			observed = append(observed, formatMatrixRow(key, got, roles))
			want, ok := table[key]
			if !ok {
				t.Errorf("%s has no row in %s; what it answers now (check it against the policy before adding it):\n%s",
					key, matrixFile, formatMatrixRow(key, got, roles))
				continue
			}
			if got.anon != want.anon {
				t.Errorf("%s:%d: %s without credentials answers %d, the table says %d", matrixFile, want.line, key, got.anon, want.anon)
			}
			for _, role := range roles {
				for i, scope := range matrixScopes {
					if g, x := got.roles[role][i], want.roles[role][i]; g != x {
						t.Errorf("%s:%d: %s as %s on the %s agency answers %d, the table says %d",
							matrixFile, want.line, key, role, scope, g, x)
					}
				}
			}
		}
		if dir := os.Getenv("LONTARA_AUTHZ_OBSERVED"); dir != "" {
			name := filepath.Join(dir, strings.ReplaceAll(t.Name(), "/", "_")+".txt")
			if err := os.WriteFile(name, []byte(strings.Join(observed, "\n")+"\n"), 0o644); err != nil {
				t.Error(err)
			}
		}
	})
}

// formatMatrixRow writes a row as the table holds it.
func formatMatrixRow(key string, r matrixRow, roles []policy.Role) string {
	method, path, _ := strings.Cut(key, " ")
	var b strings.Builder
	fmt.Fprintf(&b, "%-6s %-46s %d", method, path, r.anon)
	for _, role := range roles {
		c := r.roles[role]
		cell := strconv.Itoa(c[0])
		if c[0] != c[1] {
			cell += "/" + strconv.Itoa(c[1])
		}
		fmt.Fprintf(&b, " %-7s", cell)
	}
	return strings.TrimRight(b.String(), " ")
}

// authzCall is one request of a case.
type authzCall struct {
	path        string
	body        any // JSON-encoded unless []byte or string
	contentType string
	header      http.Header
}
