package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"promptbench/storage"
	"promptbench/workspace"
)

func TestLabelDeleteMvRm(t *testing.T) {
	c := newCLI(t)
	c.ok("", "init")
	cfg := filepath.Join(c.dir, "config.yaml")
	if err := os.WriteFile(cfg, []byte("export_file: prompts.yaml\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	exported := filepath.Join(filepath.Dir(c.dir), "prompts.yaml")
	c.ok("Be kind.\n", "commit", "-m", "test", "support/style")
	c.ok("", "label", "support/style", "production")
	c.ok("Answer {{ticket}}. {{> support/style}}\n", "commit", "-m", "test", "support/reply")
	c.ok("", "label", "support/reply", "staging")

	r := c.run("", "label", "--delete", "support/reply", "qa")
	if r.code != 2 || !strings.Contains(r.err, `no label "qa"`) || !strings.Contains(r.err, "staging→1") {
		t.Fatalf("unknown label: exit %d, %q", r.code, r.err)
	}
	mustContain(t, c.ok("", "label", "--delete", "support/reply", "staging"), "support/reply@staging removed (it pointed at version 1)")
	// The audit section at the end still tells of the label; the prompts do not have it.
	if data, _ := os.ReadFile(exported); strings.Contains(strings.Split(string(data), "\naudit:\n")[0], "staging") {
		t.Fatalf("export file still has the removed label:\n%s", data)
	}

	r = c.run("", "rm", "support/style")
	if r.code != 2 || !strings.Contains(r.err, "production→1") || !strings.Contains(r.err, "support/reply@1 (latest)") ||
		!strings.Contains(r.err, "label --delete support/style production") || !strings.Contains(r.err, "--force") {
		t.Fatalf("rm of a labelled, included prompt: exit %d, %q", r.code, r.err)
	}

	r = c.run("", "mv", "support/reply", "support/style")
	if r.code != 2 || !strings.Contains(r.err, "already exists") {
		t.Fatalf("mv onto an existing name: exit %d, %q", r.code, r.err)
	}
	r = c.run("", "mv", "support/style", "house/style")
	if r.code != 0 || !strings.Contains(r.out, "renamed support/style → house/style (1 version, 0 log entries)") ||
		!strings.Contains(r.err, "support/reply@1 (latest): {{> support/style}}") || !strings.Contains(r.err, "{{> house/style}}") {
		t.Fatalf("mv: exit %d\n%s\n%s", r.code, r.out, r.err)
	}
	mustContain(t, c.ok("", "show", "house/style"), "house/style@1", "production")
	if data, _ := os.ReadFile(exported); !strings.Contains(string(data), "name: house/style") || strings.Contains(string(data), "name: support/style") {
		t.Fatalf("export file after mv:\n%s", data)
	}

	var del rmJSON
	if err := json.Unmarshal([]byte(c.ok("", "rm", "house/style", "--force", "--json")), &del); err != nil {
		t.Fatal(err)
	}
	if del.Prompt != "house/style" || del.Versions != 1 || del.Labels["production"] != 1 || len(del.Includers) != 0 {
		t.Fatalf("rm --json = %+v", del)
	}
	if r := c.run("", "show", "house/style"); r.code != 2 {
		t.Fatalf("deleted prompt still shows: exit %d", r.code)
	}
}

// TestMvKilledLeavesOneWholeName kills `promptbench mv` of a prompt too
// large for one transaction at different moments; after each kill the
// next process finds the prompt whole under exactly one of its two names.
// Then `rm` is killed the same way: the prompt is whole or entirely gone.
func TestMvKilledLeavesOneWholeName(t *testing.T) {
	if testing.Short() {
		t.Skip("writes megabytes of log entries")
	}
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), ".promptbench")
	opts := workspace.Options{Getenv: func(string) string { return "" }, Author: func() string { return "t" }}
	ws, _, err := workspace.Init(ctx, dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ws.Commit(ctx, "a", workspace.Draft{Messages: []workspace.Message{{Role: "user", Content: "Hi {{x}}"}}}); err != nil {
		t.Fatal(err)
	}
	const logs = 2500
	entries := make([]workspace.LogEntry, logs)
	base := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	for i := range entries {
		entries[i] = workspace.LogEntry{ID: workspace.NewLogID(base.Add(time.Duration(i) * time.Millisecond)), Prompt: "a", Version: 1,
			Source: "cli", Model: "echo/echo", Output: strings.Repeat("y", 1500), Time: base}
	}
	if err := ws.AddLogs(ctx, entries, nil); err != nil {
		t.Fatal(err)
	}
	names := [2]string{"a", "b"}
	cur := 0
	for i, delay := range []time.Duration{0, 20, 50, 90, 140, 200, 300, 450, 700} {
		cmd := exec.Command(os.Args[0], "--workspace", dir, "mv", names[cur], names[1-cur])
		cmd.Env = append(os.Environ(), "PROMPTBENCH_TEST_AS_CLI=1", "PROMPTBENCH_AUTHOR=proc", "PROMPTBENCH_NO_BACKGROUND=1")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay * time.Millisecond)
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		// The next open (here: this process) finishes or undoes the rename.
		var whole []string
		for _, name := range names {
			page, err := ws.QueryLogs(ctx, workspace.LogQuery{Prompt: name, Limit: logs + 1})
			if errors.Is(err, workspace.ErrNotFound) {
				continue
			}
			if err != nil {
				t.Fatalf("kill %d: %v", i, err)
			}
			if _, v, err := ws.Show(ctx, name); err != nil || v.Prompt != name {
				t.Fatalf("kill %d: %s has no whole version: %+v, %v", i, name, v, err)
			}
			if len(page.Entries) != logs {
				t.Fatalf("kill %d after %v: %s has %d of %d log entries", i, delay, name, len(page.Entries), logs)
			}
			whole = append(whole, name)
		}
		if len(whole) != 1 {
			t.Fatalf("kill %d after %v: the prompt is whole under %v", i, delay, whole)
		}
		if whole[0] != names[cur] {
			cur = 1 - cur
		}
	}
	// rm --force killed likewise: the prompt is whole or gone, never half.
	name := names[cur]
	for i, delay := range []time.Duration{0, 20, 50, 90, 140, 200, 300, 450, 700, 2000} {
		cmd := exec.Command(os.Args[0], "--workspace", dir, "rm", "--force", name)
		cmd.Env = append(os.Environ(), "PROMPTBENCH_TEST_AS_CLI=1", "PROMPTBENCH_AUTHOR=proc", "PROMPTBENCH_NO_BACKGROUND=1")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay * time.Millisecond)
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		page, err := ws.QueryLogs(ctx, workspace.LogQuery{Prompt: name, Limit: logs + 1})
		if err == nil {
			if len(page.Entries) != logs {
				t.Fatalf("rm killed %d after %v: %d of %d log entries left", i, delay, len(page.Entries), logs)
			}
			continue
		}
		if !errors.Is(err, workspace.ErrNotFound) {
			t.Fatal(err)
		}
		st, err := storage.Open(ctx, storage.Options{Dir: filepath.Join(dir, "store"), ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		err = st.View(func(tx *storage.Tx) error {
			left, err := tx.HasVersionsOrLogs(name)
			if left {
				t.Errorf("rm killed %d after %v: the prompt is gone but versions or logs are left", i, delay)
			}
			return err
		})
		st.Close()
		if err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Fatal("rm never finished")
}
