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

func TestServeRefusesAnEmailSetupThatWouldHalfWork(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "x.db")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--smtp-listen", "127.0.0.1:0", "--mail-from", "bantuan@makassarkota.go.id"}, "--smtp-relay"},
		{[]string{"--smtp-listen", "127.0.0.1:0", "--smtp-relay", "127.0.0.1:25"}, "--mail-from"},
		{[]string{"--smtp-relay", "127.0.0.1:25", "--mail-from", "bantuan"}, "not an email address"},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		var out, errb bytes.Buffer
		args := append([]string{"serve", "--db", dsn, "--addr", "127.0.0.1:0"}, tc.args...)
		code := cli.Run(ctx, args, cli.IO{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
		cancel()
		if code == 0 || !strings.Contains(errb.String(), tc.want) || strings.Contains(out.String(), "running at") {
			t.Errorf("%v: exit %d, stderr %q, stdout %q", tc.args, code, errb.String(), out.String())
		}
	}
}
