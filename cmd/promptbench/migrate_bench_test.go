//go:build linux

package main

import (
	"cmp"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BenchmarkOldStoreUpgrade times the first command on a store written before
// the time-ordered audit keys: `list` on a library of 113,000 audit events
// (as many as the benchmark library of 10,000 prompts has), which upgrades
// the store before it reads. Each iteration starts from a fresh copy of the
// old store; peak RSS is the largest of the runs (/usr/bin/time).
//
//	go test -run '^$' -bench OldStoreUpgrade -benchtime 5x ./cmd/promptbench
//	PROMPTBENCH_MIGRATE_EVENTS=300000 go test -run '^$' -bench OldStoreUpgrade -benchtime 3x ./cmd/promptbench
func BenchmarkOldStoreUpgrade(b *testing.B) {
	n := 113_000
	if v := os.Getenv("PROMPTBENCH_MIGRATE_EVENTS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("PROMPTBENCH_MIGRATE_EVENTS=%q: want a number of events", v)
		}
	}
	timeBin, err := exec.LookPath("time")
	if err != nil {
		b.Skip("needs /usr/bin/time for peak RSS")
	}
	tmp := b.TempDir()
	r := runner{bin: soakBinary(b, tmp), configHome: filepath.Join(tmp, "config")}
	// PROMPTBENCH_BENCH_DIR keeps the old store between runs.
	root := cmp.Or(os.Getenv("PROMPTBENCH_BENCH_DIR"), tmp)
	template := filepath.Join(root, "ws-old-"+strconv.Itoa(n))
	if _, err := os.Stat(template); err != nil {
		if o := r.run("--workspace", template, "init"); !o.ok() {
			b.Fatalf("init: exit %d: %s", o.code, o.err)
		}
		if err := writeOldLayout(template, makeOldTrail(rand.New(rand.NewPCG(1, 2)), n)); err != nil {
			os.RemoveAll(template)
			b.Fatal(err)
		}
	}
	var peaks []int
	var wall time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		ws := filepath.Join(tmp, "run-"+strconv.Itoa(i), ".promptbench")
		if err := copyTree(template, ws); err != nil {
			b.Fatal(err)
		}
		cmd := exec.Command(timeBin, "-f", "%M", r.bin, "--workspace", ws, "list")
		cmd.Env = soakEnv(r.configHome, false)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		b.StartTimer()
		start := time.Now()
		err := cmd.Run()
		wall += time.Since(start)
		b.StopTimer()
		if err != nil {
			b.Fatalf("list: %v\n%s", err, stderr.String())
		}
		lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
		kb, _ := strconv.Atoi(lines[len(lines)-1])
		peaks = append(peaks, kb)
		os.RemoveAll(filepath.Dir(ws))
		b.StartTimer()
	}
	b.StopTimer()
	b.ReportMetric(float64(slices.Max(peaks))/1024, "peak-RSS-MB")
	b.ReportMetric(float64(wall.Milliseconds())/float64(b.N), "ms/process")
	b.ReportMetric(float64(wall.Milliseconds())/float64(b.N)*100_000/float64(n), "ms/100k-events")
}
