package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"promptbench/eval/fakeopenai"
	"promptbench/workspace"
)

// Whole-process benchmarks: they build the binary and exec it the way a
// user's shell does, against a workspace of 10,000 prompts × 10 versions.
// Run: go test -run '^$' -bench Process -benchtime 20x ./cmd/promptbench

var (
	benchOnce sync.Once
	benchBin  string
	benchWS   string
	benchErr  error
	benchTmp  string
)

func TestMain(m *testing.M) {
	// The test binary doubles as promptbench for tests that need real
	// processes (see procCLI).
	if os.Getenv("PROMPTBENCH_TEST_AS_CLI") == "1" {
		os.Exit(processMain(os.Args[1:]))
	}
	code := m.Run()
	if benchTmp != "" {
		os.RemoveAll(benchTmp)
	}
	os.Exit(code)
}

const (
	fixturePrompts  = 10_000
	fixtureVersions = 10
)

var (
	purposes = []string{"support", "classification", "summarization", "extraction", "generation"}
	tones    = []string{"formal", "friendly", "playful", "neutral"}
)

// benchFixture builds the binary and the large workspace once per run.
func benchFixture(b *testing.B) (bin, ws string) {
	b.Helper()
	benchOnce.Do(func() {
		// PROMPTBENCH_BENCH_DIR keeps the fixture between runs.
		root := os.Getenv("PROMPTBENCH_BENCH_DIR")
		if root == "" {
			benchTmp, benchErr = os.MkdirTemp("", "promptbench-bench-")
			root = benchTmp
		}
		if benchErr != nil {
			return
		}
		benchBin = filepath.Join(root, "promptbench")
		out, err := exec.Command("go", "build", "-o", benchBin, ".").CombinedOutput()
		if err != nil {
			benchErr = fmt.Errorf("build: %v\n%s", err, out)
			return
		}
		benchWS = filepath.Join(root, "ws-labelled") // with labels and their audit events
		if _, err := os.Stat(benchWS); err == nil {
			return
		}
		if benchErr = buildLargeWorkspace(benchWS, fixturePrompts, fixtureVersions); benchErr == nil {
			benchErr = labelLargeWorkspace(benchWS, fixturePrompts, fixtureVersions)
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchBin, benchWS
}

// buildLargeWorkspace commits prompts × versions, each commit at its own
// time with its audit event, as separate commands would.
func buildLargeWorkspace(dir string, prompts, versions int) error {
	ctx := context.Background()
	opts := workspace.Options{Author: func() string { return "bench" }, Getenv: func(string) string { return "" }}
	ws, _, err := workspace.Init(ctx, dir, opts)
	if err != nil {
		return err
	}
	start := time.Now()
	err = ws.Batch(ctx, func(batch *workspace.Batch) error {
		for i := range prompts {
			tags, err := workspace.ParseTags([]string{"purpose:" + purposes[i%len(purposes)], "tone:" + tones[i%len(tones)]})
			if err != nil {
				return err
			}
			desc := fmt.Sprintf("Prompt number %d of the benchmark library", i)
			for v := range versions {
				d := workspace.Draft{
					Messages: []workspace.Message{
						{Role: workspace.RoleSystem, Content: "You are a careful assistant for team {{team}}."},
						{Role: workspace.RoleUser, Content: fmt.Sprintf("Task %d, revision %d: handle {{input}} politely.", i, v)},
					},
					Config:      workspace.ModelConfig{Model: "openai/gpt-4o-mini"},
					Description: &desc,
					Tags:        tags,
					Message:     fmt.Sprintf("revision %d", v),
				}
				if err := batch.Commit(fmt.Sprintf("bench/prompt-%05d", i), d); err != nil {
					return err
				}
			}
		}
		return nil
	})
	fmt.Fprintf(os.Stderr, "fixture: %d prompts × %d versions in %v\n", prompts, versions, time.Since(start).Round(time.Millisecond))
	return err
}

// labelLargeWorkspace moves labels as a team does, each move audited as
// the command line does: production on every prompt, then staging and a
// promotion on some.
func labelLargeWorkspace(dir string, prompts, versions int) error {
	ctx := context.Background()
	ws, err := workspace.Open(dir, workspace.Options{Author: func() string { return "bench" }, Getenv: func(string) string { return "" }})
	if err != nil {
		return err
	}
	return ws.Batch(ctx, func(batch *workspace.Batch) error {
		for i := range prompts {
			name := fmt.Sprintf("bench/prompt-%05d", i)
			if err := batch.Label(fmt.Sprintf("%s@%d", name, max(1, versions-1)), "production"); err != nil {
				return err
			}
			if i%5 == 0 {
				if err := batch.Label(name, "staging"); err != nil {
					return err
				}
			}
			if i%10 == 0 {
				if err := batch.Label(name, "production"); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// execBench runs the binary b.N times and reports peak RSS of the largest run.
func execBench(b *testing.B, bin string, args func(i int) []string) {
	b.Helper()
	var peakKB int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cmd := exec.Command(bin, args(i)...)
		cmd.Env = append(os.Environ(), "NO_COLOR=1", "PROMPTBENCH_AUTHOR=bench")
		out, err := cmd.CombinedOutput()
		if err != nil {
			b.Fatalf("%v: %v\n%s", args(i), err, out)
		}
	}
	b.StopTimer()
	// The child of a fork reports its parent's RSS as its own maxrss, and
	// this test process is large, so peak RSS is measured apart, through
	// /usr/bin/time's small process, once.
	if timeBin, err := exec.LookPath("time"); err == nil {
		cmd := exec.Command(timeBin, append([]string{"-f", "%M", bin}, args(b.N)...)...)
		cmd.Env = append(os.Environ(), "NO_COLOR=1", "PROMPTBENCH_AUTHOR=bench")
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Run(); err == nil {
			lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
			peakKB, _ = strconv.ParseInt(lines[len(lines)-1], 10, 64)
		}
	}
	b.ReportMetric(float64(peakKB)/1024, "peak-RSS-MB")
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/process")
}

func BenchmarkProcessListTag(b *testing.B) {
	bin, ws := benchFixture(b)
	execBench(b, bin, func(int) []string { return []string{"--workspace", ws, "list", "--tag", "purpose:support"} })
}

func BenchmarkProcessListAll(b *testing.B) {
	bin, ws := benchFixture(b)
	execBench(b, bin, func(int) []string { return []string{"--workspace", ws, "list"} })
}

func BenchmarkProcessShow(b *testing.B) {
	bin, ws := benchFixture(b)
	execBench(b, bin, func(i int) []string {
		return []string{"--workspace", ws, "show", fmt.Sprintf("bench/prompt-%05d", (i*7919)%fixturePrompts)}
	})
}

func BenchmarkProcessCommit(b *testing.B) {
	bin, ws := benchFixture(b)
	dir := b.TempDir()
	execBench(b, bin, func(i int) []string {
		file := filepath.Join(dir, fmt.Sprintf("v%d.txt", i))
		if err := os.WriteFile(file, []byte(fmt.Sprintf("New wording %d for {{input}} at %d\n", i, time.Now().UnixNano())), 0o644); err != nil {
			b.Fatal(err)
		}
		return []string{"--workspace", ws, "commit", "bench/prompt-00042", "-m", "bench", "--file", file}
	})
}

// BenchmarkStoreHealth commits 1,000 versions from 1,000 separate processes
// into the large workspace, then times list --tag: level-0 tables must not
// pile up and slow the store down.
func BenchmarkStoreHealth(b *testing.B) {
	bin, ws := benchFixture(b)
	dir := b.TempDir()
	for i := range 1000 {
		file := filepath.Join(dir, "v.txt")
		if err := os.WriteFile(file, []byte(fmt.Sprintf("Health check %d for {{input}}\n", i)), 0o644); err != nil {
			b.Fatal(err)
		}
		cmd := exec.Command(bin, "--workspace", ws, "commit", "-m", "test", fmt.Sprintf("health/p-%d", i%50), "--file", file)
		cmd.Env = append(os.Environ(), "PROMPTBENCH_AUTHOR=bench")
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("commit %d: %v\n%s", i, err, out)
		}
	}
	execBench(b, bin, func(int) []string { return []string{"--workspace", ws, "list", "--tag", "purpose:support"} })
}

// BenchmarkProcessRun execs `promptbench run` of one non-streamed call
// against a local OpenAI-compatible server answering after 50 ms: the
// whole process, from start to logged result.
func BenchmarkProcessRun(b *testing.B) {
	bin, _ := benchFixture(b)
	srv := fakeopenai.NewUnrecorded(func(int, *fakeopenai.Request) fakeopenai.Reply {
		return fakeopenai.Reply{Delay: 50 * time.Millisecond, Content: "A short answer.", PromptTokens: 20, CompletionTokens: 4}
	})
	defer srv.Close()
	ws := filepath.Join(b.TempDir(), "ws")
	setup := func(args ...string) {
		cmd := exec.Command(bin, append([]string{"--workspace", ws}, args...)...)
		cmd.Stdin = strings.NewReader("Answer briefly: {{question}}\n")
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	setup("init")
	cfg := "providers:\n  - name: local\n    kind: openai\n    base_url: " + srv.BaseURL() + "\n"
	if err := os.WriteFile(filepath.Join(ws, "config.yaml"), []byte(cfg), 0o644); err != nil {
		b.Fatal(err)
	}
	setup("commit", "-m", "test", "qa", "--model", "local/bench-model")
	execBench(b, bin, func(i int) []string {
		return []string{"--workspace", ws, "run", "qa", "--no-cache", "--var", "question=why " + strconv.Itoa(i)}
	})
}

func BenchmarkProcessExport(b *testing.B) {
	bin, ws := benchFixture(b)
	out := filepath.Join(b.TempDir(), "export.yaml")
	execBench(b, bin, func(int) []string { return []string{"--workspace", ws, "export", "--out", out} })
}

// BenchmarkProcessExportDir exports the large library as a folder into
// an empty folder each time: 10,001 files written.
func BenchmarkProcessExportDir(b *testing.B) {
	bin, ws := benchFixture(b)
	root := b.TempDir()
	execBench(b, bin, func(i int) []string {
		return []string{"--workspace", ws, "export", "--dir", filepath.Join(root, fmt.Sprintf("out-%d", i))}
	})
}

// BenchmarkProcessExportDirRefresh exports the large library again into
// a folder that holds its export: every file is read and compared, none
// written.
func BenchmarkProcessExportDirRefresh(b *testing.B) {
	bin, ws := benchFixture(b)
	out := filepath.Join(b.TempDir(), "out")
	if msg, err := exec.Command(bin, "--workspace", ws, "export", "--dir", out).CombinedOutput(); err != nil {
		b.Fatalf("export: %v\n%s", err, msg)
	}
	execBench(b, bin, func(int) []string { return []string{"--workspace", ws, "export", "--dir", out} })
}

// BenchmarkProcessExportPrompt exports one prompt of the large library:
// it reads the prompt, its versions, the label moves and the audit trail
// (which has no index by prompt) to pick the prompt's events.
func BenchmarkProcessExportPrompt(b *testing.B) {
	bin, ws := benchFixture(b)
	out := filepath.Join(b.TempDir(), "export.yaml")
	execBench(b, bin, func(i int) []string {
		return []string{"--workspace", ws, "export", "--prompt", fmt.Sprintf("bench/prompt-%05d", (i*7919)%fixturePrompts), "--out", out}
	})
}

// BenchmarkProcessImport imports the whole large library into a fresh
// workspace each time (a directory holding only config.yaml).
func BenchmarkProcessImport(b *testing.B) {
	bin, ws := benchFixture(b)
	dir := b.TempDir()
	file := filepath.Join(dir, "export.yaml")
	cmd := exec.Command(bin, "--workspace", ws, "export", "--out", file)
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("export: %v\n%s", err, out)
	}
	execBench(b, bin, func(i int) []string {
		target := filepath.Join(dir, fmt.Sprintf("ws-%d", i))
		if err := os.MkdirAll(target, 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(target, "config.yaml"), nil, 0o644); err != nil {
			b.Fatal(err)
		}
		return []string{"--workspace", target, "import", file}
	})
}

// BenchmarkProcessDoctor checks the whole large library: every version's
// hash, records, labels, includes and indexes.
func BenchmarkProcessDoctor(b *testing.B) {
	bin, ws := benchFixture(b)
	execBench(b, bin, func(int) []string { return []string{"--workspace", ws, "doctor"} })
}
