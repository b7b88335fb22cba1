package eval_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"promptbench/eval"
	"promptbench/workspace"
)

// BenchmarkSessionEcho100k streams 100,000 cases through the offline echo
// model, cache on. It reports cases per second and the heap in use,
// sampled: its median and peak over the first 10,000 cases and over the
// whole run. "workspace" writes every log entry to a real workspace;
// "discard" gives the entries to a recorder that drops them, so that its
// figures are the session's own: they must not grow with the cases. (With
// a workspace the store's compactions, whose buffers grow with the store,
// make the peaks.)
// Run it alone: go test -run '^$' -bench SessionEcho100k -benchtime 1x ./eval
func BenchmarkSessionEcho100k(b *testing.B) {
	b.Run("workspace", func(b *testing.B) {
		ws := sessionWorkspace(b)
		benchEcho(b, ws, ws)
	})
	b.Run("discard", func(b *testing.B) {
		ws := sessionWorkspace(b)
		benchEcho(b, ws, discard{ws})
	})
}

// discard prepares variants from a workspace but keeps nothing.
type discard struct{ *workspace.Workspace }

func (discard) AddLogs(context.Context, []workspace.LogEntry, map[string][]byte) error { return nil }
func (discard) CacheGetMany(context.Context, []string) (map[string][]byte, error)      { return nil, nil }

func benchEcho(b *testing.B, ws *workspace.Workspace, rec eval.Recorder) {
	const n, firstCases = 100_000, 10_000
	reg := echoRegistry(b)
	var early, all []uint64 // heap in use, sampled
	b.ResetTimer()
	start := time.Now()
	for round := range b.N {
		s := newSession(b, ws, eval.SessionOptions{Client: reg, Recorder: rec, Source: "eval:bench"}, eval.Variant{Ref: "greet@1", Model: "echo/echo"})
		var finished atomic.Int64
		stop := make(chan struct{})
		sampled := make(chan struct{})
		go func() {
			defer close(sampled)
			tick := time.NewTicker(20 * time.Millisecond)
			defer tick.Stop()
			var ms runtime.MemStats
			for {
				select {
				case <-stop:
					return
				case <-tick.C:
				}
				runtime.ReadMemStats(&ms)
				all = append(all, ms.HeapInuse)
				if finished.Load() <= firstCases {
					early = append(early, ms.HeapInuse)
				}
			}
		}()
		cases := func(yield func(eval.Case, error) bool) {
			for i := range n {
				id := strconv.Itoa(round*n + i)
				if !yield(eval.Case{ID: workspace.CaseID(id), Vars: map[string]any{"name": "user " + id}}, nil) {
					return
				}
			}
		}
		recorded := 0
		drain(b, s.Run(context.Background(), cases), func(ev eval.SessionEvent) {
			switch ev := ev.(type) {
			case eval.Finished:
				finished.Add(1)
			case eval.Recorded:
				recorded += len(ev.Logs)
			case eval.FlushFailed:
				b.Fatal(ev.Err)
			}
		})
		close(stop)
		<-sampled
		if recorded != n {
			b.Fatalf("recorded %d of %d", recorded, n)
		}
	}
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(b.N*n)/elapsed.Seconds(), "cases/s")
	mb := func(v uint64) float64 { return float64(v) / (1 << 20) }
	b.ReportMetric(mb(median(early)), "heap-MB-median-first-10k")
	b.ReportMetric(mb(median(all)), "heap-MB-median")
	b.ReportMetric(mb(slices.Max(early)), "heap-MB-peak-first-10k")
	b.ReportMetric(mb(slices.Max(all)), "heap-MB-peak")
	if hwm := vmHWM(); hwm > 0 {
		b.ReportMetric(float64(hwm)/(1<<20), "rss-MB-peak")
	}
}

func median(v []uint64) uint64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

// vmHWM is the process's peak resident set, from /proc/self/status (0
// where there is none).
func vmHWM() uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			var kb uint64
			fmt.Sscan(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), &kb)
			return kb << 10
		}
	}
	return 0
}
