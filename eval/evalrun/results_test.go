package evalrun

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"promptbench/eval/fakeopenai"
	"promptbench/eval/provider"
	"promptbench/eval/report"
	"promptbench/workspace"
)

// TestReportOfLiveResultsMatchesTheStore: a new run's report comes from
// the results it collected as the calls finished, not from reading its
// entries back; it must be the one the store's entries give, with failed
// calls, failed scores, two variants and repeats among them.
func TestReportOfLiveResultsMatchesTheStore(t *testing.T) {
	ctx := context.Background()
	srv := fakeopenai.NewUnrecorded(func(_ int, r *fakeopenai.Request) fakeopenai.Reply {
		last := r.Messages[len(r.Messages)-1].Content
		switch {
		case strings.Contains(last, "row 3 "):
			return fakeopenai.Reply{Status: 400, ErrorMessage: "refused"} // a call that fails
		case strings.Contains(last, "row 5"):
			return fakeopenai.Reply{Content: "nothing to see"} // a score that fails
		}
		return fakeopenai.Reply{Content: "billing: " + last}
	})
	defer srv.Close()
	ws, _, err := workspace.Init(ctx, t.TempDir(), workspace.Options{
		Getenv: func(string) string { return "" },
		Author: func() string { return "tester" },
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, text := range []string{"Classify {{ticket}}", "Classify this ticket: {{ticket}}"} {
		if _, err := ws.Commit(ctx, "qa", workspace.Draft{
			Messages: []workspace.Message{{Role: "user", Content: text}},
			Config:   workspace.ModelConfig{Model: "fake/m"},
			Message:  fmt.Sprintf("v%d", i+1),
		}); err != nil {
			t.Fatal(err)
		}
	}
	var rows strings.Builder
	for i := range 12 {
		fmt.Fprintf(&rows, `{"id": "r%d", "ticket": "row %d about billing"}`+"\n", i, i)
	}
	data := filepath.Join(t.TempDir(), "rows.jsonl")
	if err := os.WriteFile(data, []byte(rows.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	reg, err := provider.NewRegistry([]workspace.ProviderConfig{{Name: "fake", BaseURL: srv.BaseURL(), Timeout: "5s"}},
		provider.Options{Getenv: func(string) string { return "" },
			Retry: provider.RetryPolicy{MaxAttempts: 1, InitialInterval: time.Millisecond, MaxInterval: time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	out, err := Run(ctx, ws, reg, Options{
		Dataset: data, Prompts: []string{"qa@1", "qa@2"}, Scorers: []string{"contains:billing", "regex:row [0-9]+"},
		Repeat: 2, Concurrency: 4, Seed: 1,
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if out.StoreErr != nil {
		t.Fatal(out.StoreErr)
	}
	if v := out.Report.Variants[0]; v.Errors != 2 || v.Calls != 24 {
		t.Fatalf("variant %s: %d calls, %d errors; want 24 and 2", v.ID, v.Calls, v.Errors)
	}
	stored, err := CollectResults(ctx, ws, out.Run, report.InputOf(out.Run, out.Report))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(stored.Report())
	got, _ := json.Marshal(out.Report)
	if string(got) != string(want) {
		t.Fatalf("the run's report:\n%s\nfrom the store:\n%s", got, want)
	}
	var gotRefs, wantRefs []report.CaseRef
	out.Results.Refs(func(r report.CaseRef) bool { gotRefs = append(gotRefs, r); return true })
	stored.Refs(func(r report.CaseRef) bool { wantRefs = append(wantRefs, r); return true })
	if fmt.Sprint(gotRefs) != fmt.Sprint(wantRefs) || len(gotRefs) != 48 {
		t.Fatalf("the run's cases:\n%v\nfrom the store:\n%v", gotRefs, wantRefs)
	}
}
