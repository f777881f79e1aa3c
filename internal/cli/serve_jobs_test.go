package cli_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lontara-id/lontara/internal/cli"
)

func TestServeRefusesABadJobsInterval(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "x.db")
	for _, every := range []string{"-1s", "soon"} {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		var out, errb bytes.Buffer
		code := cli.Run(ctx, []string{"serve", "--db", dsn, "--addr", "127.0.0.1:0", "--jobs-every", every},
			cli.IO{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
		cancel()
		if code == 0 || !strings.Contains(errb.String(), "jobs-every") || strings.Contains(out.String(), "running at") {
			t.Errorf("--jobs-every %s: exit %d, stderr %q, stdout %q", every, code, errb.String(), out.String())
		}
	}
}
