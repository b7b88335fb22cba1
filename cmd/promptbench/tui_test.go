//go:build unix

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The terminal UI as a user meets it: promptbench runs in a tmux window
// (a real terminal, 100×30) and the test reads the screen tmux shows.

// tuiTerm is one tmux server of its own with one window.
type tuiTerm struct {
	t    *testing.T
	sock string
}

func startTUI(t *testing.T, env []string, args ...string) *tuiTerm {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("needs tmux for a terminal")
	}
	tt := &tuiTerm{t: t, sock: fmt.Sprintf("pbtest-%d-%d", os.Getpid(), time.Now().UnixNano())}
	t.Cleanup(func() { exec.Command("tmux", "-L", tt.sock, "kill-server").Run() })
	env = append([]string{"PROMPTBENCH_TEST_AS_CLI=1", "PROMPTBENCH_AUTHOR=tui", "PROMPTBENCH_NO_BACKGROUND=1", "TERM=xterm-256color"}, env...)
	line := "env"
	for _, e := range append(env, os.Args[0]) {
		line += " '" + e + "'"
	}
	for _, a := range args {
		line += " '" + a + "'"
	}
	out, err := exec.Command("tmux", "-L", tt.sock, "-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", "100", "-y", "30", line).CombinedOutput()
	if err != nil {
		t.Fatalf("tmux: %v\n%s", err, out)
	}
	return tt
}

func (tt *tuiTerm) screen() string {
	out, _ := exec.Command("tmux", "-L", tt.sock, "capture-pane", "-p", "-t", "t").Output()
	return string(out)
}

func (tt *tuiTerm) keys(keys ...string) {
	tt.t.Helper()
	args := append([]string{"-L", tt.sock, "send-keys", "-t", "t"}, keys...)
	if out, err := exec.Command("tmux", args...).CombinedOutput(); err != nil {
		tt.t.Fatalf("send-keys: %v\n%s", err, out)
	}
}

// waitFor waits until the screen shows every text.
func (tt *tuiTerm) waitFor(within time.Duration, texts ...string) {
	tt.t.Helper()
	deadline := time.Now().Add(within)
	for {
		s := tt.screen()
		missing := ""
		for _, text := range texts {
			if !strings.Contains(s, text) {
				missing = text
				break
			}
		}
		if missing == "" {
			return
		}
		if time.Now().After(deadline) {
			tt.t.Fatalf("the screen never showed %q within %v:\n%s", missing, within, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitExit waits until promptbench ended and its window closed.
func (tt *tuiTerm) waitExit() {
	tt.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for exec.Command("tmux", "-L", tt.sock, "has-session", "-t", "t").Run() == nil {
		if time.Now().After(deadline) {
			tt.t.Fatalf("promptbench did not quit:\n%s", tt.screen())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestTUIShowsACommitFromAnotherProcess(t *testing.T) {
	ws := filepath.Join(t.TempDir(), ".promptbench")
	if out, err := procCLI(t, ws, "", "init", "--demo"); err != nil {
		t.Fatalf("init --demo: %v\n%s", err, out)
	}
	tt := startTUI(t, []string{"NO_COLOR=1"}, "--workspace", ws)
	tt.waitFor(20*time.Second, "1 Library", "12 prompts", "▾ purpose")
	tt.keys("/reply", "Enter")
	tt.waitFor(10*time.Second, "support/reply @3 (latest)")
	// The store is not held between reads: a commit in another terminal
	// simply works, and the open UI shows it.
	if out, err := procCLI(t, ws, "Hello {{name}}.\n", "commit", "support/reply", "-m", "from a second terminal", "--file", "-"); err != nil {
		t.Fatalf("commit while the UI is open: %v\n%s", err, out)
	}
	tt.waitFor(10*time.Second, "support/reply @4 (latest)", "from a second terminal")
	tt.keys("q")
	tt.waitExit()
}

func TestTUIDemoIsRemovedOnQuitUnlessKept(t *testing.T) {
	for _, keep := range []bool{false, true} {
		t.Run(fmt.Sprintf("keep=%v", keep), func(t *testing.T) {
			tmp := t.TempDir()
			args := []string{"--demo"}
			if keep {
				args = append(args, "--keep")
			}
			tt := startTUI(t, []string{"TMPDIR=" + tmp}, args...)
			tt.waitFor(20*time.Second, "12 prompts", "demo (")
			left, _ := filepath.Glob(filepath.Join(tmp, "promptbench-demo-*"))
			if len(left) != 1 {
				t.Fatalf("demo workspaces while open: %v", left)
			}
			tt.keys("q")
			tt.waitExit()
			left, _ = filepath.Glob(filepath.Join(tmp, "promptbench-demo-*"))
			if keep != (len(left) == 1) {
				t.Fatalf("keep=%v: demo workspaces after quitting: %v", keep, left)
			}
		})
	}
}
