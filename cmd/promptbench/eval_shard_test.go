package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEvalShardsMerge splits an evaluation into three shards as a CI
// matrix would, each job writing its JSON report, and joins them: the
// merged report is the unsharded run's, and mismatched shards are refused
// naming the files.
func TestEvalShardsMerge(t *testing.T) {
	ws := demoWorkspace(t)
	dir := t.TempDir()
	data := filepath.Join(ws, "datasets", "tickets.jsonl")
	args := []string{"eval", data, "--prompt", "support/ticket-classifier@1", "--prompt", "support/ticket-classifier@2", "--model", "echo/echo",
		"--scorer", "icontains:billing", "--scorer", "regex:(?i)refund|invoice", "--repeat", "2", "--fail-under", "icontains:billing=0.9", "--no-cache"}
	run := func(extra ...string) (string, int) { return procIn(t, dir, ws, append(args, extra...)...) }
	if out, code := run("--format", "json", "--output", "full.json"); code != 0 {
		t.Fatalf("unsharded: exit %d\n%s", code, out)
	}
	var shards []string
	cases := 0
	for i := 1; i <= 3; i++ {
		file := fmt.Sprintf("shard-%d.json", i)
		out, code := run("--shard", fmt.Sprintf("%d/3", i), "--format", "json", "--output", file)
		if code != 0 {
			t.Fatalf("shard %d: exit %d\n%s", i, code, out)
		}
		var rec struct {
			Run   string
			Rows  int
			Shard struct{ I, N int }
			Cases []json.RawMessage
		}
		b, _ := os.ReadFile(filepath.Join(dir, file))
		if err := json.Unmarshal(b, &rec); err != nil || rec.Shard.I != i || rec.Shard.N != 3 {
			t.Fatalf("shard %d record: %v %+v", i, err, rec.Shard)
		}
		cases += rec.Rows
		if len(rec.Cases) != rec.Rows*2*2 {
			t.Fatalf("shard %d: %d cases for %d rows", i, len(rec.Cases), rec.Rows)
		}
		// report RUN --format json gives the shard's record again.
		again, _ := procIn(t, dir, ws, "report", rec.Run, "--format", "json")
		if again != string(b) {
			t.Fatalf("report %s --format json differs from the shard's own", rec.Run)
		}
		shards = append(shards, file)
	}
	if cases != 15 {
		t.Fatalf("the shards hold %d rows, the dataset 15", cases)
	}
	merged, code := procIn(t, dir, ws, append([]string{"report", "--merge", "--format", "json"}, shards...)...)
	if code != 0 {
		t.Fatalf("merge: exit %d\n%s", code, merged)
	}
	full, _ := os.ReadFile(filepath.Join(dir, "full.json"))
	if a, b := comparable(t, string(full)), comparable(t, merged); a != b {
		t.Fatalf("merged report differs from the unsharded run's:\n%s\n---\n%s", a, b)
	}
	table, code := procIn(t, dir, ws, append([]string{"report", "--merge"}, shards...)...)
	if code != 0 {
		t.Fatalf("merge table: exit %d\n%s", code, table)
	}
	mustContain(t, table, "15 rows × 2", "Comparison, baseline → candidate", "fail-under: every threshold met (2 checked)")
	if out, code := procIn(t, dir, ws, append([]string{"report", "--merge", "--format", "junit", "--output", "merged.xml"}, shards...)...); code != 0 {
		t.Fatalf("merge junit: exit %d\n%s", code, out)
	}
	xml, _ := os.ReadFile(filepath.Join(dir, "merged.xml"))
	mustContain(t, string(xml), `tests="30"`)

	// Refusals name the files.
	if out, code := run("--shard", "1/3", "--scorer", "exact", "--format", "json", "--output", "other.json"); code != 0 {
		t.Fatalf("other suite: exit %d\n%s", code, out)
	}
	for _, tt := range []struct {
		files []string
		want  string
	}{
		{[]string{"shard-1.json", "shard-1.json", "shard-2.json", "shard-3.json"}, "shard-1.json, shard-1.json: both are shard 1/3"},
		{[]string{"other.json", "shard-2.json", "shard-3.json"}, "other.json, shard-2.json: not shards of one suite: the scorers of support/ticket-classifier@1 differ"},
		{[]string{"shard-1.json", "shard-2.json"}, "shard(s) 3 of 3 missing"},
		{[]string{"full.json", "shard-2.json"}, "full.json: not the JSON report of a shard"},
		{[]string{"nope.json"}, "nope.json"},
	} {
		out, code := procIn(t, dir, ws, append([]string{"report", "--merge"}, tt.files...)...)
		if code != 2 || !strings.Contains(out, tt.want) {
			t.Fatalf("merge %v: exit %d, want 2 and %q\n%s", tt.files, code, tt.want, out)
		}
	}
	for _, bad := range []string{"0/3", "4/3", "x", "1/0", "1-3"} {
		out, code := run("--shard", bad)
		if code != 2 || !strings.Contains(out, "--shard") {
			t.Fatalf("--shard %s: exit %d\n%s", bad, code, out)
		}
	}
}

