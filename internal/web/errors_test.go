package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestAClientThatLeftIsNotAServerError: a request whose client closed the
// connection, cut short by the cancelled context, answers (and so is
// counted and logged as) 499, not 500 — the soak's last requests, cut
// when wrk stopped, showed as server errors. A cancellation the client did
// not cause, or any other error, is still a 500.
func TestAClientThatLeftIsNotAServerError(t *testing.T) {
	gone, leave := context.WithCancel(context.Background())
	leave()
	cut := fmt.Errorf("gap analysis: %w", context.Canceled)
	for _, c := range []struct {
		what string
		ctx  context.Context
		err  error
		want int
	}{
		{"the client left", gone, cut, statusClientClosed},
		{"the client left, another error", gone, errors.New("disk full"), http.StatusInternalServerError},
		{"a cancellation of the server's own", context.Background(), cut, http.StatusInternalServerError},
	} {
		r := httptest.NewRequestWithContext(c.ctx, "GET", "/api/v1/gaps", nil)
		w := httptest.NewRecorder()
		WriteProblem(w, r, c.err)
		if w.Code != c.want {
			t.Errorf("%s: %d, want %d", c.what, w.Code, c.want)
		}
	}
}
