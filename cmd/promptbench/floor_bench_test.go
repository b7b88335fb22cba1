package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Commands side by side with what they cannot beat, run alternately in
// the same benchmark so that the machine's noise falls on both: each
// reports both medians, their ratio and both peak RSS.
//
//	PROMPTBENCH_BENCH_DIR=/tmp/pb-bench go test -run '^$' -bench VsFloor -benchtime 20x ./cmd/promptbench
//
// The floors are testdata/floor (Badger alone: open read-only, read the
// records, write them out) and, for run with the echo provider, render.

var (
	floorOnce sync.Once
	floorBin  string
	floorErr  error
)

func floorProgram(b *testing.B) string {
	b.Helper()
	bin, _ := benchFixture(b)
	floorOnce.Do(func() {
		floorBin = filepath.Join(filepath.Dir(bin), "floor")
		out, err := exec.Command("go", "build", "-o", floorBin, "./testdata/floor").CombinedOutput()
		if err != nil {
			floorErr = fmt.Errorf("build floor: %v\n%s", err, out)
		}
	})
	if floorErr != nil {
		b.Fatal(floorErr)
	}
	return floorBin
}

// side is one program of a pair: its argv and what it reported.
type side struct {
	name  string
	argv  []string
	times []time.Duration
	cpu   []time.Duration
	kb    int64
}

// vsFloor runs floor and cmd alternately b.N times each.
func vsFloor(b *testing.B, floor, cmd side) {
	b.Helper()
	sides := []*side{&floor, &cmd}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, s := range sides {
			d, cpu, kb := timedRunCPU(b, s.argv)
			s.times = append(s.times, d)
			s.cpu = append(s.cpu, cpu)
			s.kb = max(s.kb, kb)
		}
	}
	b.StopTimer()
	median := func(ds []time.Duration) time.Duration {
		slices.Sort(ds)
		return ds[len(ds)/2]
	}
	fm, cm := median(floor.times), median(cmd.times)
	b.ReportMetric(float64(fm.Microseconds())/1000, floor.name+"-ms")
	b.ReportMetric(float64(cm.Microseconds())/1000, cmd.name+"-ms")
	b.ReportMetric(float64(cm)/float64(fm), "ratio")
	// CPU time (user and system) is steadier than wall time on a busy
	// machine, and says how much work each did.
	fc, cc := median(floor.cpu), median(cmd.cpu)
	b.ReportMetric(float64(fc.Microseconds())/1000, floor.name+"-cpu-ms")
	b.ReportMetric(float64(cc.Microseconds())/1000, cmd.name+"-cpu-ms")
	b.ReportMetric(float64(cc)/float64(fc), "cpu-ratio")
	b.ReportMetric(float64(floor.kb)/1024, floor.name+"-RSS-MB")
	b.ReportMetric(float64(cmd.kb)/1024, cmd.name+"-RSS-MB")
}

// timedRunCPU execs argv through /usr/bin/time: wall time, CPU time
// (user and system, the child's included) and peak RSS in KB.
func timedRunCPU(b *testing.B, argv []string) (time.Duration, time.Duration, int64) {
	b.Helper()
	cmd := exec.Command("/usr/bin/time", append([]string{"-f", "%M"}, argv...)...)
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "PROMPTBENCH_AUTHOR=bench")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	d := time.Since(start)
	if err != nil {
		b.Fatalf("%v: %v\n%s", argv, err, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	kb, _ := strconv.ParseInt(lines[len(lines)-1], 10, 64)
	return d, cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), kb
}

func BenchmarkVsFloorList(b *testing.B) {
	bin, ws := benchFixture(b)
	floor := floorProgram(b)
	vsFloor(b, side{name: "floor", argv: []string{floor, "list", filepath.Join(ws, "store")}},
		side{name: "list", argv: []string{bin, "--workspace", ws, "list"}})
}

func BenchmarkVsFloorListJSON(b *testing.B) {
	bin, ws := benchFixture(b)
	floor := floorProgram(b)
	vsFloor(b, side{name: "floor", argv: []string{floor, "list", filepath.Join(ws, "store")}},
		side{name: "list-json", argv: []string{bin, "--workspace", ws, "list", "--json"}})
}

func BenchmarkVsFloorListTag(b *testing.B) {
	bin, ws := benchFixture(b)
	floor := floorProgram(b)
	vsFloor(b, side{name: "floor", argv: []string{floor, "list", filepath.Join(ws, "store")}},
		side{name: "list-tag", argv: []string{bin, "--workspace", ws, "list", "--tag", "purpose:support"}})
}

// BenchmarkVsFloorVersion is the start-up alone: `--version` against
// Badger's floor of listing, for scale.
func BenchmarkVsFloorVersion(b *testing.B) {
	bin, ws := benchFixture(b)
	floor := floorProgram(b)
	vsFloor(b, side{name: "floor", argv: []string{floor, "list", filepath.Join(ws, "store")}},
		side{name: "version", argv: []string{bin, "--version"}})
}

// BenchmarkVsFloorExport: the floor reads every prompt and version record
// and writes them (≈ 50 MB) to a file it syncs.
func BenchmarkVsFloorExport(b *testing.B) {
	bin, ws := benchFixture(b)
	floor := floorProgram(b)
	dir := b.TempDir()
	vsFloor(b, side{name: "floor", argv: []string{floor, "export", filepath.Join(ws, "store"), filepath.Join(dir, "floor.out")}},
		side{name: "export", argv: []string{bin, "--workspace", ws, "export", "--out", filepath.Join(dir, "export.yaml")}})
}

// BenchmarkVsRenderRunEcho: `run --model echo/echo` writes a log entry (a
// read-write open and a durable commit) where `render` only reads; both on
// a copy of the large workspace, with the background maintenance the runs
// start.
func BenchmarkVsRenderRunEcho(b *testing.B) {
	bin, pristine := benchFixture(b)
	ws := filepath.Join(b.TempDir(), "ws")
	if out, err := exec.Command("cp", "-a", pristine, ws).CombinedOutput(); err != nil {
		b.Fatalf("copy fixture: %v\n%s", err, out)
	}
	const name = "bench/prompt-00042"
	vars := []string{"--var", "team=bench", "--var", "input=a question"}
	vsFloor(b, side{name: "render", argv: append([]string{bin, "--workspace", ws, "render", name}, vars...)},
		side{name: "run-echo", argv: append([]string{bin, "--workspace", ws, "run", name, "--model", "echo/echo", "--no-cache"}, vars...)})
	if testing.Verbose() {
		entries, _ := os.ReadDir(filepath.Join(ws, "store"))
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		b.Logf("store after the runs: %s", strings.Join(names, " "))
	}
}