// TestEvalShardThresholds: a shard alone does not fail on a threshold the
// suite as a whole may meet; the merge does.
func TestEvalShardThresholds(t *testing.T) {
	ws := demoWorkspace(t)
	dir := t.TempDir()
	data := filepath.Join(ws, "datasets", "tickets.jsonl")
	var files []string
	for i := 1; i <= 2; i++ {
		file := fmt.Sprintf("s%d.json", i)
		out, code := procIn(t, dir, ws, "eval", data, "--prompt", "support/ticket-classifier@1", "--model", "echo/echo",
			"--scorer", "contains:refund", "--fail-under", "0.5", "--shard", fmt.Sprintf("%d/2", i), "--format", "json", "--output", file)
		if code != 0 {
			t.Fatalf("shard %d: exit %d\n%s", i, code, out)
		}
		mustContain(t, out, "checked over every shard by `promptbench report --merge`")
		files = append(files, file)
	}
	out, code := procIn(t, dir, ws, append([]string{"report", "--merge"}, files...)...)
	if code != 1 {
		t.Fatalf("merge below the threshold: exit %d\n%s", code, out)
	}
	mustContain(t, out, "support/ticket-classifier@1 on contains:refund (26.7%)", "merged report: 1 threshold(s) below fail_under")
}

// comparable drops from a JSON report what differs between two runs of
// the same cases: the run's identity, its times, and call latencies.
func comparable(t *testing.T, js string) string {
	t.Helper()
	var r map[string]any
	if err := json.Unmarshal([]byte(js), &r); err != nil {
		t.Fatalf("%v\n%s", err, js)
	}
	delete(r, "run")
	delete(r, "started")
	delete(r, "ended")
	for _, v := range r["variants"].([]any) {
		delete(v.(map[string]any), "p50_latency_ms")
		delete(v.(map[string]any), "p95_latency_ms")
	}
	b, _ := json.MarshalIndent(r, "", " ")
	return string(b)
}

// TestEvalShardStable: adding rows to the dataset moves no row to another
// shard; the new rows spread over the shards.
func TestEvalShardStable(t *testing.T) {
	ws := demoWorkspace(t)
	dir := t.TempDir()
	data := filepath.Join(dir, "rows.jsonl")
	rows := func(from, to int) string {
		var b strings.Builder
		for i := from; i < to; i++ {
			fmt.Fprintf(&b, `{"id": "r%d", "ticket": "ticket %d"}`+"\n", i, i)
		}
		return b.String()
	}
	shard := func() map[string]bool {
		t.Helper()
		out, code := procIn(t, dir, ws, "eval", data, "--prompt", "support/ticket-classifier@1", "--model", "echo/echo", "--shard", "2/3", "--format", "json")
		if code != 0 {
			t.Fatalf("exit %d\n%s", code, out)
		}
		var rec struct{ Cases []struct{ Case string } }
		if err := json.Unmarshal([]byte(out[:strings.LastIndex(out, "}")+1]), &rec); err != nil {
			t.Fatal(err)
		}
		ids := map[string]bool{}
		for _, c := range rec.Cases {
			ids[c.Case] = true
		}
		return ids
	}
	if err := os.WriteFile(data, []byte(rows(0, 30)), 0o644); err != nil {
		t.Fatal(err)
	}
	before := shard()
	if err := os.WriteFile(data, []byte(rows(0, 30)+rows(30, 60)), 0o644); err != nil {
		t.Fatal(err)
	}
	after := shard()
	if len(before) == 0 || len(after) <= len(before) {
		t.Fatalf("shard 2/3 held %d rows, then %d of twice as many", len(before), len(after))
	}
	for id := range after {
		var n int
		fmt.Sscanf(id, "r%d", &n)
		if n < 30 && !before[id] {
			t.Errorf("row %s moved into shard 2/3 when rows were added", id)
		}
	}
	for id := range before {
		if !after[id] {
			t.Errorf("row %s left shard 2/3 when rows were added", id)
		}
	}
}
