package thanks_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/lontara-id/lontara/internal/db"
	"github.com/lontara-id/lontara/internal/db/dbtest"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/server/servertest"
	"github.com/lontara-id/lontara/internal/thanks"
	"github.com/lontara-id/lontara/internal/web"
)

func count(t *testing.T, d *db.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := d.R.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func employeeID(t *testing.T, d *db.DB, email string) int64 {
	t.Helper()
	var id int64
	if err := d.R.QueryRow(`SELECT id FROM employees WHERE email = $1`, email).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func start(t *testing.T, d *db.DB) (*servertest.Harness, map[string]string) {
	h := servertest.Start(t, d)
	h.Agency(t, "BAPENDA", "Badan Pendapatan Daerah", "badan")
	pw := h.Users(t,
		servertest.Person{Email: "nuraini@bapenda.go.id", Name: "Nur'aini", Role: policy.Employee, Agency: "BAPENDA"},
		servertest.Person{Email: "dottorota@bapenda.go.id", Name: "Dottoro'ta", Role: policy.Employee, Agency: "BAPENDA"},
	)
	return h, pw
}

func TestThanksReachTheReceiverAndShowOnTheirPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h, pw := start(t, d)
		nur, dotto := employeeID(t, d, "nuraini@bapenda.go.id"), employeeID(t, d, "dottorota@bapenda.go.id")
		token := h.Token(t, "nuraini@bapenda.go.id")
		r := h.Do(t, "POST", "/api/v1/thanks", token, thanks.Input{EmployeeID: dotto,
			Reason: "Membantu Nur'aini memulihkan akun SIPD sebelum tenggat"}, "")
		if r.Status != http.StatusCreated {
			t.Fatalf("give: %d %s", r.Status, r.Body)
		}
		var got thanks.Thanks
		r.JSON(t, &got)
		if got.GiverName != "Nur'aini" || got.ReceiverName != "Dottoro'ta" || got.Reason != "Membantu Nur'aini memulihkan akun SIPD sebelum tenggat" {
			t.Errorf("given: %+v", got)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM notifications n JOIN accounts a ON a.id = n.account_id
			WHERE a.employee_id = $1 AND n.kind = 'thanks.received'`, dotto); n != 1 {
			t.Errorf("the receiver was told %d times", n)
		}
		var list web.List[thanks.Thanks]
		h.Do(t, "GET", "/api/v1/thanks?employee_id="+strconv.FormatInt(dotto, 10), token, nil, "").JSON(t, &list)
		if len(list.Items) != 1 || list.Items[0].ID != got.ID {
			t.Errorf("received: %+v", list)
		}
		h.Do(t, "GET", "/api/v1/thanks?employee_id="+strconv.FormatInt(nur, 10), token, nil, "").JSON(t, &list)
		if len(list.Items) != 0 {
			t.Errorf("nothing received by the giver: %+v", list)
		}

		b := h.SignIn(t, "dottorota@bapenda.go.id", pw["dottorota@bapenda.go.id"])
		b.Get("/terima-kasih").Want(t, http.StatusOK, "hub", "memulihkan akun SIPD", "Nur&#39;aini berterima kasih kepada Dottoro&#39;ta")
		b.Get("/terima-kasih?q=nur").Want(t, http.StatusOK, "search", "/terima-kasih/pegawai/"+strconv.FormatInt(nur, 10))
		b.Get(thanks.Link(dotto)).Lacks(t, "own page", "Kirim ucapan terima kasih")
		b.Get(thanks.Link(nur)).Want(t, http.StatusOK, "colleague's page", "Kirim ucapan terima kasih")
		b.PostForm(thanks.Link(nur), url.Values{"reason": {"Berbagi templat laporan"}}).Redirects(t, "thank back", thanks.Link(nur))
		b.Get(thanks.Link(nur)).Want(t, http.StatusOK, "after", "Berbagi templat laporan", "1 ucapan diterima")
		b.PostForm(thanks.Link(nur), url.Values{"reason": {"  "}}).Want(t, http.StatusUnprocessableEntity, "empty", "wajib diisi")
		b.Get("/terima-kasih/pegawai/99999").Want(t, http.StatusNotFound, "nobody")
	})
}

func TestNoThanksToOneselfOrToNobodyAndADailyLimit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		h, _ := start(t, d)
		nur, dotto := employeeID(t, d, "nuraini@bapenda.go.id"), employeeID(t, d, "dottorota@bapenda.go.id")
		token := h.Token(t, "nuraini@bapenda.go.id")
		servertest.ProblemFields(t, h.Do(t, "POST", "/api/v1/thanks", token, thanks.Input{EmployeeID: nur, Reason: "Saya hebat"}, ""),
			http.StatusUnprocessableEntity, "employee_id")
		servertest.ProblemFields(t, h.Do(t, "POST", "/api/v1/thanks", token, thanks.Input{EmployeeID: 99999, Reason: "Siapa"}, ""),
			http.StatusUnprocessableEntity, "employee_id")
		servertest.ProblemFields(t, h.Do(t, "POST", "/api/v1/thanks", token, thanks.Input{EmployeeID: dotto}, ""),
			http.StatusUnprocessableEntity, "reason")
		if n := count(t, d, `SELECT COUNT(*) FROM thanks`); n != 0 {
			t.Fatalf("%d thanks written by refused requests", n)
		}
		// Sent all at once, the limit still holds.
		var wg sync.WaitGroup
		codes := make(chan int, thanks.DailyLimit+5)
		for i := range thanks.DailyLimit + 5 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				codes <- h.Do(t, "POST", "/api/v1/thanks", token, thanks.Input{EmployeeID: dotto,
					Reason: "Terima kasih ke-" + strconv.Itoa(i)}, "").Status
			}()
		}
		wg.Wait()
		close(codes)
		created, refused := 0, 0
		for c := range codes {
			switch c {
			case http.StatusCreated:
				created++
			case http.StatusTooManyRequests:
				refused++
			default:
				t.Errorf("status %d", c)
			}
		}
		if created != thanks.DailyLimit || refused != 5 || count(t, d, `SELECT COUNT(*) FROM thanks`) != thanks.DailyLimit {
			t.Errorf("%d created, %d refused", created, refused)
		}
		r := h.Do(t, "POST", "/api/v1/thanks", token, thanks.Input{EmployeeID: dotto, Reason: "Lagi"}, "")
		if p := servertest.Problem(t, r, http.StatusTooManyRequests); r.Header.Get("Retry-After") == "" ||
			!strings.Contains(p.Detail, "10") || strings.Contains(p.Detail, "%!") {
			t.Errorf("over the limit: %+v, Retry-After %q", p, r.Header.Get("Retry-After"))
		}
	})
}
