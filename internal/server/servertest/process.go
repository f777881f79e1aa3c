package servertest

import (
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// Build builds the lontara command into t's temp directory, for tests
// that run it as a process of its own (to kill it, or to run several).
func Build(t testing.TB) string {
	t.Helper()
	return BuildAsync(t)()
}

// BuildAsync starts Build in the background, so a test can set up its
// database meanwhile, and returns the function that waits for the binary
// (failing the test if the build failed).
func BuildAsync(t testing.TB) func() string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "lontara")
	var out []byte
	var err error
	done := make(chan struct{})
	go func() {
		out, err = exec.Command("go", "build", "-o", bin, "github.com/lontara-id/lontara/cmd/lontara").CombinedOutput()
		close(done)
	}()
	return func() string {
		t.Helper()
		<-done
		if err != nil {
			t.Fatalf("go build: %v\n%s", err, out)
		}
		return bin
	}
}

// FreeAddr returns a loopback address no one listens on.
func FreeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// Process is a program a test started, with its output in a file.
type Process struct {
	*exec.Cmd
	LogPath string // its standard output and error
}

// StartProcess starts bin with args, its output going to a file named for
// the run that the test prints if it fails; a process left running at the
// end is killed.
func StartProcess(t testing.TB, bin string, args []string, name string) *Process {
	t.Helper()
	logPath := filepath.Join(t.TempDir(), name+".log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
		logFile.Close()
		if t.Failed() {
			b, _ := os.ReadFile(logPath)
			t.Logf("%s's output:\n%s", name, b)
		}
	})
	return &Process{Cmd: cmd, LogPath: logPath}
}

// Log returns what the process has written so far.
func (p *Process) Log(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile(p.LogPath)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// WaitHealthy waits until url/healthz answers 200, for at most limit.
func WaitHealthy(t testing.TB, url string, limit time.Duration) {
	t.Helper()
	var last string
	for deadline := time.Now().Add(limit); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		resp, err := http.Get(url + "/healthz")
		if err != nil {
			last = err.Error()
			continue
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			return
		}
		last = resp.Status
	}
	t.Fatalf("%s/healthz did not answer 200 in %v: %s", url, limit, last)
}
