package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"promptbench/eval/fakeopenai"
)

// evalBenchSetup builds the binary and a workspace with two versions of
// a prompt, and a dataset of n rows.
func evalBenchSetup(b *testing.B, n int, cfg string) (bin, ws, data string) {
	b.Helper()
	// Not b.TempDir: a store maintenance the runs start in the background
	// may still be writing when the benchmark ends.
	dir, err := os.MkdirTemp("", "promptbench-eval-bench-")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { os.RemoveAll(dir) })
	bin = filepath.Join(dir, "promptbench")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	ws = filepath.Join(dir, "ws")
	run := func(stdin string, args ...string) {
		cmd := exec.Command(bin, append([]string{"--workspace", ws}, args...)...)
		cmd.Stdin = strings.NewReader(stdin)
		cmd.Env = append(os.Environ(), "PROMPTBENCH_AUTHOR=bench", "PROMPTBENCH_NO_BACKGROUND=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	run("", "init")
	if cfg != "" {
		if err := os.WriteFile(filepath.Join(ws, "config.yaml"), []byte(cfg), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	run("Classify: {{ticket}}\n", "commit", "-m", "one", "qa")
	run("Classify this ticket into a category: {{ticket}}\n", "commit", "-m", "two", "qa")
	var rows strings.Builder
	for i := range n {
		fmt.Fprintf(&rows, `{"id": "r%d", "ticket": "ticket %d about billing"}`+"\n", i, i)
	}
	data = filepath.Join(dir, "rows.jsonl")
	if err := os.WriteFile(data, []byte(rows.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	return bin, ws, data
}

// BenchmarkEvalThousandRows: 1,000 rows × 2 variants at --concurrency 32
// against a server answering after 50 ms, cache off, the whole process
// (every log and score write included). wall/ideal is the time over
// 2,000 × 50 ms ÷ 32.
//
// Each iteration also runs the floor against the same server, just before:
// testdata/floor making the same 2,000 calls 32 at a time with net/http
// and go-openai alone (no store, no scoring, no report). What the floor
// takes over the ideal is the machine's (loopback, the server, the
// scheduler of a shared machine); what promptbench takes over the floor is
// its own. Every iteration evaluates in a fresh copy of the workspace, as
// the first run in a workspace does. Figures are medians.
//
//	go test -run '^$' -bench EvalThousandRows -benchtime 5x ./cmd/promptbench
func BenchmarkEvalThousandRows(b *testing.B) {
	srv := fakeopenai.NewUnrecorded(func(int, *fakeopenai.Request) fakeopenai.Reply {
		return fakeopenai.Reply{Delay: 50 * time.Millisecond, Content: "billing", PromptTokens: 20, CompletionTokens: 1}
	})
	defer srv.Close()
	cfg := "providers:\n  - name: local\n    kind: openai\n    base_url: " + srv.BaseURL() + "\n"
	bin, pristine, data := evalBenchSetup(b, 1000, cfg)
	floor := filepath.Join(filepath.Dir(bin), "floor")
	if out, err := exec.Command("go", "build", "-o", floor, "./testdata/floor").CombinedOutput(); err != nil {
		b.Fatalf("build floor: %v\n%s", err, out)
	}
	const calls, concurrency = 2000, 32
	ideal := time.Duration(float64(calls) / concurrency * float64(50*time.Millisecond))
	var floorTimes, evalTimes, floorCPU, evalCPU []time.Duration
	var floorConns, evalConns, kb int64
	ws := filepath.Join(filepath.Dir(pristine), "ws-run")
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		os.RemoveAll(ws)
		if out, err := exec.Command("cp", "-a", pristine, ws).CombinedOutput(); err != nil {
			b.Fatalf("copy workspace: %v\n%s", err, out)
		}
		b.StartTimer()
		c := srv.Connections()
		d, cpu, _ := timedRunCPU(b, []string{floor, "calls", srv.BaseURL(), strconv.Itoa(calls), strconv.Itoa(concurrency)})
		floorTimes, floorCPU = append(floorTimes, d), append(floorCPU, cpu)
		floorConns = max(floorConns, int64(srv.Connections()-c))
		c = srv.Connections()
		d, cpu, k := timedRunCPU(b, []string{bin, "--workspace", ws, "--eval", data, "--prompt", "qa@1", "--prompt", "qa@2", "--model", "local/m",
			"--scorer", "contains:billing", "--concurrency", strconv.Itoa(concurrency), "--no-cache", "--format", "json"})
		evalTimes, evalCPU = append(evalTimes, d), append(evalCPU, cpu)
		b.Logf("floor %v, promptbench %v", floorTimes[len(floorTimes)-1].Round(time.Millisecond), d.Round(time.Millisecond))
		evalConns = max(evalConns, int64(srv.Connections()-c))
		kb = max(kb, k)
	}
	b.StopTimer()
	median := func(ds []time.Duration) time.Duration {
		slices.Sort(ds)
		return ds[len(ds)/2]
	}
	fm, em := median(floorTimes), median(evalTimes)
	if n := srv.Requests(); n != 2*calls*b.N {
		b.Fatalf("the server answered %d calls, want %d", n, 2*calls*b.N)
	}
	b.ReportMetric(em.Seconds(), "eval-s")
	b.ReportMetric(fm.Seconds(), "floor-s")
	// CPU time (user and system) is steadier than wall time on a busy
	// machine, and says how much work each did.
	b.ReportMetric(median(evalCPU).Seconds(), "eval-cpu-s")
	b.ReportMetric(median(floorCPU).Seconds(), "floor-cpu-s")
	b.ReportMetric(float64(em)/float64(ideal), "wall/ideal")
	b.ReportMetric(float64(fm)/float64(ideal), "floor/ideal")
	b.ReportMetric(float64(em)/float64(fm), "wall/floor")
	b.ReportMetric(float64(evalConns), "eval-conns")
	b.ReportMetric(float64(floorConns), "floor-conns")
	b.ReportMetric(float64(kb)/1024, "peak-RSS-MB")
}

// BenchmarkEvalOneRowEcho: one row, one variant, the offline echo model,
// the whole process.
func BenchmarkEvalOneRowEcho(b *testing.B) {
	bin, ws, data := evalBenchSetup(b, 1, "")
	execBench(b, bin, func(int) []string {
		return []string{"--workspace", ws, "--eval", data, "--prompt", "qa@1", "--model", "echo/echo", "--scorer", "contains:billing"}
	})
}

// BenchmarkEval100kEcho: 100,000 rows × 1 variant with the offline echo
// model, the whole process under /usr/bin/time: wall time, cases per
// second and peak RSS. Then `report RUN --format html` of that run: its
// time, peak RSS and file size. Run it alone:
// go test -run '^$' -bench Eval100kEcho -benchtime 1x ./cmd/promptbench
func BenchmarkEval100kEcho(b *testing.B) { benchEvalEcho(b, 100_000, true) }

// BenchmarkEvalLongEcho: the same evaluation over 200,000 and 400,000
// rows, where memory must stay as flat as at 100,000 (a long run keeps
// no more per row than a short one):
// go test -run '^$' -bench EvalLongEcho -benchtime 1x ./cmd/promptbench
func BenchmarkEvalLongEcho(b *testing.B) {
	for _, rows := range []int{200_000, 400_000} {
		b.Run(fmt.Sprintf("rows=%d", rows), func(b *testing.B) { benchEvalEcho(b, rows, false) })
	}
}

// benchEvalEcho evaluates rows × 1 variant with the echo model and
// reports wall time, cases per second and peak RSS; with html, then the
// html report of that run.
func benchEvalEcho(b *testing.B, rows int, html bool) {
	timeBin, err := exec.LookPath("time")
	if err != nil {
		b.Skip("needs /usr/bin/time for the peak RSS")
	}
	bin, ws, data := evalBenchSetup(b, rows, "")
	var cpu time.Duration
	measure := func(args ...string) (time.Duration, float64, string) {
		cmd := exec.Command(timeBin, append([]string{"-f", "%M", bin, "--workspace", ws}, args...)...)
		cmd.Env = append(os.Environ(), "NO_COLOR=1", "PROMPTBENCH_AUTHOR=bench")
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		start := time.Now()
		if err := cmd.Run(); err != nil {
			b.Fatalf("%v: %v\n%s", args, err, stderr.String())
		}
		wall := time.Since(start)
		cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
		lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
		kb, _ := strconv.ParseFloat(lines[len(lines)-1], 64)
		return wall, kb / 1024, stdout.String()
	}
	b.ResetTimer()
	var runID string
	for range b.N {
		wall, rss, out := measure("--eval", data, "--prompt", "qa@1", "--model", "echo/echo", "--scorer", "contains:billing", "--format", "json")
		var rep struct {
			Run      string
			Variants []struct{ Calls int }
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			b.Fatal(err)
		}
		if len(rep.Variants) != 1 || rep.Variants[0].Calls != rows {
			b.Fatalf("the report counts %+v calls, want %d", rep.Variants, rows)
		}
		runID = rep.Run
		b.ReportMetric(wall.Seconds(), "eval-s")
		b.ReportMetric(float64(rows)/wall.Seconds(), "cases/s")
		// CPU time (user and system) is steadier than wall time on a
		// busy machine.
		b.ReportMetric(cpu.Seconds(), "eval-cpu-s")
		b.ReportMetric(rss, "eval-peak-RSS-MB")
	}
	b.StopTimer()
	if !html {
		return
	}
	out := filepath.Join(b.TempDir(), "report.html")
	wall, rss, _ := measure("report", runID, "--format", "html", "-o", out)
	st, err := os.Stat(out)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(wall.Seconds(), "html-report-s")
	b.ReportMetric(rss, "html-report-peak-RSS-MB")
	b.ReportMetric(float64(st.Size())/(1<<20), "html-MB")
}
