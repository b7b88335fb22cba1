package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// procCLI runs the test binary as promptbench in a child process.
func procCLI(t *testing.T, ws, stdin string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"--workspace", ws}, args...)...)
	// No detached compaction: it could outlive the test and its temp dir.
	cmd.Env = append(os.Environ(), "PROMPTBENCH_TEST_AS_CLI=1", "PROMPTBENCH_AUTHOR=proc", "NO_COLOR=1", "PROMPTBENCH_NO_BACKGROUND=1")
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestConcurrentProcesses is what a user does with the library open in
// several terminals: eight processes commit and label at once, each waits
// its turn for the store, and every change lands exactly once.
func TestConcurrentProcesses(t *testing.T) {
	ws := filepath.Join(t.TempDir(), ".promptbench")
	if out, err := procCLI(t, ws, "", "init"); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	const n = 8
	var wg sync.WaitGroup
	errs := make(chan string, n)
	for i := range n {
		wg.Go(func() {
			out, err := procCLI(t, ws, fmt.Sprintf("Version %d of {{topic}}\n", i), "commit", "shared", "-m", fmt.Sprintf("from process %d", i))
			if err != nil {
				errs <- fmt.Sprintf("process %d: %v\n%s", i, err, out)
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	out, err := procCLI(t, ws, "", "history", "shared", "--json")
	if err != nil {
		t.Fatalf("history: %v\n%s", err, out)
	}
	for i := 1; i <= n; i++ {
		if !strings.Contains(out, fmt.Sprintf(`"number": %d,`, i)) {
			t.Fatalf("version %d missing after %d concurrent commits:\n%s", i, n, out)
		}
	}
	if strings.Contains(out, fmt.Sprintf(`"number": %d,`, n+1)) {
		t.Fatalf("more versions than commits:\n%s", out)
	}
}
