package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"promptbench/eval/fakeopenai"
	"promptbench/workspace"
)

// TestEvalRerunErrors is promptfoo's #1597: a run where the provider
// refused some calls and a scorer crashed on one output. --rerun-errors
// calls only the failed cases again, scores the output again, and amends
// the run: its report then shows them fixed, and the failed entries stay
// in the log.
func TestEvalRerunErrors(t *testing.T) {
	var failing atomic.Bool
	failing.Store(true)
	srv := fakeopenai.New(func(_ int, req *fakeopenai.Request) fakeopenai.Reply {
		last := req.Messages[len(req.Messages)-1].Content
		if failing.Load() && (strings.HasSuffix(last, " 3") || strings.HasSuffix(last, " 7")) {
			return fakeopenai.Reply{Status: 400, ErrorMessage: "try later"}
		}
		return fakeopenai.Reply{Content: "billing"}
	})
	defer srv.Close()
	ws := demoWorkspace(t)
	cfg := "providers:\n  - name: fake\n    kind: openai\n    base_url: " + srv.BaseURL() + "\n"
	if err := os.WriteFile(filepath.Join(ws, "config.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var rows strings.Builder
	for _, n := range []string{"1", "2", "3", "4", "5", "6", "7", "8"} {
		rows.WriteString(`{"id": "c` + n + `", "ticket": "ticket ` + n + `"}` + "\n")
	}
	data := filepath.Join(dir, "rows.jsonl")
	broken := filepath.Join(dir, "broken")
	grader := "#!/bin/sh\nin=$(cat)\nif [ -e " + broken + " ] && echo \"$in\" | grep -q '\"id\":\"c5\"'; then echo flaky >&2; exit 1; fi\necho '{\"score\": 1, \"pass\": true}'\n"
	for name, text := range map[string]string{"rows.jsonl": rows.String(), "grade.sh": grader, "broken": ""} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	args := []string{"eval", data, "--prompt", "support/ticket-classifier@1", "--model", "fake/m", "--scorer", "cmd:./grade.sh", "--format", "json"}
	out, code := procIn(t, dir, ws, args...)
	if code != 0 {
		t.Fatalf("first run: exit %d\n%s", code, out)
	}
	var rep struct {
		Run      string
		Variants []struct {
			Calls, Errors int
			Scorers       []struct{ Errors, Passed int }
		}
	}
	if err := json.Unmarshal([]byte(out[:strings.LastIndex(out, "}")+1]), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if v := rep.Variants[0]; v.Calls != 8 || v.Errors != 2 || v.Scorers[0].Errors != 1 || v.Scorers[0].Passed != 5 {
		t.Fatalf("first run: %+v", rep.Variants)
	}

	failing.Store(false)
	os.Remove(broken)
	before := srv.Requests()
	out, code = procIn(t, dir, ws, "eval", "--rerun-errors", rep.Run)
	if code != 0 {
		t.Fatalf("rerun: exit %d\n%s", code, out)
	}
	mustContain(t, out, "run "+rep.Run+" amended: 2 failed call(s) made again, 1 output(s) scored again after a scorer error")
	if made := srv.Requests() - before; made != 2 {
		t.Fatalf("the rerun made %d calls; 2 had failed", made)
	}
	again, _ := procIn(t, dir, ws, "report", rep.Run, "--format", "json")
	if err := json.Unmarshal([]byte(again), &rep); err != nil {
		t.Fatal(err)
	}
	if v := rep.Variants[0]; v.Calls != 8 || v.Errors != 0 || v.Scorers[0].Errors != 0 || v.Scorers[0].Passed != 8 {
		t.Fatalf("amended run: %+v", rep.Variants)
	}
	runs, _ := procIn(t, dir, ws, "runs", "--json")
	var list []struct {
		ID     string
		Status string
	}
	if err := json.Unmarshal([]byte(runs), &list); err != nil || len(list) != 1 || list[0].Status != "done" {
		t.Fatalf("the rerun amends the one run: %v\n%s", err, runs)
	}
	// The failed calls stay in the version's log.
	w, err := workspace.Open(ws, workspace.Options{Getenv: func(string) string { return "" }, LockWait: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	page, err := w.QueryLogs(context.Background(), workspace.LogQuery{Prompt: "support/ticket-classifier", Run: workspace.RunID(rep.Run), Errors: true})
	if err != nil || len(page.Entries) != 2 {
		t.Fatalf("failed entries in the log: %d %v", len(page.Entries), err)
	}

	before = srv.Requests()
	out, code = procIn(t, dir, ws, "eval", "--rerun-errors", rep.Run)
	if code != 0 || srv.Requests() != before {
		t.Fatalf("rerun of a clean run: exit %d, %d calls\n%s", code, srv.Requests()-before, out)
	}
	mustContain(t, out, "no failed call and no scorer error: nothing ran again")
	if out, code := procIn(t, dir, ws, "eval", "--rerun-errors", "20200101-000000-abcd"); code != 2 || !strings.Contains(out, "20200101-000000-abcd") {
		t.Fatalf("unknown run: exit %d\n%s", code, out)
	}
}
