package workspace

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Hook events: what hooks in config.yaml can ask for.
var HookEvents = []string{"commit", "label", "review", "import"}

// defaultHookTimeout is how long a hook may run when config.yaml sets no
// timeout.
const defaultHookTimeout = 10 * time.Second

// HookEvent is the JSON document a hook reads on stdin: one change, who
// made it and when, and what it changed from and to.
type HookEvent struct {
	Event     string         `json:"event"`  // commit, label, review or import
	Action    string         `json:"action"` // the audit action: commit, label, review-request, approve, reject, import
	Time      time.Time      `json:"time"`
	Author    string         `json:"author"`
	Workspace string         `json:"workspace"`
	Prompt    string         `json:"prompt,omitempty"`
	Label     string         `json:"label,omitempty"`
	Review    string         `json:"review,omitempty"`
	Forced    bool           `json:"forced,omitempty"`
	Detail    string         `json:"detail,omitempty"`
	Before    map[string]any `json:"before"` // null when there was nothing before
	After     map[string]any `json:"after"`
}

// HookError is a hook that failed, timed out or could not start. The
// change it was told of is saved regardless.
type HookError struct {
	Command string
	Event   string
	Err     error
	Stderr  string // the end of what the hook wrote on stderr
}

func (e *HookError) Error() string {
	msg := fmt.Sprintf("hook %s (%s event): %v", e.Command, e.Event, e.Err)
	if e.Stderr != "" {
		msg += ": " + e.Stderr
	}
	return msg + "; the change itself is saved"
}

// checkHooks refuses hooks that could never run: an unknown event, a bad
// timeout, a command that is not an executable file. Relative commands are
// resolved from base (the folder holding the workspace, as export_file).
func checkHooks(path, base string, hooks []HookConfig) error {
	for i, h := range hooks {
		at := fmt.Sprintf("%s: hooks[%d]", path, i)
		if strings.TrimSpace(h.Command) == "" {
			return Invalidf("%s: missing command", at)
		}
		for _, ev := range h.Events {
			if !slices.Contains(HookEvents, ev) {
				return Invalidf("%s: unknown event %q; hooks run on %s", at, ev, strings.Join(HookEvents, ", "))
			}
		}
		if h.Timeout != "" {
			if d, err := time.ParseDuration(h.Timeout); err != nil || d <= 0 {
				return Invalidf("%s: timeout %q is not a duration (10s, 1m)", at, h.Timeout)
			}
		}
		if _, err := hookPath(base, h.Command); err != nil {
			return Invalidf("%s: %v", at, err)
		}
	}
	return nil
}

// hookPath finds a hook's program: a bare name on PATH, else a path from
// base, which must be an executable file.
func hookPath(base, command string) (string, error) {
	if !strings.ContainsRune(command, '/') {
		p, err := exec.LookPath(command)
		if err != nil {
			return "", fmt.Errorf("command %q is not found on PATH", command)
		}
		return p, nil
	}
	p := command
	if !filepath.IsAbs(p) {
		p = filepath.Join(base, p)
	}
	fi, err := os.Stat(p)
	switch {
	case err != nil:
		return "", fmt.Errorf("command %s: %v", command, err)
	case fi.IsDir():
		return "", fmt.Errorf("command %s is a directory", command)
	case fi.Mode().Perm()&0o111 == 0:
		return "", fmt.Errorf("command %s is not executable; make it so with chmod +x %s", command, p)
	}
	return p, nil
}

// Notify runs the hooks that asked for ev's kind, one after the other,
// each with the event on stdin and its time limit. It runs after the
// change is committed: a hook's failure is reported (Options.OnHookError)
// and changes nothing.
func (ws *Workspace) Notify(ctx context.Context, ev HookEvent) {
	if len(ws.Config.Hooks) == 0 {
		return
	}
	ev.Workspace = ws.Dir
	ev.Time = ev.Time.UTC()
	payload, err := json.Marshal(ev)
	if err != nil {
		return
	}
	base := filepath.Dir(ws.Dir)
	for _, h := range ws.Config.Hooks {
		if len(h.Events) > 0 && !slices.Contains(h.Events, ev.Event) {
			continue
		}
		if err := runHook(ctx, base, h, payload); err != nil {
			err.Event = ev.Event
			if ws.opts.OnHookError != nil {
				ws.opts.OnHookError(err)
			}
		}
	}
}

func runHook(ctx context.Context, base string, h HookConfig, payload []byte) *HookError {
	fail := func(err error, stderr string) *HookError {
		return &HookError{Command: h.Command, Err: err, Stderr: stderr}
	}
	path, err := hookPath(base, h.Command)
	if err != nil {
		return fail(err, "")
	}
	limit := defaultHookTimeout
	if d, err := time.ParseDuration(h.Timeout); err == nil && d > 0 {
		limit = d
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, h.Args...)
	cmd.Dir = base
	cmd.Stdin = bytes.NewReader(payload)
	var stderr tailBuffer
	cmd.Stderr = &stderr
	// A hook's own children (curl in a script) may hold its pipes open
	// after it is killed: stop waiting for them soon after.
	cmd.WaitDelay = time.Second
	ownProcessGroup(cmd)
	err = cmd.Run()
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return fail(fmt.Errorf("still running after %s, the hook's time limit: stopped", limit), stderr.String())
	case err != nil:
		return fail(err, stderr.String())
	}
	return nil
}

// tailBuffer keeps the last 2 KB written to it.
type tailBuffer struct{ b []byte }

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > 2048 {
		t.b = t.b[len(t.b)-2048:]
	}
	return len(p), nil
}

func (t *tailBuffer) String() string { return strings.TrimSpace(string(t.b)) }

// versionState is a hook's view of a label or version: the number and
// hash; nil for none.
func versionState(n int, hash string) map[string]any {
	if n == 0 {
		return nil
	}
	m := map[string]any{"version": n}
	if hash != "" {
		m["hash"] = hash
	}
	return m
}
