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
// the same benchmark so that the machine's noise falls on all of them:
// each reports every program's medians (wall and CPU time), peak RSS and
// the command's ratios.
//
//	PROMPTBENCH_BENCH_DIR=/tmp/pb-bench go test -run '^$' -bench VsFloor -benchtime 20x ./cmd/promptbench
//
// The floors are testdata/floor (Badger alone: open read-only, read the
// records, write them out), the same program built with -tags stack (the
// "stack floor": it also links, and so initialises, the libraries the
// owner fixed and issue 11 requires, which promptbench cannot shed), a
// Go hello world for the scale of any process, and, for run with the echo
// provider, render.
//
// Ratios: "ratio" is the command against the Badger floor, "stack-ratio"
// against the stack floor, and "net-ratio" takes the stack's start-up
// (stack floor minus floor) off the command before dividing by the Badger
// floor: what the command costs for what it does. The cpu- forms do the
// same with CPU time (user and system), steadier on a busy machine.

var (
	floorOnce sync.Once
	floorBin  string
	stackBin  string
	helloBin  string
	floorErr  error
)

// floorPrograms builds the floor, the stack floor and hello world once.
func floorPrograms(b *testing.B) (floor, stack, hello string) {
	b.Helper()
	bin, _ := benchFixture(b)
	floorOnce.Do(func() {
		dir := filepath.Dir(bin)
		floorBin = filepath.Join(dir, "floor")
		stackBin = filepath.Join(dir, "stackfloor")
		helloBin = filepath.Join(dir, "hello")
		for _, build := range [][]string{
			{"go", "build", "-o", floorBin, "./testdata/floor"},
			{"go", "build", "-tags", "stack", "-o", stackBin, "./testdata/floor"},
			{"go", "build", "-o", helloBin, "./testdata/hello"},
		} {
			if out, err := exec.Command(build[0], build[1:]...).CombinedOutput(); err != nil {
				floorErr = fmt.Errorf("%s: %v\n%s", strings.Join(build, " "), err, out)
				return
			}
		}
	})
	if floorErr != nil {
		b.Fatal(floorErr)
	}
	return floorBin, stackBin, helloBin
}

func floorProgram(b *testing.B) string {
	floor, _, _ := floorPrograms(b)
	return floor
}

// side is one program of a comparison: its argv and what it reported.
type side struct {
	name  string
	argv  []string
	times []time.Duration
	cpu   []time.Duration
	kb    int64
}

func median(ds []time.Duration) time.Duration {
	ds = slices.Clone(ds)
	slices.Sort(ds)
	return ds[len(ds)/2]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// runAlternately runs every side once per iteration, b.N times, and
// reports each side's medians and peak RSS.
func runAlternately(b *testing.B, sides ...*side) {
	b.Helper()
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
	for _, s := range sides {
		b.ReportMetric(ms(median(s.times)), s.name+"-ms")
		b.ReportMetric(ms(median(s.cpu)), s.name+"-cpu-ms")
		b.ReportMetric(float64(s.kb)/1024, s.name+"-RSS-MB")
	}
}

// vsFloor runs floor and cmd alternately b.N times each and reports cmd's
// ratio to floor.
func vsFloor(b *testing.B, floor, cmd side) {
	b.Helper()
	runAlternately(b, &floor, &cmd)
	b.ReportMetric(float64(median(cmd.times))/float64(median(floor.times)), "ratio")
	// CPU time (user and system) is steadier than wall time on a busy
	// machine, and says how much work each did.
	b.ReportMetric(float64(median(cmd.cpu))/float64(median(floor.cpu)), "cpu-ratio")
}

// vsFloors runs the Badger floor, the stack floor and cmd alternately and
// reports cmd's ratios to both and its net ratio (see the top).
func vsFloors(b *testing.B, floor, stack, cmd side) {
	b.Helper()
	runAlternately(b, &floor, &stack, &cmd)
	ratios := func(prefix string, f, st, c time.Duration) {
		b.ReportMetric(float64(c)/float64(f), prefix+"ratio")
		b.ReportMetric(float64(c)/float64(st), "stack-"+prefix+"ratio")
		b.ReportMetric(float64(c-(st-f))/float64(f), "net-"+prefix+"ratio")
	}
	ratios("", median(floor.times), median(stack.times), median(cmd.times))
	ratios("cpu-", median(floor.cpu), median(stack.cpu), median(cmd.cpu))
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

// listVsFloors compares `promptbench list` with args against both floors
// listing the store.
func listVsFloors(b *testing.B, name string, args ...string) {
	bin, ws := benchFixture(b)
	floor, stack, _ := floorPrograms(b)
	store := filepath.Join(ws, "store")
	vsFloors(b, side{name: "floor", argv: []string{floor, "list", store}},
		side{name: "stack", argv: []string{stack, "list", store}},
		side{name: name, argv: append([]string{bin, "--workspace", ws, "list"}, args...)})
}

func BenchmarkVsFloorList(b *testing.B) { listVsFloors(b, "list") }

func BenchmarkVsFloorListJSON(b *testing.B) { listVsFloors(b, "list-json", "--json") }

func BenchmarkVsFloorListTag(b *testing.B) {
	listVsFloors(b, "list-tag", "--tag", "purpose:support")
}

// BenchmarkVsFloorVersion is the start-up alone: `--version` beside a Go
// hello world, the Badger floor and the stack floor each printing a line
// and exiting; "ratio" is --version against the stack floor's start-up.
func BenchmarkVsFloorVersion(b *testing.B) {
	bin, _ := benchFixture(b)
	floor, stack, hello := floorPrograms(b)
	h := side{name: "hello", argv: []string{hello}}
	f := side{name: "floor", argv: []string{floor, "version"}}
	st := side{name: "stack", argv: []string{stack, "version"}}
	v := side{name: "version", argv: []string{bin, "--version"}}
	runAlternately(b, &h, &f, &st, &v)
	b.ReportMetric(float64(median(v.times))/float64(median(st.times)), "ratio")
	b.ReportMetric(float64(median(v.cpu))/float64(median(st.cpu)), "cpu-ratio")
}

// BenchmarkVsFloorExport: the floor reads every prompt and version record
// and writes them (≈ 50 MB) to a file it syncs; "ratio" and "cpu-ratio"
// are export against it. An export also writes the audit trail (on the
// benchmark library an event per commit and label move, 113,000 events, a
// quarter of its file), which that floor does not read: the audit floor
// also reads and writes the trail's records in time order (≈ 20 MB
// more), and "audit-ratio" and "audit-cpu-ratio" are export against it.
func BenchmarkVsFloorExport(b *testing.B) {
	bin, ws := benchFixture(b)
	floor := floorProgram(b)
	dir := b.TempDir()
	store := filepath.Join(ws, "store")
	f := side{name: "floor", argv: []string{floor, "export", store, filepath.Join(dir, "floor.out")}}
	fa := side{name: "floor-audit", argv: []string{floor, "export-audit", store, filepath.Join(dir, "floor-audit.out")}}
	e := side{name: "export", argv: []string{bin, "--workspace", ws, "export", "--out", filepath.Join(dir, "export.yaml")}}
	runAlternately(b, &f, &fa, &e)
	b.ReportMetric(float64(median(e.times))/float64(median(f.times)), "ratio")
	b.ReportMetric(float64(median(e.cpu))/float64(median(f.cpu)), "cpu-ratio")
	b.ReportMetric(float64(median(e.times))/float64(median(fa.times)), "audit-ratio")
	b.ReportMetric(float64(median(e.cpu))/float64(median(fa.cpu)), "audit-cpu-ratio")
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
