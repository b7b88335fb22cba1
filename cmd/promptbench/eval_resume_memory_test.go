package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"promptbench/eval/fakeopenai"
)

// TestEvalResumeLeavesOutputsInTheStore: going over what a run already
// has (--resume, --rerun-errors) reads which cases are done, not their
// outputs. A run of 300 outputs of 200 KB each (60 MB) is gone over again
// by a process whose peak memory stays below the outputs' size, and that
// calls nothing since nothing failed.
func TestEvalResumeLeavesOutputsInTheStore(t *testing.T) {
	const rows, size = 300, 200 << 10
	ws := demoWorkspace(t)
	output := strings.Repeat("billing ", size/8)
	srv := fakeopenai.NewUnrecorded(func(int, *fakeopenai.Request) fakeopenai.Reply {
		return fakeopenai.Reply{Content: output}
	})
	t.Cleanup(srv.Close)
	cfg := "providers:\n  - name: fake\n    kind: openai\n    base_url: " + srv.BaseURL() + "\n"
	if err := os.WriteFile(filepath.Join(ws, "config.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for i := range rows {
		fmt.Fprintf(&b, `{"id": "c%03d", "ticket": "ticket number %d"}`+"\n", i, i)
	}
	data := writeFile(t, "rows.jsonl", b.String())
	if out, err := procCLI(t, ws, "", "eval", data, "--prompt", "support/ticket-classifier@1", "--model", "fake/m",
		"--scorer", "contains:billing", "--no-cache"); err != nil {
		t.Fatalf("eval: %v\n%s", err, out)
	}
	run, entries := onlyRun(t, ws)
	checkComplete(t, entries, rows, 1)
	entries = nil

	calls := srv.Requests()
	cmd := exec.Command(os.Args[0], "--workspace", ws, "eval", "--rerun-errors", string(run.ID))
	cmd.Env = append(os.Environ(), "PROMPTBENCH_TEST_AS_CLI=1", "PROMPTBENCH_AUTHOR=proc", "NO_COLOR=1", "PROMPTBENCH_NO_BACKGROUND=1")
	// The runtime's trace of each collection gives the heap still in use
	// after it: what the process holds, apart from the store's files it
	// maps (their pages count in its RSS but are the system's cache).
	cmd.Env = append(cmd.Env, "GODEBUG=gctrace=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("rerun-errors: %v\n%s", err, out)
	}
	if made := srv.Requests() - calls; made != 0 {
		t.Fatalf("going over a run without errors made %d calls\n%s", made, out)
	}
	held := 0
	for _, m := range regexp.MustCompile(`\d+->\d+->(\d+) MB`).FindAllStringSubmatch(string(out), -1) {
		n, _ := strconv.Atoi(m[1])
		held = max(held, n)
	}
	rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss >> 10 // KiB on Linux
	t.Logf("going over %d outputs of %d KB (%d MB in all): at most %d MB of heap in use after a collection; peak RSS %d MB", rows, size>>10, rows*size>>20, held, rss)
	if held == 0 || held >= rows*size>>20/2 {
		t.Fatalf("%d MB of heap in use while going over %d MB of outputs: the outputs were kept\n%s", held, rows*size>>20, out)
	}
}
